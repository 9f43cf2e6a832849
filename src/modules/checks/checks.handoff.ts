import type { HandOff } from '../../kernel/handoff.ts';
import type { Db } from '../../kernel/db.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Check } from './checks.types.ts';
import { findingsOf } from './findings.repository.ts';

/**
 * After a submit's commit: the unit's leader signs the result off, and the officers record an
 * action for each open finding that has none yet. The submitter hears whom it was handed to.
 */
export async function handOnSubmitted(db: Db, handOff: HandOff, actor: Actor, check: Check): Promise<void> {
  const unit = { unitId: check.unitId, unitName: check.unitName };
  const told = await handOff({
    record: `check:${check.id}`,
    actorId: actor.user.id,
    next: { kind: 'sign_check', roles: ['leader'], ...unit, title: check.formTitle.vi, link: `/checks/${check.id}` },
  });
  for (const f of (await findingsOf(db, check.id)).filter((x) => x.status === 'open' && x.actionCount === 0))
    told.push(
      ...(await handOff({
        record: `finding:${f.id}`,
        actorId: actor.user.id,
        next: { kind: 'action_for_finding', roles: ['officer'], ...unit, title: `#${f.id} ${f.clauseRef}`, link: `/findings/${f.id}` },
      })),
    );
  actor.told?.([...new Set(told)]);
}
