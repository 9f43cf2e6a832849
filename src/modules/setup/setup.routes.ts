import { Router } from 'express';
import type { Services } from '../../services.ts';
import { AppError } from '../../kernel/errors.ts';
import { handleForm } from '../../http/render.ts';

/** First run: the one-time link printed on the console creates the first administrator. */
export function setupRoutes(s: Pick<Services, 'users'>): Router {
  const r = Router();
  r.get('/setup', async (req, res) => {
    if (!(await s.users.setupTokenValid(req.query.token))) throw new AppError('SETUP_CLOSED');
    res.render('setup/setup', { token: req.query.token });
  });
  r.post('/setup', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    await handleForm(
      req,
      res,
      'setup/setup',
      () => ({ token: body.token }),
      async () => {
        await s.users.completeSetup(body.token, body);
        res.redirect('/login?notice=setup_done');
      },
    );
  });
  return r;
}
