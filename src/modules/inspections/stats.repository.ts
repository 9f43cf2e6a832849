import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import type { Db } from '../../kernel/db.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

/** The grouped counts behind the inspection statistics of a scope and year. */

export interface StatsCounts {
  /** Inspections by month and kind. */
  inspections: Array<{ month: number; kind: string; count: number }>;
  /** Violations by month. */
  violationsByMonth: Array<{ month: number; count: number }>;
  /** Plan items by month, and how many of them were inspected. */
  plan: Array<{ month: number; count: number; done: number }>;
  /** Violations by type, most first. */
  byKind: Array<{ kind: string; count: number }>;
  /** Violations by unit, most first (20 units at most). */
  byUnit: Array<{ unitId: number; count: number }>;
  /** Units and officials with violations in more than one inspection (50 each at most). */
  repeatedUnits: Array<{ unitId: number; inspections: number; count: number }>;
  repeatedOfficials: Array<{ officialId: number; unitId: number; inspections: number; count: number }>;
}

const n = (v: unknown) => Number(v ?? 0);
type Row = Record<string, unknown>;

/**
 * `table as x` restricted to the units of the scope. The units are a subquery (`unit_id IN`),
 * not a join, so that the grouping reads the covering (year, unit_id, ...) indexes.
 */
function scoped(db: Db, table: string, alias: string, scope: Scope): Knex.QueryBuilder {
  const q = db(`${table} as ${alias}`);
  if (!scope.all) q.whereIn(`${alias}.unit_id`, whereUnitInScope(db('units as u').select('u.id'), 'u.path', scope));
  return q;
}

export async function statsCounts(db: Db, scope: Scope, year: number): Promise<StatsCounts> {
  const insp = () => scoped(db, 'inspections', 'i', scope).where('i.year', year).whereNull('i.deleted_at');
  const viol = () => scoped(db, 'inspection_violations', 'v', scope).where('v.year', year);
  const plan = () => {
    const q = db('inspection_plan_items as p').join('inspection_plans as pl', 'pl.id', 'p.plan_id').where('pl.year', year);
    if (!scope.all) q.whereIn('p.unit_id', whereUnitInScope(db('units as u').select('u.id'), 'u.path', scope));
    return q;
  };
  const [inspMonths, violMonths, planMonths, kinds, units, repUnits, repOfficials] = await Promise.all([
    insp().groupBy('i.month', 'i.kind').select('i.month', 'i.kind').count({ c: '*' }) as Promise<Row[]>,
    viol().groupBy('v.month').select('v.month').count({ c: '*' }) as Promise<Row[]>,
    plan().groupBy('p.month').select('p.month').count({ c: '*' }).count({ d: 'p.inspection_id' }) as Promise<Row[]>,
    viol().groupBy('v.kind').select('v.kind').count({ c: '*' }).orderBy('c', 'desc') as Promise<Row[]>,
    viol()
      .groupBy('v.unit_id')
      .select('v.unit_id')
      .count({ c: '*' })
      .orderBy([{ column: 'c', order: 'desc' }, { column: 'v.unit_id' }])
      .limit(20) as Promise<Row[]>,
    // Repeats: violations in more than one inspection of the year.
    viol()
      .groupBy('v.unit_id')
      .select('v.unit_id')
      .countDistinct({ i: 'v.inspection_id' })
      .count({ c: '*' })
      .havingRaw('count(distinct v.inspection_id) > 1')
      .orderBy([{ column: 'i', order: 'desc' }, { column: 'v.unit_id' }])
      .limit(50) as Promise<Row[]>,
    viol()
      .whereNotNull('v.official_id')
      .groupBy('v.official_id', 'v.unit_id')
      .select('v.official_id', 'v.unit_id')
      .countDistinct({ i: 'v.inspection_id' })
      .count({ c: '*' })
      .havingRaw('count(distinct v.inspection_id) > 1')
      .orderBy([{ column: 'i', order: 'desc' }, { column: 'v.official_id' }])
      .limit(50) as Promise<Row[]>,
  ]);
  return {
    inspections: inspMonths.map((r) => ({ month: n(r.month), kind: String(r.kind), count: n(r.c) })),
    violationsByMonth: violMonths.map((r) => ({ month: n(r.month), count: n(r.c) })),
    plan: planMonths.map((r) => ({ month: n(r.month), count: n(r.c), done: n(r.d) })),
    byKind: kinds.map((r) => ({ kind: String(r.kind), count: n(r.c) })),
    byUnit: units.map((r) => ({ unitId: n(r.unit_id), count: n(r.c) })),
    repeatedUnits: repUnits.map((r) => ({ unitId: n(r.unit_id), inspections: n(r.i), count: n(r.c) })),
    repeatedOfficials: repOfficials.map((r) => ({ officialId: n(r.official_id), unitId: n(r.unit_id), inspections: n(r.i), count: n(r.c) })),
  };
}

/** Units' names by id. */
export async function unitNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = (await db('units')
    .whereIn('id', [...new Set(ids)])
    .select('id', 'name')) as Array<{ id: number; name: string }>;
  return new Map(rows.map((r) => [Number(r.id), String(r.name)]));
}

/** Officials' full names by id. */
export async function officialNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = (await db('unit_officials')
    .whereIn('id', [...new Set(ids)])
    .select('id', 'full_name')) as Array<{ id: number; full_name: string }>;
  return new Map(rows.map((r) => [Number(r.id), String(r.full_name)]));
}
