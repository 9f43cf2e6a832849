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
        const created = await s.users.completeSetup(body.token, body);
        // The person who just chose the password is the administrator: signed in, straight to the
        // start guide on the home page (passport regenerates the session id here).
        const user = await s.users.sessionUser(created.id);
        if (!user) return res.redirect('/login?notice=setup_done');
        await new Promise<void>((resolve, reject) => req.logIn(user, (e) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve())));
        res.redirect('/home?notice=setup_done');
      },
    );
  });
  return r;
}
