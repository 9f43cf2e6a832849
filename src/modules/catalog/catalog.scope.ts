import type { Knex } from 'knex';
import { scopeFor, type Capability, type Scope } from '../../auth/roles.ts';
import { likeEscape, wherePathPrefix } from '../../db/helpers.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { findUnit, updateUnitRow } from '../units/units.repository.ts';
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
  const rows = (await db('units').select('id', 'depth').whereIn('id', ids).where('kind', 'province').orderBy('depth', 'desc')) as Array<{ id: number }>;
  const first = rows[0];
  return first ? findUnit(db, Number(first.id), { all: true }) : undefined;
}

/**
 * Records visible through a province: the province lies inside the scope (a coordinator) or
 * above a unit of the scope (an officer of a commune reads the province's TTHC list).
 * `pathColumn` is the province's materialised path.
 */
export function whereProvinceVisible<Q extends Knex.QueryBuilder>(qb: Q, pathColumn: string, scope: Scope): Q {
  if (scope.all) return qb;
  if (scope.paths.length === 0) return qb.whereRaw('1 = 0') as Q;
  return qb.where((w) => {
    for (const p of scope.paths) {
      w.orWhereRaw(`?? LIKE ? ESCAPE '\\'`, [pathColumn, `${likeEscape(p)}%`]);
      // The scope's unit lies under the province: its path starts with the province's path.
      w.orWhereRaw(`? LIKE ?? || '%'`, [p, pathColumn]);
    }
  }) as Q;
}

/**
 * The ids of the provinces visible through a scope, as a subquery: the same provinces as
 * `whereProvinceVisible`. A province above a scope's unit has its id in the unit's path (paths
 * are made of ids); a province inside the scope has a path under it.
 */
export function visibleProvinces(db: Db, scope: Extract<Scope, { all: false }>): Knex.QueryBuilder {
  const q = db('units').select('id').where('kind', 'province');
  if (scope.paths.length === 0) return q.whereRaw('1 = 0');
  const above = [...new Set(scope.paths.flatMap((p) => p.split('/').filter(Boolean).map(Number)))];
  return q.where((w) => {
    w.whereIn('id', above);
    for (const p of scope.paths) wherePathPrefix(w, 'path', p, true);
  });
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
