import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import { satisfactionWorkbook } from './satisfaction.excel.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Pages: a unit's survey results per quarter and their Excel export (the unit's people and coordinators). */
export function satisfactionRoutes(s: Pick<Services, 'satisfaction'>): Router {
  const r = Router();
  r.use('/units/:id/satisfaction', requireUser);
  r.get('/units/:id/satisfaction', async (req, res) => {
    res.render('public/results', { ...(await s.satisfaction.results(actorOf(req), parseId(req.params.id), req.query.q)) });
  });
  r.get('/units/:id/satisfaction/export.xlsx', async (req, res) => {
    const d = await s.satisfaction.results(actorOf(req), parseId(req.params.id), req.query.q);
    const t = res.locals.t as Parameters<typeof satisfactionWorkbook>[1];
    res
      .attachment(`hai-long-${d.unit.code}-${d.quarter.key}.xlsx`)
      .type(xlsxType)
      .send(await satisfactionWorkbook(d, t, req.locale));
  });
  return r;
}
