import { Router, type Request } from 'express';
import type { Passport } from 'passport';
type Authenticator = InstanceType<typeof Passport>;
import type { Services } from '../../services.ts';
import type { SessionUser } from '../../auth/roles.ts';

/** Only a local path may follow sign-in: `/units/5`, never `//evil.example` or a full URL. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authRoutes(passport: Authenticator, s: Pick<Services, 'users'>): Router {
  const r = Router();
  const loginPage = async (req: Request) => ({
    next: safeNext(req.query.next ?? (req.body as Record<string, unknown>)?.next),
    needsSetup: await s.users.needsSetup(),
  });

  r.get('/login', async (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('auth/login', await loginPage(req));
  });

  r.post('/login', (req, res, next) => {
    passport.authenticate('local', (err: unknown, user: SessionUser | false, info?: { message?: string }) => {
      if (err) return next(err);
      const body = req.body as Record<string, unknown>;
      if (!user) {
        const [code, minutes] = (info?.message ?? '').split(':');
        const throttled = code === 'LOGIN_THROTTLED';
        loginPage(req).then((locals) => {
          // One message for a wrong user and a wrong password alike.
          res.status(throttled ? 429 : 401).render('auth/login', {
            ...locals,
            values: { username: body.username },
            loginError: throttled ? 'LOGIN_THROTTLED' : 'UNAUTHENTICATED',
            minutes: Number(minutes ?? 0),
          });
        }, next);
        return;
      }
      // passport regenerates the session id here, so a pre-sign-in id cannot be fixed on a victim.
      req.logIn(user, (e) => (e ? next(e) : res.redirect(safeNext(body.next))));
    })(req, res, next);
  });

  r.post('/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => {
        res.clearCookie('isotrack.sid');
        res.redirect('/login?notice=signed_out');
      });
    });
  });
  return r;
}
