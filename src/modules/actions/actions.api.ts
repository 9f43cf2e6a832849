import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import { pageBody } from '../units/units.api.ts';
import type { ActionView } from './actions.service.ts';
import { knownQuery } from '../../http/known-query.ts';
import { findingQuery, listQuery } from './actions.schemas.ts';

/** What a client needs of an action: the row, whether it is overdue, the moves open to the caller. */
function actionBody(a: ActionView) {
  const { unitPath: _path, ...rest } = a;
  return rest;
}

/**
 * `/api/v1/findings` (list with filters, read one with its actions, close) and `/api/v1/actions`
 * (list with filters, read, create on a finding, edit, move along the life cycle).
 */
export function actionApi(s: Pick<Services, 'actions'>): Router {
  const r = Router();
  r.use(['/findings', '/actions'], requireApiUser);

  r.get('/findings', knownQuery(findingQuery), async (req, res) => {
    const page = await s.actions.listFindings(actorOf(req), req.query, true);
    res.json(pageBody({ ...page, items: page.items.map(({ unitPath: _p, ...f }) => f) }));
  });
  r.get('/findings/:id', async (req, res) => {
    const d = await s.actions.finding(actorOf(req), parseId(req.params.id));
    const { unitPath: _p, ...finding } = d.finding;
    res.json({ data: { ...finding, itemText: d.itemText, actions: d.actions.map(actionBody), canManage: d.canManage, blocking: d.blocking.map((a) => a.id) } });
  });
  r.post('/findings/:id/close', async (req, res) => {
    const { unitPath: _p, ...finding } = await s.actions.closeFinding(actorOf(req), parseId(req.params.id));
    res.json({ data: finding });
  });
  r.post('/findings/:id/actions', async (req, res) => {
    const a = await s.actions.create(actorOf(req), parseId(req.params.id), req.body);
    res.status(201).json({ data: actionBody(a) });
  });

  r.get('/actions', knownQuery(listQuery), async (req, res) => {
    const { page } = await s.actions.list(actorOf(req), req.query, true);
    res.json(pageBody({ ...page, items: page.items.map(actionBody) }));
  });
  r.get('/actions/:id', async (req, res) => {
    res.json({ data: actionBody(await s.actions.action(actorOf(req), parseId(req.params.id))) });
  });
  r.put('/actions/:id', async (req, res) => {
    res.json({ data: actionBody(await s.actions.update(actorOf(req), parseId(req.params.id), req.body)) });
  });
  // `{ to, note?, version? }`: in_progress, done (owner or manager), verified or reopened (a verifier, not the owner).
  r.post('/actions/:id/transition', async (req, res) => {
    res.json({ data: actionBody(await s.actions.transition(actorOf(req), parseId(req.params.id), req.body)) });
  });
  return r;
}
