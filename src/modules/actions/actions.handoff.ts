import type { HandOff } from '../../kernel/handoff.ts';
import type { Actor } from '../../lib/actor.ts';
import type { ActionRow } from './actions.repository.ts';

/**
 * After a move's commit: work done waits for someone other than its owner to verify it (clause
 * 10.2); verified or reopened, nothing of the action waits any more.
 */
export async function handOnAction(handOff: HandOff, actor: Actor, a: ActionRow, done: boolean): Promise<void> {
  const told = await handOff({
    record: `action:${a.id}`,
    actorId: actor.user.id,
    next: done
      ? {
          kind: 'verify_action',
          roles: ['officer', 'leader'],
          unitId: a.unitId,
          unitName: a.unitName,
          title: a.action,
          link: `/findings/${a.findingId}`,
          except: [a.ownerId],
        }
      : undefined,
  });
  actor.told?.(told);
}
