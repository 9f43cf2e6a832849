import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import type { Db } from '../../kernel/db.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

/** What the home page lists: the things due in the caller's scope (at most 50 of each), notifications. */

export interface OfUnit {
  id: number;
  unitId: number;
  unitName: string;
}

const scoped = (q: Knex.QueryBuilder, scope: Scope) => whereUnitInScope(q, 'u.path', scope);
const ofUnit = (r: Record<string, unknown>): OfUnit => ({ id: Number(r.id), unitId: Number(r.unit_id), unitName: String(r.unit_name) });

/** Checks planned or in progress dated up to `end`, by date. */
export async function checksDue(db: Db, scope: Scope, end: string): Promise<Array<OfUnit & { checkDate: string; formJson: string }>> {
  const q = db('checks as k')
    .join('units as u', 'u.id', 'k.unit_id')
    .whereIn('k.status', ['planned', 'in_progress'])
    .where('k.check_date', '<=', end)
    .orderBy('k.check_date')
    .limit(50)
    .select('k.id', 'k.check_date', 'k.form_json', 'u.id as unit_id', 'u.name as unit_name');
  const rows = (await scoped(q, scope)) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ ...ofUnit(r), checkDate: String(r.check_date), formJson: String(r.form_json) }));
}

/** Corrective actions not done, due up to `end`, by due date. */
export async function actionsDue(db: Db, scope: Scope, end: string): Promise<Array<OfUnit & { action: string; dueDate: string }>> {
  const q = db('corrective_actions as a')
    .join('units as u', 'u.id', 'a.unit_id')
    .whereNotIn('a.status', ['done', 'verified'])
    .where('a.due_date', '<=', end)
    .whereNull('a.deleted_at')
    .orderBy('a.due_date')
    .limit(50)
    .select('a.id', 'a.action', 'a.due_date', 'u.id as unit_id', 'u.name as unit_name');
  const rows = (await scoped(q, scope)) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ ...ofUnit(r), action: String(r.action ?? ''), dueDate: String(r.due_date) }));
}

/** Management reviews still drafts, dated up to `end`, by date. */
export async function reviewsDue(db: Db, scope: Scope, end: string): Promise<Array<OfUnit & { reviewDate: string }>> {
  const q = db('management_reviews as r')
    .join('units as u', 'u.id', 'r.unit_id')
    .where('r.status', 'draft')
    .where('r.review_date', '<=', end)
    .whereNull('r.deleted_at')
    .orderBy('r.review_date')
    .limit(50)
    .select('r.id', 'r.review_date', 'u.id as unit_id', 'u.name as unit_name');
  const rows = (await scoped(q, scope)) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ ...ofUnit(r), reviewDate: String(r.review_date) }));
}

/** The year's audit programme items with no check yet, planned up to `month`, by month. */
export async function programmeItemsDue(db: Db, scope: Scope, year: number, month: number): Promise<Array<OfUnit & { plannedMonth: string }>> {
  const q = db('audit_programme_items as i')
    .join('audit_programmes as p', 'p.id', 'i.programme_id')
    .join('units as u', 'u.id', 'i.unit_id')
    .where('p.year', year)
    .where('i.planned_month', '<=', month)
    .whereNull('i.check_id')
    .orderBy('i.planned_month')
    .limit(50)
    .select('i.id', 'i.planned_month', 'i.programme_id', 'u.id as unit_id', 'u.name as unit_name');
  const rows = (await scoped(q, scope)) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ ...ofUnit(r), plannedMonth: String(r.planned_month) }));
}

/** Which of the units have issued their yearly report of the year (of the year, or issued in it). */
export async function unitsWithYearlyReport(db: Db, unitIds: number[], year: number): Promise<number[]> {
  if (!unitIds.length) return [];
  const rows = (await db('documents')
    .whereIn('unit_id', unitIds)
    .where('type', 'yearly-report')
    .where('status', 'issued')
    .where((w) => w.where('year', year).orWhereBetween('issue_date', [`${year}-01-01`, `${year}-12-31`]))
    .select('unit_id')) as Array<Record<string, unknown>>;
  return rows.map((r) => Number(r.unit_id));
}

export interface NotificationLine {
  id: number;
  titleVi: string;
  titleEn: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

/** The user's five latest notifications, newest first. */
export async function latestNotifications(db: Db, userId: number): Promise<NotificationLine[]> {
  const rows = (await db('notifications')
    .where('user_id', userId)
    .orderBy('id', 'desc')
    .limit(5)
    .select('id', 'title_vi', 'title_en', 'link', 'read_at', 'created_at')) as Array<Record<string, unknown>>;
  return rows.map((n) => ({
    id: Number(n.id),
    titleVi: String(n.title_vi),
    titleEn: String(n.title_en),
    link: (n.link as string | null) ?? null,
    readAt: (n.read_at as string | null) ?? null,
    createdAt: String(n.created_at),
  }));
}

/** The units made by a merger and not yet declared again, with the names they were made of (one row per merger). */
export async function mergedToRedeclare(db: Db, unitIds: number[]): Promise<Array<{ unitId: number; unitName: string; predecessorsJson: string }>> {
  if (!unitIds.length) return [];
  const rows = (await db('units as u')
    .join('unit_mergers as m', 'm.unit_id', 'u.id')
    .whereIn('u.id', unitIds)
    .where('u.iso_state', 'needs_redeclaration')
    .select('u.id as unit_id', 'u.name as unit_name', 'm.predecessors_json')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ unitId: Number(r.unit_id), unitName: String(r.unit_name), predecessorsJson: String(r.predecessors_json) }));
}
