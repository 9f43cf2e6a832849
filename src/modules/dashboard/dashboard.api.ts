import { Router } from 'express';
import type { Services } from '../../app.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../http/validation.ts';
import type { DashboardRow } from './dashboard.service.ts';

/** A row as the API gives it: the figures flat, unknown figures as null with their name in `unknown`. */
export function rowBody(r: DashboardRow) {
  const f = r.facts;
  const known = <T>(v: T | undefined) => (v === undefined ? null : v);
  return {
    id: r.id, code: r.code, name: r.name, kind: r.kind, isoState: r.isoState, isoStandard: r.isoStandard,
    declaredOn: known(f.declaredOn), validForCurrentScope: r.isoState === 'declared',
    lastInternalAudit: f.lastInternalAudit, lastManagementReview: known(f.lastReview), openMajorFindings: known(f.openMajors),
    overdueCorrectiveActions: known(f.overdueActions), lastInspection: known(f.lastInspection), violationsThisYear: known(f.violationsThisYear),
    onTimeRate: f.onTimeRate, readiness: r.readiness.score,
    unknown: (['declaredOn', 'lastReview', 'openMajors', 'overdueActions', 'lastInspection', 'violationsThisYear', 'yearlyReportSent'] as const).filter((k) => f[k] === undefined),
  };
}

/** `/api/v1`: the dashboard figures and a unit's readiness. */
export function dashboardApi(s: Services): Router {
  const r = Router();
  r.use(['/dashboard', '/units/:id/readiness'], requireApiUser);
  r.get('/dashboard', async (req, res) => {
    const d = await s.dashboard.open(actorOf(req), req.query);
    if ('national' in d) {
      res.json({ data: d.national.provinces, meta: { scope: 'national', asOf: d.national.asOf, totals: d.national.totals } });
      return;
    }
    const p = d.province;
    res.json({
      data: p.rows.map(rowBody),
      meta: { scope: 'province', asOf: p.asOf, unit: { id: p.root.id, code: p.root.code, name: p.root.name }, total: p.total, shown: p.rows.length, byState: p.byState, trend: p.trend, sort: p.query.sort, dir: p.dir },
    });
  });
  r.get('/units/:id/readiness', async (req, res) => {
    const { row } = await s.dashboard.unitReadiness(actorOf(req), parseId(req.params.id));
    const t = res.locals.t as ((k: string, p?: Record<string, string | number>) => string) | undefined;
    res.json({
      data: {
        unitId: row.id, score: row.readiness.score, met: row.readiness.met, known: row.readiness.known,
        items: row.readiness.items.map((i) => ({ key: i.key, status: i.status, explanation: t ? t(`dashboard.readiness.${i.key}.${i.reason}`, i.params) : i.reason, ...i.params })),
      },
    });
  });
  return r;
}
