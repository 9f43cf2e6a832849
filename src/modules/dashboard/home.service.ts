import type { Knex } from 'knex';
import { scopeFor, type Scope } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import type { DashboardRow, DashboardService } from './dashboard.service.ts';
import {
  actionsDue,
  checksDue,
  latestNotifications,
  mergedToRedeclare,
  programmeItemsDue,
  reviewsDue,
  unitsWithYearlyReport,
  type OfUnit,
} from './home.repository.ts';

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

    // The units of the caller's own roles (not their whole subtree: a coordinator has the dashboard).
    const own = [...new Map(actor.user.roles.filter((r) => r.unitId !== null).map((r) => [r.unitId as number, r.unitName ?? ''])).entries()].slice(0, 5);
    const ownIds = own.map(([id]) => id);

    const [checks, actions, reviews, programme, reports, notes, ownRows, merged] = await Promise.all([
      checksDue(db, scope, end),
      actionsDue(db, scope, end),
      reviewsDue(db, scope, end),
      programmeItemsDue(db, scope, c.year, Number(end.slice(5, 7))),
      unitsWithYearlyReport(db, ownIds, c.year),
      latestNotifications(db, actor.user.id),
      own.length ? this.dashboard.rowsOf({ scope, ids: ownIds }, null) : Promise.resolve([] as DashboardRow[]),
      // A unit made by a merger and not yet declared again: carry over, then re-declare.
      mergedToRedeclare(db, ownIds),
    ]);

    const items: DueItem[] = [];
    const push = (kind: DueItem['kind'], r: Pick<OfUnit, 'unitId' | 'unitName'>, title: string, due: string, link: string) =>
      items.push({ kind, title, unitId: r.unitId, unitName: r.unitName, due, overdue: due < today, link });
    for (const r of checks) {
      const form = JSON.parse(r.formJson) as { title?: Record<string, string> };
      push('audit', r, form.title?.[locale] ?? form.title?.vi ?? '', r.checkDate, `/checks/${r.id}`);
    }
    for (const r of actions) push('action', r, r.action, r.dueDate, `/units/${r.unitId}/actions`);
    for (const r of reviews) push('review', r, '', r.reviewDate, `/reviews/${r.id}`);
    for (const r of programme) {
      const m = r.plannedMonth.padStart(2, '0');
      push('programme', r, '', monthEnd(`${c.year}-${m}-01`), `/units/${r.unitId}/programme`);
    }
    const sent = new Set(reports);
    // The report's deadline is set by each province (DOMAIN.md: unconfirmed, most in December):
    // an unsent report is dated the year's end, so it shows on December's list.
    for (const [id, name] of own)
      if (!sent.has(id)) push('report', { unitId: id, unitName: name }, String(c.year), `${c.year}-12-31`, `/units/${id}/readiness`);
    for (const r of new Map(merged.map((m) => [m.unitId, m])).values()) {
      const names = (JSON.parse(r.predecessorsJson) as Array<{ name: string }>).map((p) => p.name).join(', ');
      push('merger', r, names, today, `/units/${r.unitId}/carry-over`);
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
      notifications: notes.map((n) => ({ id: n.id, title: locale === 'en' ? n.titleEn : n.titleVi, link: n.link, createdAt: n.createdAt, read: !!n.readAt })),
      canDashboard: holds(scopeFor(actor.user, 'dashboard.read')),
      canImport: holds(scopeFor(actor.user, 'ontime.import')),
    };
  }
}
