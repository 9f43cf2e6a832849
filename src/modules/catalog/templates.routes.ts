import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { inScope, scopeFor } from '../../auth/roles.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { can } from './procedures.access.ts';
import { isFormError } from './procedures.routes.ts';

/** Template procedures (framework model): adopt a copy, see what a newer template changed, take it. */
export function templateRoutes(s: Pick<Services, 'catalog'>): Router {
  const r = Router();
  const c = s.catalog;

  async function available(req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const actor = actorOf(req);
    const d = await c.templates.available(actor, parseId(req.params.id));
    res.status(status).render('catalog/templates', {
      ...d,
      values: {},
      errors: {},
      canWrite: inScope(scopeFor(actor.user, 'catalog.write'), d.unit.path),
      canPublish: inScope(scopeFor(actor.user, 'tthc.manage'), d.unit.path),
      ...extra,
    });
  }

  r.get('/units/:id/templates', (req, res) => available(req, res));

  r.post('/units/:id/templates/:templateId/adopt', async (req, res) => {
    try {
      const p = await c.templates.adopt(actorOf(req), parseId(req.params.id), parseId(req.params.templateId), req.body);
      res.redirect(withNotice(`/procedures/${p.id}`, 'created'));
    } catch (err) {
      if (!isFormError(err)) throw err;
      await available(req, res, err.status, { formError: { code: err.code, params: err.params }, values: req.body ?? {} });
    }
  });

  async function diff(req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const actor = actorOf(req);
    const procedure = await c.procedures.get(actor, parseId(req.params.id));
    const st = await c.templates.status(actor, procedure.id);
    if (!st) throw new AppError('NOT_FOUND');
    res.status(status).render('catalog/template-diff', { procedure, st, canWrite: can(actor, procedure, 'catalog.write'), errors: {}, ...extra });
  }

  r.get('/procedures/:id/template', (req, res) => diff(req, res));

  r.post('/procedures/:id/template/take', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      await c.templates.take(actorOf(req), id);
      res.redirect(withNotice(`/procedures/${id}`, 'saved'));
    } catch (err) {
      if (!isFormError(err)) throw err;
      await diff(req, res, err.status, { formError: { code: err.code, params: err.params } });
    }
  });
  return r;
}
