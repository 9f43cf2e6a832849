import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../kernel/errors.ts';
import { toFieldErrors } from '../kernel/validation.ts';

/**
 * An API list answers 422 to a query parameter it does not understand, naming it, instead of
 * ignoring it: `GET /findings?unitId=5` (the filter is `unit`) would otherwise return every finding
 * in the caller's scope as if it were filtered.
 */
export function knownQuery(...known: Array<z.ZodObject | readonly string[]>) {
  const names = new Set(known.flatMap((k) => (Array.isArray(k) ? k : Object.keys((k as z.ZodObject).shape))));
  const schemas = known.filter((k): k is z.ZodObject => !Array.isArray(k));
  return (req: Request, _res: Response, next: NextFunction): void => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(query).filter((k) => !names.has(k));
    if (unknown.length === 0) return next();
    // The known filters' own problems are named in the same answer, so one round trip says all.
    const fields = Object.fromEntries(unknown.slice(0, 20).map((k) => [k.slice(0, 60), { key: 'v.unknown_param' }]));
    for (const schema of schemas) {
      const r = schema.safeParse(Object.fromEntries(Object.entries(query).filter(([k]) => names.has(k))));
      if (!r.success) Object.assign(fields, toFieldErrors(r.error));
    }
    next(new AppError('VALIDATION_FAILED', {}, fields));
  };
}
