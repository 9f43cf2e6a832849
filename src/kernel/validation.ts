import { z } from 'zod';
import { AppError, type FieldErrors } from './errors.ts';
import { isCalendarDate } from '../lib/time.ts';
import { nfc } from '../lib/text.ts';

/**
 * Zod glue. Messages are locale keys (`v.*`, with `|n` for a number parameter), so that the same
 * schema serves the Vietnamese and English pages and the JSON API.
 */
export const requiredText = (max: number) =>
  z
    .string({ error: 'v.required' })
    .transform(nfc)
    .pipe(
      z
        .string()
        .trim()
        .min(1, { error: 'v.required' })
        .max(max, { error: `v.too_long|${max}` }),
    );

export const optionalText = (max: number) =>
  z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z
      .string()
      .transform(nfc)
      .pipe(
        z
          .string()
          .trim()
          .max(max, { error: `v.too_long|${max}` }),
      )
      .optional(),
  );

export const requiredDate = z.string({ error: 'v.required' }).trim().min(1, { error: 'v.required' }).refine(isCalendarDate, { error: 'v.date' });

export const optionalDate = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z.string().trim().refine(isCalendarDate, { error: 'v.date' }).optional(),
);

/** `15/12/2026` as Vietnamese users type it, or `2026-12-15` as date inputs send it: `YYYY-MM-DD`. */
export function dayFromInput(raw: string): string | undefined {
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw.trim());
  const day = vn ? `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}` : raw.trim();
  return isCalendarDate(day) ? day : undefined;
}

/**
 * `07/12/2026 08:30` as Vietnamese users type a moment (whatever the browser's language), as the
 * `YYYY-MM-DDTHH:mm` a `datetime-local` input sends; anything else is returned as it came, for the
 * caller's own parser to accept (an ISO instant) or refuse.
 */
export function dayTimeFromInput(raw: string): string {
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T,]+(\d{1,2}):(\d{2})$/.exec(raw.trim());
  if (!vn) return raw.trim();
  return `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}T${vn[4]!.padStart(2, '0')}:${vn[5]}`;
}

/** An optional day typed `DD/MM/YYYY` (or `YYYY-MM-DD`), as `YYYY-MM-DD`. */
export const optionalDayVn = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z
    .string()
    .max(20, { error: 'v.day_vn' })
    .transform((v, ctx) => dayFromInput(v) ?? (ctx.addIssue({ code: 'custom', message: 'v.day_vn' }), z.NEVER))
    .optional(),
);

export const optionalId = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  // Bounded like idParam: a larger number overflows PostgreSQL's integer columns (500).
  z.coerce
    .number({ error: 'v.id' })
    .int({ error: 'v.id' })
    .positive({ error: 'v.id' })
    .max(2 ** 31 - 1, { error: 'v.id' })
    .optional(),
);

export const idParam = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

/**
 * Ids from checkboxes (one value or several) or a JSON array: at most `max`, each bounded like
 * `optionalId`; nothing ticked is an empty list.
 */
export const idList = (max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(
        z.coerce
          .number({ error: 'v.id' })
          .int({ error: 'v.id' })
          .positive({ error: 'v.id' })
          .max(2 ** 31 - 1, { error: 'v.id' }),
      )
      .max(max, { error: `v.too_many|${max}` }),
  );

export function toFieldErrors(err: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of err.issues) {
    const field = issue.path.map(String).join('.') || '_';
    if (out[field]) continue;
    const [key, n] = issue.message.split('|');
    const isKey = key !== undefined && /^v\.[a-z_]+$/.test(key);
    out[field] = isKey ? { key, params: n ? { n } : undefined } : { key: 'v.invalid' };
  }
  return out;
}

/** Parses input or throws a VALIDATION_FAILED error carrying one message per field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError('VALIDATION_FAILED', {}, toFieldErrors(r.error));
  return r.data;
}

/** An id from the URL: anything that is not a positive integer is simply not found. */
export function parseId(raw: unknown): number {
  const r = idParam.safeParse(raw);
  if (!r.success) throw new AppError('NOT_FOUND');
  return r.data;
}
