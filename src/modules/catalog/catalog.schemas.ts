import { z } from 'zod';
import { optionalDate, optionalId, optionalText, requiredText } from '../../kernel/validation.ts';
import { onlineLevels, procedureKinds, procedureStatuses, tthcLevels } from './catalog.types.ts';

const codeFormat = /^[\p{L}\p{N}._\-/]+$/u;
export const codeField = (max: number) => requiredText(max).refine((c) => codeFormat.test(c), { error: 'v.code_format' });

/**
 * A number of working days as people type it: `3`, `0,5` or `0.5`; blank means not set.
 * A negative or non-numeric value is refused with its own message.
 */
export const daysField = z.any().transform((v: unknown, ctx): number | null => {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+([.,]\d+)?\s*$/.test(v) ? Number(v.trim().replace(',', '.')) : NaN;
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'v.days_number' });
    return z.NEVER;
  }
  if (n < 0) {
    ctx.addIssue({ code: 'custom', message: 'v.days_negative' });
    return z.NEVER;
  }
  if (n > 9999) {
    ctx.addIssue({ code: 'custom', message: 'v.days_number' });
    return z.NEVER;
  }
  return Math.round(n * 100) / 100;
});

const nullable = <T extends z.ZodType>(s: T) => s.transform((v) => (v === undefined ? null : v));

export const tthcInput = z.object({
  provinceId: optionalId,
  code: codeField(30),
  name: requiredText(500),
  field: requiredText(200),
  level: z.enum(tthcLevels, { error: 'v.choose' }),
  legalDays: daysField,
  fees: nullable(optionalText(2000)),
  legalBasis: nullable(optionalText(5000)),
  onlineLevel: z.preprocess((v) => (v === '' || v == null ? 'none' : v), z.enum(onlineLevels, { error: 'v.choose' })),
});
export type TthcInput = z.infer<typeof tthcInput>;

export const stepInput = z.object({
  action: requiredText(2000),
  responsible: nullable(optionalText(300)),
  days: daysField,
  output: nullable(optionalText(1000)),
});

export const formInput = z.object({
  code: nullable(optionalText(50)),
  name: requiredText(300),
  fileId: optionalId.transform((v) => v ?? null),
});

export const recordInput = z.object({
  name: requiredText(300),
  keeper: nullable(optionalText(300)),
  retention: nullable(optionalText(100)),
});

export const contentInput = z.object({
  code: codeField(50),
  title: requiredText(500),
  kind: z.enum(procedureKinds, { error: 'v.choose' }),
  tthcId: optionalId.transform((v) => v ?? null),
  purpose: nullable(optionalText(5000)),
  scopeText: nullable(optionalText(5000)),
  referencesText: nullable(optionalText(5000)),
  definitions: nullable(optionalText(5000)),
  changeSummary: nullable(optionalText(2000)),
  steps: z.array(stepInput).max(200, { error: 'v.too_many|200' }).default([]),
  forms: z.array(formInput).max(100, { error: 'v.too_many|100' }).default([]),
  records: z.array(recordInput).max(100, { error: 'v.too_many|100' }).default([]),
});

/** A save of a draft names the version it was read at (optimistic concurrency). */
// Bounded: a version past PostgreSQL's integer range failed the save with 500.
export const versionInput = z.object({
  version: z.coerce
    .number({ error: 'v.required' })
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

const flag = z
  .preprocess((v) => v === '1' || v === 'true' || v === true || v === 'on', z.boolean())
  .optional()
  .default(false);
const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export const procedureListQuery = z.object({
  q: z.string().max(200).optional().default(''),
  unitId: optionalId,
  field: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  kind: z.preprocess(emptyToUndefined, z.enum(procedureKinds).optional()),
  status: z.preprocess(emptyToUndefined, z.enum(procedureStatuses).optional()),
  due: flag,
  overtime: flag,
  templates: flag,
  sort: z.preprocess(emptyToUndefined, z.enum(['code', 'title', 'status', 'issued', 'updated']).optional().default('code')),
  dir: z.preprocess(emptyToUndefined, z.enum(['asc', 'desc']).optional().default('asc')),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});

export const tthcListQuery = z.object({
  q: z.string().max(200).optional().default(''),
  provinceId: optionalId,
  field: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  level: z.preprocess(emptyToUndefined, z.enum(tthcLevels).optional()),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});

export const issueInput = z.object({ issueDate: optionalDate });
export const reasonInput = z.object({ reason: requiredText(2000) });
export const noteInput = z.object({ note: nullable(optionalText(2000)) });

export const policyInput = z.object({ text: requiredText(5000), issuedOn: nullable(optionalDate) });

const achievedField = z.preprocess(
  (v) => (v === '' || v == null ? null : v === 'yes' || v === true || v === 'true' ? true : v === 'no' || v === false || v === 'false' ? false : v),
  z.boolean({ error: 'v.choose' }).nullable(),
);

export const objectiveInput = z.object({
  year: z.coerce.number({ error: 'v.year' }).int({ error: 'v.year' }).min(2000, { error: 'v.year' }).max(2100, { error: 'v.year' }),
  objective: requiredText(2000),
  measure: nullable(optionalText(1000)),
  target: requiredText(300),
  actual: nullable(optionalText(300)),
  achieved: achievedField,
});
