import { scopeFor, type Capability } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { findUnit, updateUnitRow } from '../units/units.repository.ts';
import { innermostProvinceAmong } from './provinces.repository.ts';
import type { Unit } from '../units/units.types.ts';
import type { Db } from '../../kernel/db.ts';

/** A unit the actor holds `cap` on, or not found (404, as for anything out of scope). */
export async function unitFor(db: Db, actor: Actor, unitId: number, cap: Capability): Promise<Unit> {
  const unit = await findUnit(db, unitId, scopeFor(actor.user, cap));
  if (!unit) throw new AppError('NOT_FOUND');
  return unit;
}

/** The province a unit belongs to (itself when it is one): whose TTHC list applies to it. */
export async function provinceOf(db: Db, unit: Pick<Unit, 'path'>): Promise<Unit | undefined> {
  const ids = unit.path.split('/').filter(Boolean).map(Number);
  if (ids.length === 0) return undefined;
  const id = await innermostProvinceAmong(db, ids);
  return id === undefined ? undefined : findUnit(db, id, { all: true });
}

/**
 * The law requires re-declaration when a declared unit's scope changes (DOMAIN.md): a procedure
 * issued or withdrawn, a TTHC adopted or dropped. Called inside the transaction of that change;
 * the unit's state and the reason change through the units repository with an audit row.
 */
export async function flagScopeChange(trx: Db, actor: Actor, unitId: number, reason: string, at: string): Promise<boolean> {
  const unit = await findUnit(trx, unitId, { all: true });
  if (!unit || (unit.isoState !== 'declared' && unit.isoState !== 'needs_redeclaration')) return false;
  // A second change before re-declaring adds its reason to the first one.
  const joined = unit.isoState === 'needs_redeclaration' && unit.isoStateReason ? `${unit.isoStateReason}; ${reason}` : reason;
  const newReason = joined.length > 1000 ? `${joined.slice(0, 997)}...` : joined;
  await updateUnitRow(trx, unitId, { isoState: 'needs_redeclaration', isoStateReason: newReason, isoStateChangedAt: at }, at);
  await writeAudit(trx, {
    at,
    userId: actor.user.id,
    action: 'iso_state',
    entity: 'unit',
    entityId: unitId,
    unitId,
    before: { isoState: unit.isoState, reason: unit.isoStateReason },
    after: { isoState: 'needs_redeclaration', reason: newReason },
    requestId: actor.requestId,
  });
  return true;
}
