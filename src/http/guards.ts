import type { NextFunction, Request, Response } from 'express';
import { isAdmin } from '../auth/roles.ts';
import { AppError } from '../kernel/errors.ts';

/** Pages: a visitor who is not signed in is sent to the sign-in page and brought back after. */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  if (req.method === 'GET') {
    res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new AppError('UNAUTHENTICATED'));
}

/** API: 401 in JSON, never a redirect. */
export function requireApiUser(req: Request, _res: Response, next: NextFunction): void {
  if (req.user) return next();
  next(new AppError('UNAUTHENTICATED'));
}

/** Administrator-only areas do not exist for anyone else (404, as for anything out of scope). */
export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (isAdmin(req.user)) return next();
  next(new AppError('NOT_FOUND'));
}
