import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import type { DashboardRow } from './dashboard.service.ts';
import { knownQuery } from '../../http/known-query.ts';
import { dashboardQuery } from './dashboard.schemas.ts';

/**
 * A row as the API gives it: the figures flat. Every figure is known (the app's migrations create
 * the tables behind each), so `unknown` is always empty; it stays for the clients that read it.
 */
export function rowBody(r: DashboardRow) {
  const f = r.facts;
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    isoState: r.isoState,
    isoStandard: r.isoStandard,
    declaredOn: f.declaredOn,
    validForCurrentScope: r.isoState === 'declared',
    lastInternalAudit: f.lastInternalAudit,
    lastManagementReview: f.lastReview,
    openMajorFindings: f.openMajors,
    overdueCorrectiveActions: f.overdueActions,
    lastInspection: f.lastInspection,
    violationsThisYear: f.violationsThisYear,
    onTimeRate: f.onTimeRate,
    satisfactionIndex: f.satisfactionIndex,
    readiness: r.readiness.score,
    unknown: [] as string[],
  };
}

/** `/api/v1`: the dashboard figures and a unit's readiness. */
export function dashboardApi(s: Pick<Services, 'dashboard'>): Router {
  const r = Router();
  r.use(['/dashboard', '/units/:id/readiness'], requireApiUser);
  r.get('/dashboard', knownQuery(dashboardQuery), async (req, res) => {
    const d = await s.dashboard.open(actorOf(req), req.query);
    if ('national' in d) {
      res.json({ data: d.national.provinces, meta: { scope: 'national', asOf: d.national.asOf, totals: d.national.totals } });
      return;
    }
    const p = d.province;
    res.json({
      data: p.rows.map(rowBody),
      meta: {
        scope: 'province',
        asOf: p.asOf,
        unit: { id: p.root.id, code: p.root.code, name: p.root.name },
        total: p.total,
        shown: p.rows.length,
        byState: p.byState,
        trend: p.trend,
        sort: p.query.sort,
        dir: p.dir,
      },
    });
  });
  r.get('/units/:id/readiness', async (req, res) => {
    const { row } = await s.dashboard.unitReadiness(actorOf(req), parseId(req.params.id));
    const t = res.locals.t as ((k: string, p?: Record<string, string | number>) => string) | undefined;
    res.json({
      data: {
        unitId: row.id,
        score: row.readiness.score,
        met: row.readiness.met,
        known: row.readiness.known,
        items: row.readiness.items.map((i) => ({
          key: i.key,
          status: i.status,
          ...(i.informational ? { informational: true } : {}),
          explanation: t ? t(`dashboard.readiness.${i.key}.${i.reason}`, i.params) : i.reason,
          ...i.params,
        })),
      },
    });
  });
  return r;
}
