import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../../kernel/validation.ts';
import { inspectionStatuses } from './inspections.access.ts';
import { presences } from './inspections.logic.ts';

/** What the on-site pages and the API send: starting an inspection, the list's filter, people, presence, answers. */

export const startInput = z.object({
  teamId: optionalId,
  unitCode: optionalText(60),
  unitId: optionalId,
  form: optionalText(120),
  planItemId: optionalId,
});

export const listQuery = z.object({
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(inspectionStatuses, { error: 'v.choose' }).optional()),
  page: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number({ error: 'v.invalid' }).int({ error: 'v.invalid' }).min(1, { error: 'v.invalid' }).max(100_000, { error: 'v.invalid' }).default(1),
  ),
  pageSize: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number({ error: 'v.invalid' }).int({ error: 'v.invalid' }).min(1, { error: 'v.invalid' }).max(200, { error: 'v.invalid' }).default(50),
  ),
});
export type InspectionListQuery = z.infer<typeof listQuery>;

export const personInput = z.object({ fullName: requiredText(200), position: optionalText(200), badgeNo: optionalText(60) });
export const presenceInput = z.object({
  presence: z.enum(presences, { error: 'v.choose' }),
  reason: optionalText(2000),
});
export const answerInput = z.object({
  value: z.union([z.string(), z.number(), z.null()]).optional(),
  note: z.union([z.string(), z.null()]).optional(),
});
export const arrivalInput = z.object({ arrivedAt: requiredText(40) });
