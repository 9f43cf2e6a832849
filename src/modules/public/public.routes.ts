import { Router } from 'express';
import type { Services } from '../../services.ts';
import { handleForm } from '../../http/render.ts';
import { fieldOf } from './survey.logic.ts';

/**
 * The public pages, open without sign-in on purpose: a unit's page and its satisfaction survey.
 * No `requireUser` here: they read only public facts (PublicService), and the survey form still
 * passes the CSRF check (the double-submit cookie, bound to no session before sign-in).
 */
export function publicRoutes(s: Pick<Services, 'publicPages'>): Router {
  const r = Router();

  r.get('/cong-khai/:code', async (req, res) => {
    res.render('public/page', { page: await s.publicPages.page(req.params.code) });
  });

  r.get('/cong-khai/:code/khao-sat', async (req, res) => {
    res.render('public/survey', { ...(await s.publicPages.survey(req.params.code)), fieldOf });
  });

  r.post('/cong-khai/:code/khao-sat', async (req, res) => {
    const ctx = await s.publicPages.survey(req.params.code);
    await handleForm(
      req,
      res,
      'public/survey',
      () => ({ ...ctx, fieldOf }),
      async () => {
        await s.publicPages.answer(ctx, req.body as Record<string, unknown>, req.ip ?? '');
        res.redirect(303, `/cong-khai/${encodeURIComponent(ctx.unit.code)}/khao-sat/cam-on`);
      },
    );
  });

  r.get('/cong-khai/:code/khao-sat/cam-on', async (req, res) => {
    res.render('public/thanks', { unit: (await s.publicPages.survey(req.params.code)).unit });
  });
  return r;
}
