import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser, requireUser } from '../../http/guards.ts';
import { pageBody } from '../units/units.api.ts';

export function auditRoutes(s: Pick<Services, 'audit'>): Router {
  const r = Router();
  r.get('/audit', requireUser, async (req, res) => {
    res.render('audit/index', { page: await s.audit.list(actorOf(req), req.query) });
  });
  return r;
}

export function auditApi(s: Pick<Services, 'audit'>): Router {
  const r = Router();
  r.get('/audit', requireApiUser, async (req, res) => {
    res.json(pageBody(await s.audit.list(actorOf(req), req.query)));
  });
  return r;
}
