import { z } from 'zod';
import { optionalId, optionalText, requiredDate } from '../../kernel/validation.ts';

/** Largest count accepted: a unit settles a few thousand dossiers a quarter, never millions. */
export const countMax = 10_000_000;

/**
 * A count as typed on a page (text) or sent by the API (number): a whole number from 0. Text like
 * "1.5", "-3" or "mười" is refused with the same message, never coerced.
 */
export const count = z.unknown().transform((v, ctx) => {
  if (v === '' || v === null || v === undefined) {
    ctx.addIssue({ code: 'custom', message: 'v.required' });
    return z.NEVER;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > countMax) {
    ctx.addIssue({ code: 'custom', message: 'v.ontime_count' });
    return z.NEVER;
  }
  return n;
});

export const figureInput = z
  .object({
    periodStart: requiredDate,
    periodEnd: requiredDate,
    received: count,
    early: count,
    onTime: count,
    late: count,
    apologies: count,
  })
  .refine((d) => d.periodStart <= d.periodEnd, { path: ['periodEnd'], error: 'v.date_order' });

export type FigureInput = z.infer<typeof figureInput>;

/** The API names the unit in the body, by id or by code. */
export const apiFigureInput = z.object({ unitId: optionalId, unitCode: optionalText(50) });
