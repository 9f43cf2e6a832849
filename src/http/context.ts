import type { Request } from 'express';
import 'express-session';
import type { SessionUser } from '../auth/roles.ts';
import type { Actor } from '../lib/actor.ts';
import type { Locale } from '../lib/i18n.ts';
import { AppError } from '../kernel/errors.ts';

declare module 'express-session' {
  interface SessionData {
    /** Whom the last step was handed on to, shown once on the next page (`takeTold`). */
    told?: string[];
  }
}

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
  return {
    user: req.user,
    requestId: String(req.id),
    // Pages only: a token request keeps no session, and the API's answer is its own message.
    told: (names) => {
      if (names.length && req.authVia !== 'token' && req.session) req.session.told = [...new Set([...(req.session.told ?? []), ...names])];
    },
  };
}

/** The names the last step was handed on to, once: read, they are forgotten. */
export function takeTold(req: Request): string[] {
  const told = req.session?.told;
  if (!told?.length) return [];
  delete req.session.told;
  return told;
}

/** The client's address as Express sees it (honours TRUST_PROXY). */
export function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
