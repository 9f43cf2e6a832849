import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import { isPostgres, toCount, wherePathPrefix } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

/** The province view's query: every check in a scope, filtered, newest first. */

/** What the list is filtered by (a unit's subtree is given by its path). */
export interface CheckListFilter {
  status?: string;
  form?: string;
  from?: string;
  to?: string;
  scoreMin?: number;
  scoreMax?: number;
}

export interface CheckRow {
  id: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  formId: string;
  formVersion: number;
  checkDate: string;
  kind: string;
  status: string;
  score: number | null;
  submittedAt: string | null;
  signedOffAt: string | null;
}

function toRow(r: Record<string, unknown>): CheckRow {
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitCode: String(r.unit_code),
    unitName: String(r.unit_name),
    formId: String(r.form_id),
    formVersion: Number(r.form_version),
    checkDate: String(r.check_date),
    kind: String(r.kind),
    status: String(r.status),
    score: r.score === null || r.score === undefined ? null : Number(r.score),
    submittedAt: (r.submitted_at as string | null) ?? null,
    signedOffAt: (r.signed_off_at as string | null) ?? null,
  };
}

// Narrow columns only: the frozen form (form_json) stays out of lists, it is the bulk of a row.
const listColumns = [
  'c.id',
  'c.unit_id',
  'u.code as unit_code',
  'u.name as unit_name',
  'c.form_id',
  'c.form_version',
  'c.check_date',
  'c.kind',
  'c.status',
  'c.score',
  'c.submitted_at',
  'c.signed_off_at',
];

function listQuery(db: Db, scope: Scope, f: CheckListFilter, unitPath?: string): Knex.QueryBuilder {
  // Nation-wide, the newest checks come off the (check_date, id) index. Within a province or a
  // subtree the units come first, by their path index, then their checks by (unit_id, ...):
  // left to themselves, both engines would rather walk a filter's index (form_id, check_date)
  // over the whole nation. SQLite keeps a CROSS JOIN's order as written (1 ms against 4 ms);
  // PostgreSQL takes the units' ids as one array (`= any(array(...))`, a filtered province:
  // 2.9 ms for page and count against 7.7 ms).
  const unitsFirst = !scope.all || !!unitPath;
  let q: Knex.QueryBuilder;
  if (!unitsFirst) {
    q = db('checks as c').join('units as u', 'u.id', 'c.unit_id');
  } else if (isPostgres(db)) {
    const ids = db('units as su').select('su.id');
    whereUnitInScope(ids, 'su.path', scope);
    if (unitPath) ids.where((w) => wherePathPrefix(w, 'su.path', unitPath));
    q = db('checks as c').join('units as u', 'u.id', 'c.unit_id').whereRaw('c.unit_id = any(array(?))', [ids]);
  } else {
    q = db('units as u').crossJoin('checks as c', 'c.unit_id', 'u.id');
    whereUnitInScope(q, 'u.path', scope);
    if (unitPath) q.where((w) => wherePathPrefix(w, 'u.path', unitPath));
  }
  if (!unitsFirst) whereUnitInScope(q, 'u.path', scope);
  if (f.status) q.where('c.status', f.status);
  if (f.form) q.where('c.form_id', f.form);
  if (f.from) q.where('c.check_date', '>=', f.from);
  if (f.to) q.where('c.check_date', '<=', f.to);
  if (f.scoreMin !== undefined) q.where('c.score', '>=', f.scoreMin);
  if (f.scoreMax !== undefined) q.where('c.score', '<=', f.scoreMax);
  return q;
}

const newestFirst = [
  { column: 'c.check_date', order: 'desc' },
  { column: 'c.id', order: 'desc' },
];

/** One page of the list and the count of the whole. */
export async function checkListPage(
  db: Db,
  scope: Scope,
  f: CheckListFilter,
  unitPath: string | undefined,
  page: number,
  pageSize: number,
): Promise<Page<CheckRow>> {
  const q = listQuery(db, scope, f, unitPath);
  // The page (a top-50 sort) and the count (index only) apart: for a province's 1,680 checks they
  // take 0.9 + 0.2 ms on SQLite where one `count(*) over ()` pass takes 3 ms, since the window
  // makes every row with all its columns before the limit; nation-wide, 1 + 4 ms against 34 ms.
  const [rows, [{ n } = { n: 0 }]] = await Promise.all([
    q.clone().select(listColumns).orderBy(newestFirst).limit(pageSize).offset(offsetOf(page, pageSize)) as Promise<Array<Record<string, unknown>>>,
    q.clone().count({ n: '*' }) as Promise<Array<{ n: unknown }>>,
  ]);
  return pageOf(rows.map(toRow), toCount(n), page, pageSize);
}

/** The whole list (at most `limit` rows), for an export. */
export async function checkListRows(db: Db, scope: Scope, f: CheckListFilter, unitPath: string | undefined, limit: number): Promise<CheckRow[]> {
  const rows = (await listQuery(db, scope, f, unitPath).select(listColumns).orderBy(newestFirst).limit(limit)) as Array<Record<string, unknown>>;
  return rows.map(toRow);
}
