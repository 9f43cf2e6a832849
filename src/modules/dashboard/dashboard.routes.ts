import { Router, type Application } from 'express';
import { TtlCache } from '../../lib/ttl-cache.ts';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import { dashboardWorkbook, nationalWorkbook } from './dashboard.excel.ts';
import { figureLinks } from './dashboard.links.ts';
import { sortKeys } from './dashboard.schemas.ts';
import { isoStates } from '../units/units.types.ts';

function renderView(app: Application, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => app.render(view, locals, (err: Error | null, html: string) => (err ? reject(err) : resolve(html))));
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Pages: the officer's home, the province dashboard (national overview for an administrator), a unit's readiness. */
export function dashboardRoutes(s: Pick<Services, 'dashboard' | 'home' | 'handoffs' | 'setupGuide'>, cacheMs = 0): Router {
  const r = Router();
  const fragments = new TtlCache<string, string>(cacheMs, 200);
  r.use(['/home', '/dashboard', '/units/:id/readiness'], requireUser);

  r.get('/home', async (req, res) => {
    const actor = actorOf(req);
    const [home, waiting, guide] = await Promise.all([s.home.home(actor, req.locale), s.handoffs.waitingFor(actor, req.locale), s.setupGuide.forActor(actor)]);
    res.render('home/index', { home, waiting, guide });
  });

  r.get('/dashboard', async (req, res) => {
    const d = await s.dashboard.open(actorOf(req), req.query);
    if ('national' in d) return res.render('dashboard/national', { d: d.national, states: isoStates });
    const p = d.province;
    const locals = { d: p, states: isoStates, sortKeys, links: figureLinks };
    // The rows are most of the page (about 1 kB a unit): rendered once for the same figures,
    // language and filter, and reused while the figures are (DASHBOARD_CACHE_SECONDS).
    const q = p.query;
    const key = `${p.stamp}|${req.locale}|${q.sort}|${p.dir}|${q.state ?? ''}|${q.below ?? ''}|${q.q ?? ''}`;
    let rowsHtml = fragments.get(key);
    if (rowsHtml === undefined) {
      rowsHtml = await renderView(req.app, 'dashboard/_rows', { ...res.locals, ...locals });
      fragments.set(key, rowsHtml);
    }
    res.render('dashboard/province', { ...locals, rowsHtml });
  });

  r.get('/dashboard/export.xlsx', async (req, res) => {
    const d = await s.dashboard.open(actorOf(req), req.query);
    const t = res.locals.t as Parameters<typeof dashboardWorkbook>[1];
    if ('national' in d)
      return void res
        .attachment(`isotrack-toan-quoc-${d.national.asOf}.xlsx`)
        .type(xlsxType)
        .send(await nationalWorkbook(d.national, t));
    const code = d.province.root.code.replace(/[^\w.-]+/g, '_');
    res
      .attachment(`isotrack-${code}-${d.province.asOf}.xlsx`)
      .type(xlsxType)
      .send(await dashboardWorkbook(d.province, t));
  });

  r.get('/units/:id/readiness', async (req, res) => {
    const { unit, row } = await s.dashboard.unitReadiness(actorOf(req), parseId(req.params.id));
    res.render('dashboard/readiness', { unit, row, links: figureLinks });
  });
  return r;
}
