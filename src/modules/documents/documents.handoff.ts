import type { HandOff } from '../../kernel/handoff.ts';
import type { Actor } from '../../lib/actor.ts';
import type { DocumentRecord } from './documents.repository.ts';

/**
 * After a step's commit: a draft waits for the leader's approval, an approved document for the
 * officer who issues it; issued, nothing waits. `typeTitle` names the document type.
 */
export async function handedOn(handOff: HandOff, actor: Actor, d: DocumentRecord, typeTitle: string | undefined): Promise<DocumentRecord> {
  const next = d.status === 'draft' ? 'approve_document' : d.status === 'approved' ? 'issue_document' : undefined;
  const told = await handOff({
    record: `document:${d.id}`,
    actorId: actor.user.id,
    next: next && {
      kind: next,
      roles: next === 'approve_document' ? ['leader'] : ['officer'],
      unitId: d.unitId,
      unitName: d.unitName,
      title: `${typeTitle ?? d.type} ${d.numberText}`.trim(),
      link: `/documents/${d.id}`,
    },
  });
  actor.told?.(told);
  return d;
}
