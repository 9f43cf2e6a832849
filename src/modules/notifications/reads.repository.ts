import type { Role } from '../../auth/roles.ts';
import type { IsoStandard, IsoState, UnitKind } from '../units/units.types.ts';
import type { DueProcedure, UnitBrief, UnitFilter } from '../../plugins/contract.ts';
import { chunks } from './recipients.repository.ts';
import type { Db } from '../../kernel/db.ts';

/** Every unit active on a day, of some kinds and ISO states: one scan, no user scope (the scheduler reads for everyone). */
export async function activeUnits(db: Db, f: UnitFilter): Promise<UnitBrief[]> {
  const q = db('units')
    .select('id', 'code', 'name', 'kind', 'path', 'iso_state', 'iso_standard', 'iso_state_reason', 'iso_state_changed_at')
    .where((w) => w.whereNull('active_from').orWhere('active_from', '<=', f.on))
    .where((w) => w.whereNull('active_to').orWhere('active_to', '>', f.on))
    .orderBy('path');
  if (f.kinds) q.whereIn('kind', [...f.kinds]);
  if (f.isoStates) q.whereIn('iso_state', [...f.isoStates]);
  const [rows, roots] = await Promise.all([
    q as Promise<Array<Record<string, unknown>>>,
    db('units').whereNull('parent_id').select('id', 'code') as Promise<Array<{ id: number; code: string }>>,
  ]);
  const rootCode = new Map(roots.map((r) => [Number(r.id), String(r.code)]));
  return rows.map((r) => {
    const provinceId = Number(String(r.path).split('/')[1]);
    return {
      id: Number(r.id),
      code: String(r.code),
      name: String(r.name),
      kind: r.kind as UnitKind,
      path: String(r.path),
      provinceId,
      provinceCode: rootCode.get(provinceId) ?? '',
      isoState: r.iso_state as IsoState,
      isoStandard: (r.iso_standard as IsoStandard | null) ?? null,
      isoStateReason: (r.iso_state_reason as string | null) ?? null,
      isoStateChangedAt: (r.iso_state_changed_at as string | null) ?? null,
    };
  });
}

/** Active users holding a role directly on each of the units. */
export async function holders(db: Db, role: Role, unitIds: number[]): Promise<Map<number, Array<{ id: number; fullName: string }>>> {
  const out = new Map<number, Array<{ id: number; fullName: string }>>(unitIds.map((id) => [id, []]));
  for (const ids of chunks([...new Set(unitIds)])) {
    const rows = (await db('user_roles as r')
      .join('users as u', 'u.id', 'r.user_id')
      .where('r.role', role)
      .whereIn('r.unit_id', ids)
      .where('u.is_active', true)
      .select('r.unit_id', 'u.id', 'u.full_name')
      .orderBy('u.id')) as Array<Record<string, unknown>>;
    for (const r of rows) out.get(Number(r.unit_id))?.push({ id: Number(r.id), fullName: String(r.full_name) });
  }
  return out;
}

/** A unit's procedures due for periodic review: how many, and the longest-waiting few. */
export interface DueReviews {
  unitId: number;
  unitName: string;
  count: number;
  /** The earliest `last_reviewed_on` among them. */
  oldestReviewedOn: string;
  /** Up to `sample` of them, longest waiting first. */
  first: DueProcedure[];
}

/**
 * Issued procedures (not templates) of active units last reviewed on or before `cutoff` (the
 * catalog's "due for review" rule, procedures.list.repository.ts), grouped by unit, for every unit at once.
 * The catalog's own list is scoped to one user and paged by 200, which a nation-wide sweep
 * cannot use; and at national scale (400,000 procedures) a reminder per procedure would bury
 * the officers, so a reminder names a unit's count and its longest-waiting procedures.
 */
export async function reviewsDueByUnit(db: Db, cutoff: string, on: string, sample: number): Promise<DueReviews[]> {
  // One pass over the procedures: window functions (standard SQL on both engines) number each
  // unit's due procedures, longest waiting first, and count them; the ranking sorts narrow rows
  // only, and the few kept are joined to their details afterwards.
  const ranked = db('procedures as p')
    .where('p.status', 'issued')
    .where('p.is_template', false)
    .whereNotNull('p.last_reviewed_on')
    .where('p.last_reviewed_on', '<=', cutoff)
    .select(
      'p.id',
      'p.unit_id',
      db.raw('row_number() over (partition by p.unit_id order by p.last_reviewed_on, p.code) as rn'),
      db.raw('count(*) over (partition by p.unit_id) as n'),
    );
  const rows = (await db
    .from(ranked.as('r'))
    .join('procedures as q', 'q.id', 'r.id')
    .join('units as u', 'u.id', 'r.unit_id')
    .where('r.rn', '<=', Math.max(1, sample))
    .where((w) => w.whereNull('u.active_to').orWhere('u.active_to', '>', on))
    .orderBy(['r.unit_id', 'r.rn'])
    .select('q.id', 'r.unit_id', 'r.n', 'u.name as unit_name', 'q.code', 'q.title', 'q.revision_no', 'q.issue_date', 'q.last_reviewed_on')) as Array<
    Record<string, unknown>
  >;
  const byUnit = new Map<number, DueReviews>();
  for (const r of rows) {
    const unitId = Number(r.unit_id);
    let u = byUnit.get(unitId);
    if (!u) {
      // The first row of a unit is its longest-waiting procedure.
      u = { unitId, unitName: String(r.unit_name), count: Number(r.n), oldestReviewedOn: String(r.last_reviewed_on), first: [] };
      byUnit.set(unitId, u);
    }
    if (u.first.length < sample) {
      u.first.push({
        id: Number(r.id),
        code: String(r.code),
        title: String(r.title),
        revisionNo: r.revision_no == null ? null : Number(r.revision_no),
        issueDate: (r.issue_date as string | null) ?? null,
        lastReviewedOn: String(r.last_reviewed_on),
      });
    }
  }
  return [...byUnit.values()];
}
