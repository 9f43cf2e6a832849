import type { Scope } from '../../auth/roles.ts';
import { likeEscape, toCount } from '../../db/helpers.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import { foldForSearch } from '../../lib/text.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import type { ProcedureKind, ProcedureRow, ProcedureStatus } from './catalog.types.ts';
import { procedureQuery, toProcedure } from './procedures.repository.ts';
import type { Db } from '../../kernel/db.ts';

export interface ProcedureFilter {
  scope: Scope;
  /** One unit only (its catalog page), or the whole scope (a province-wide search). */
  unitId?: number;
  q?: string;
  field?: string;
  kind?: ProcedureKind;
  status?: ProcedureStatus;
  /** Issued and last reviewed on or before this day. */
  dueBefore?: string;
  /** Flags computed with this cut-off, filtered or not. */
  reviewCutoff: string;
  overtime?: boolean;
  templates: boolean;
  sort: 'code' | 'title' | 'status' | 'issued' | 'updated';
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

// Over time: the steps add up to more working days than the law allows for the linked TTHC.
const overTimeSql = '(p.total_days is not null and t.legal_days is not null and p.total_days > t.legal_days)';

/**
 * The catalog list: one row per procedure with the two flags the officer acts on. Every filter
 * is a plain indexed or folded-text condition on both engines (no full-text extension needed).
 */
export async function listProcedures(db: Db, f: ProcedureFilter): Promise<Page<ProcedureRow>> {
  const q = db('procedures as p').join('units as u', 'u.id', 'p.unit_id').leftJoin('tthc as t', 't.id', 'p.tthc_id');
  whereUnitInScope(q, 'u.path', f.scope);
  if (f.unitId !== undefined) q.where('p.unit_id', f.unitId);
  q.where('p.is_template', f.templates);
  if (f.q) {
    const folded = foldForSearch(f.q);
    q.where((w) => w.whereRaw(`p.search_text LIKE ? ESCAPE '\\'`, [`%${likeEscape(folded)}%`]).orWhere('p.code', f.q as string));
  }
  if (f.field) q.where('t.field', f.field);
  if (f.kind) q.where('p.kind', f.kind);
  if (f.status === 'issued' || f.status === 'withdrawn') q.where('p.status', f.status);
  // A procedure in force with its next revision in review is found under both statuses.
  else if (f.status) q.where((w) => w.where('p.status', f.status as string).orWhere('p.pending_status', f.status as string));
  if (f.dueBefore) q.where('p.status', 'issued').where('p.last_reviewed_on', '<=', f.dueBefore);
  if (f.overtime) q.whereRaw(overTimeSql);

  const order: Record<ProcedureFilter['sort'], string> = {
    code: 'p.code',
    title: 'p.title',
    status: 'p.status',
    issued: 'p.issue_date',
    updated: 'p.updated_at',
  };
  // The page and the total in one pass (`count(*) over ()`, both engines): a separate count
  // would read every matching row a second time, some 20,000 for a province-wide search.
  const idRows = (await q
    .clone()
    .select('p.id', db.raw('count(*) over () as full_count'))
    .orderBy([
      { column: order[f.sort], order: f.dir },
      { column: 'p.id', order: f.dir },
    ])
    .limit(f.pageSize)
    .offset(offsetOf(f.page, f.pageSize))) as Array<{ id: number; full_count: unknown }>;
  let total = idRows.length ? toCount(idRows[0]?.full_count) : 0;
  if (idRows.length === 0 && f.page > 1) {
    // A page past the end has no row to carry the total.
    const [{ n } = { n: 0 }] = (await q.clone().count({ n: '*' })) as Array<{ n: unknown }>;
    total = toCount(n);
  }
  const ids = idRows.map((r) => Number(r.id));
  if (ids.length === 0) return pageOf([], total, f.page, f.pageSize);
  // The page's rows are read in full by id: the sorted scan above touches only narrow columns.
  const rows = (await procedureQuery(db)
    .whereIn('p.id', ids)
    .select(db.raw(`${overTimeSql} as over_time`))) as Array<Record<string, unknown>>;
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const items = ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const p = toProcedure(r);
    const overTime = r.over_time === true || Number(r.over_time) === 1;
    const dueForReview = p.status === 'issued' && !!p.lastReviewedOn && p.lastReviewedOn <= f.reviewCutoff;
    return [{ ...p, overTime, dueForReview }];
  });
  return pageOf(items, total, f.page, f.pageSize);
}
