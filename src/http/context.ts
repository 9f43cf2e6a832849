import type { Request } from 'express';
import type { SessionUser } from '../auth/roles.ts';
import type { Actor } from '../lib/actor.ts';
import type { Locale } from '../lib/i18n.ts';
import { AppError } from '../kernel/errors.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's `req.user` is our SessionUser.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
    interface Request {
      locale: Locale;
      /** How the request was authenticated: browser session or API token. */
      authVia?: 'session' | 'token';
    }
  }
}

/** The actor of a request that passed `requireUser`. */
export function actorOf(req: Request): Actor {
  if (!req.user) throw new AppError('UNAUTHENTICATED');
  return { user: req.user, requestId: String(req.id) };
}

/** The client's address as Express sees it (honours TRUST_PROXY). */
export function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
