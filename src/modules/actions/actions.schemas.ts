import { z } from 'zod';
import { AppError } from '../../kernel/errors.ts';
import { optionalId, optionalText, requiredDate, requiredText, validate } from '../../kernel/validation.ts';
import { actionStatuses, findingStatuses, severities } from './actions.logic.ts';

/** What the pages and the API send about corrective actions and findings, and the lists' filters. */

/** The lists' page size unless one is asked for (as every list of the API). */
export const pageSize = 50;
/** An export holds at most this many actions. */
export const exportMax = 100_000;
const textMax = 4000;

export const actionInput = z.object({
  cause: requiredText(textMax),
  action: requiredText(textMax),
  // Pages name the owner by user name; the API by id.
  owner: optionalText(60),
  ownerId: optionalId,
  dueDate: requiredDate,
  version: optionalId,
});

export const transitionInput = z.object({
  to: z.enum(actionStatuses, { error: 'v.choose' }),
  note: optionalText(textMax),
  version: optionalId,
});

const blankAsDefault = (v: unknown) => (v === '' ? undefined : v);
export const pageParam = z.preprocess(
  blankAsDefault,
  z.coerce.number({ error: 'v.invalid' }).int({ error: 'v.invalid' }).positive({ error: 'v.invalid' }).max(100_000, { error: 'v.invalid' }).default(1),
);
const pageSizeParam = z.preprocess(
  blankAsDefault,
  z.coerce.number({ error: 'v.invalid' }).int({ error: 'v.invalid' }).min(1, { error: 'v.invalid' }).max(200, { error: 'v.invalid' }).default(pageSize),
);
export const listQuery = z.object({
  status: z.preprocess(blankAsDefault, z.enum(actionStatuses, { error: 'v.choose' }).optional()),
  severity: z.preprocess(blankAsDefault, z.enum(severities, { error: 'v.choose' }).optional()),
  overdue: z.preprocess((v) => v === '1' || v === 'true' || v === true, z.boolean()),
  unit: optionalId,
  page: pageParam,
  pageSize: pageSizeParam,
});
export const findingQuery = z.object({
  status: z.preprocess(blankAsDefault, z.enum(findingStatuses, { error: 'v.choose' }).optional()),
  severity: z.preprocess(blankAsDefault, z.enum(severities, { error: 'v.choose' }).optional()),
  unit: optionalId,
  check: optionalId,
  page: pageParam,
  pageSize: pageSizeParam,
});

/**
 * A list's filters: the API refuses one it cannot read (422, per field); a page, where they come
 * from links and the filter form, leaves such a filter out and shows the rest.
 */
export function listFilters<S extends z.ZodType>(schema: S, query: unknown, strict: boolean): z.infer<S> {
  try {
    return validate(schema, query ?? {});
  } catch (err) {
    if (strict || !(err instanceof AppError) || !err.fields) throw err;
    const kept = { ...(query as Record<string, unknown>) };
    for (const f of Object.keys(err.fields)) delete kept[f];
    return validate(schema, kept);
  }
}

export type ActionListQuery = z.infer<typeof listQuery>;
