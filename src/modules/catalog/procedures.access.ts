import { inScope, scopeFor, type Capability } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Procedure, Revision } from './catalog.types.ts';
import { findProcedure, findRevision } from './procedures.repository.ts';
import type { Db } from '../../kernel/db.ts';

/**
 * A procedure the actor can see; then, for an action, one of the capabilities it needs on the
 * procedure's unit. Out of sight and beyond one's role are alike: not found (404).
 */
export async function procedureFor(db: Db, actor: Actor, id: number, caps: Capability[] = ['catalog.read']): Promise<Procedure> {
  const p = await findProcedure(db, id, scopeFor(actor.user, 'catalog.read'));
  if (!p) throw new AppError('NOT_FOUND');
  if (!caps.some((c) => can(actor, p, c))) throw new AppError('NOT_FOUND');
  return p;
}

export function can(actor: Actor, p: Pick<Procedure, 'unitPath' | 'isTemplate'>, cap: Capability): boolean {
  // Templates belong to the province's coordinators: a commune officer reads them, never writes them.
  if (p.isTemplate && cap === 'catalog.write') return inScope(scopeFor(actor.user, 'tthc.manage'), p.unitPath);
  return inScope(scopeFor(actor.user, cap), p.unitPath);
}

export async function headOf(db: Db, p: Procedure): Promise<Revision> {
  const r = await findRevision(db, p.headRevisionId);
  if (!r) throw new Error(`procedure ${p.id} has no head revision`);
  return r;
}

/** The revision being prepared, in one of the given states, or a wrong-state error. */
export async function pendingIn(db: Db, p: Procedure, states: Array<Revision['status']>): Promise<Revision> {
  const head = await headOf(db, p);
  if (!states.includes(head.status)) throw new AppError('PROCEDURE_WRONG_STATE');
  return head;
}
