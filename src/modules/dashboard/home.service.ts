import type { Knex } from 'knex';
import { scopeFor, type Scope } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import type { DashboardRow, DashboardService } from './dashboard.service.ts';

/** One thing due: what, of which unit, by when, and where to open it. */
export interface DueItem {
  kind: 'action' | 'review' | 'audit' | 'programme' | 'report' | 'merger';
  title: string;
  unitId: number;
  unitName: string;
  due: string;
  overdue: boolean;
  link: string;
}

export interface Home {
  today: string;
  week: DueItem[];
  month: DueItem[];
  units: Array<{ id: number; name: string; row: DashboardRow | undefined }>;
  notifications: Array<{ id: number; title: string; link: string | null; createdAt: string; read: boolean }>;
  canDashboard: boolean;
  canImport: boolean;
}

type Row = Record<string, unknown>;

const holds = (s: Scope) => s.all || s.paths.length > 0;

/** `YYYY-MM-DD` plus some days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function monthEnd(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The officer's home page: what is due this week and this month, readiness, notifications. */
export class HomeService {
  constructor(
    private readonly db: Knex,
    private readonly dashboard: DashboardService,
  ) {}

  async home(actor: Actor, locale: 'vi' | 'en'): Promise<Home> {
    const c = this.dashboard.context();
    const today = c.today;
    const weekEnd = addDays(today, 6);
    const end = monthEnd(today) > weekEnd ? monthEnd(today) : weekEnd;
    const scope = scopeFor(actor.user, 'unit.read');
    const db = this.db;
    const scoped = (q: Knex.QueryBuilder, pathColumn = 'u.path') => whereUnitInScope(q, pathColumn, scope);
    const none = Promise.resolve([] as Row[]);

    // The units of the caller's own roles (not their whole subtree: a coordinator has the dashboard).
    const own = [...new Map(actor.user.roles.filter((r) => r.unitId !== null).map((r) => [r.unitId as number, r.unitName ?? ''])).entries()].slice(0, 5);

    const [checks, actions, reviews, programme, reports, notes, ownRows, merged] = await Promise.all([
      scoped(
        db('checks as k')
          .join('units as u', 'u.id', 'k.unit_id')
          .whereIn('k.status', ['planned', 'in_progress'])
          .where('k.check_date', '<=', end)
          .orderBy('k.check_date')
          .limit(50)
          .select('k.id', 'k.check_date', 'k.form_json', 'u.id as unit_id', 'u.name as unit_name'),
      ) as Promise<Row[]>,
      scoped(
        db('corrective_actions as a')
          .join('units as u', 'u.id', 'a.unit_id')
          .whereNotIn('a.status', ['done', 'verified'])
          .where('a.due_date', '<=', end)
          .whereNull('a.deleted_at')
          .orderBy('a.due_date')
          .limit(50)
          .select('a.id', 'a.action', 'a.due_date', 'u.id as unit_id', 'u.name as unit_name'),
      ) as Promise<Row[]>,
      scoped(
        db('management_reviews as r')
          .join('units as u', 'u.id', 'r.unit_id')
          .where('r.status', 'draft')
          .where('r.review_date', '<=', end)
          .whereNull('r.deleted_at')
          .orderBy('r.review_date')
          .limit(50)
          .select('r.id', 'r.review_date', 'u.id as unit_id', 'u.name as unit_name'),
      ) as Promise<Row[]>,
      scoped(
        db('audit_programme_items as i')
          .join('audit_programmes as p', 'p.id', 'i.programme_id')
          .join('units as u', 'u.id', 'i.unit_id')
          .where('p.year', c.year)
          .where('i.planned_month', '<=', Number(end.slice(5, 7)))
          .whereNull('i.check_id')
          .orderBy('i.planned_month')
          .limit(50)
          .select('i.id', 'i.planned_month', 'i.programme_id', 'u.id as unit_id', 'u.name as unit_name'),
      ) as Promise<Row[]>,
      own.length
        ? (db('documents')
            .whereIn(
              'unit_id',
              own.map(([id]) => id),
            )
            .where('type', 'yearly-report')
            .where('status', 'issued')
            .where((w) => w.where('year', c.year).orWhereBetween('issue_date', [`${c.year}-01-01`, `${c.year}-12-31`]))
            .select('unit_id') as Promise<Row[]>)
        : none,
      db('notifications')
        .where('user_id', actor.user.id)
        .orderBy('id', 'desc')
        .limit(5)
        .select('id', 'title_vi', 'title_en', 'link', 'read_at', 'created_at') as Promise<Row[]>,
      own.length ? this.dashboard.rowsOf({ scope, ids: own.map(([id]) => id) }, null) : Promise.resolve([] as DashboardRow[]),
      // A unit made by a merger and not yet declared again: carry over, then re-declare.
      own.length
        ? (db('units as u')
            .join('unit_mergers as m', 'm.unit_id', 'u.id')
            .whereIn(
              'u.id',
              own.map(([id]) => id),
            )
            .where('u.iso_state', 'needs_redeclaration')
            .select('u.id as unit_id', 'u.name as unit_name', 'm.predecessors_json') as Promise<Row[]>)
        : none,
    ]);

    const items: DueItem[] = [];
    const push = (kind: DueItem['kind'], r: Row, title: string, due: string, link: string) =>
      items.push({ kind, title, unitId: Number(r.unit_id), unitName: String(r.unit_name), due, overdue: due < today, link });
    for (const r of checks) {
      const form = JSON.parse(String(r.form_json)) as { title?: Record<string, string> };
      push('audit', r, form.title?.[locale] ?? form.title?.vi ?? '', String(r.check_date), `/checks/${Number(r.id)}`);
    }
    for (const r of actions) push('action', r, String(r.action ?? ''), String(r.due_date), `/units/${Number(r.unit_id)}/actions`);
    for (const r of reviews) push('review', r, '', String(r.review_date), `/reviews/${Number(r.id)}`);
    for (const r of programme) {
      const m = String(r.planned_month).padStart(2, '0');
      push('programme', r, '', monthEnd(`${c.year}-${m}-01`), `/units/${Number(r.unit_id)}/programme`);
    }
    const sent = new Set(reports.map((r) => Number(r.unit_id)));
    // The report's deadline is set by each province (DOMAIN.md: unconfirmed, most in December):
    // an unsent report is dated the year's end, so it shows on December's list.
    for (const [id, name] of own)
      if (!sent.has(id)) push('report', { unit_id: id, unit_name: name }, String(c.year), `${c.year}-12-31`, `/units/${id}/readiness`);
    for (const r of new Map(merged.map((m) => [Number(m.unit_id), m])).values()) {
      const names = (JSON.parse(String(r.predecessors_json)) as Array<{ name: string }>).map((p) => p.name).join(', ');
      push('merger', r, names, today, `/units/${Number(r.unit_id)}/carry-over`);
    }
    items.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.kind.localeCompare(b.kind)));
    const byId = new Map(ownRows.map((r) => [r.id, r]));
    return {
      today,
      week: items.filter((i) => i.due <= weekEnd),
      month: items.filter((i) => i.due > weekEnd && i.due <= monthEnd(today)),
      // A province's readiness means little (its communes have theirs on the dashboard).
      units: own.map(([id, name]) => {
        const row = byId.get(id);
        return { id, name: row?.name ?? name, row: row?.kind === 'province' ? undefined : row };
      }),
      notifications: notes.map((n) => ({
        id: Number(n.id),
        title: String(locale === 'en' ? n.title_en : n.title_vi),
        link: (n.link as string | null) ?? null,
        createdAt: String(n.created_at),
        read: !!n.read_at,
      })),
      canDashboard: holds(scopeFor(actor.user, 'dashboard.read')),
      canImport: holds(scopeFor(actor.user, 'ontime.import')),
    };
  }
}
