import type { NextFunction, Request, Response } from 'express';
import type { Passport } from 'passport';
type Authenticator = InstanceType<typeof Passport>;
import { Strategy as LocalStrategy } from 'passport-local';
import { AppError } from '../kernel/errors.ts';
import type { UsersService } from '../modules/users/users.service.ts';
import type { SessionUser } from './roles.ts';
import { addressOf } from '../http/context.ts';

/**
 * One Passport instance per app (not the process-wide default), so tests can build many apps.
 * The session holds only the user id; the user and roles are read again on each request, so a
 * revoked role or a deactivated account takes effect at once on every app process.
 */
export function configurePassport(passport: Authenticator, users: UsersService): void {
  passport.use(
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      const address = addressOf(req);
      users.authenticate(username, password, address).then(
        (user) => done(null, user),
        (err: unknown) => {
          if (err instanceof AppError && (err.code === 'UNAUTHENTICATED' || err.code === 'LOGIN_THROTTLED')) {
            done(null, false, { message: `${err.code}:${err.params.minutes ?? 0}` });
          } else done(err);
        },
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as SessionUser).id));
  passport.deserializeUser((id: unknown, done) => {
    users.sessionUser(Number(id)).then((u) => done(null, u ?? false), done);
  });
}

/** `Authorization: Bearer <token>` on the API: a personal token stands for its owner. Wrong
 *  tokens are counted per client address and throttled (UsersService.authenticateToken). */
export function tokenAuth(users: UsersService) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    if (!header || !req.path.startsWith('/api/')) return next();
    const m = /^Bearer\s+(\S{10,200})$/i.exec(header);
    if (!m) return next(new AppError('TOKEN_INVALID'));
    const address = addressOf(req);
    users.authenticateToken(m[1] as string, address).then((user) => {
      req.user = user;
      req.authVia = 'token';
      next();
    }, next);
  };
}
