import { z } from 'zod';
import { optionalId, optionalText } from '../../kernel/validation.ts';
import { isoStates } from '../units/units.types.ts';

export const sortKeys = [
  'name',
  'state',
  'declared',
  'audit',
  'review',
  'majors',
  'overdue',
  'inspection',
  'violations',
  'ontime',
  'satisfaction',
  'readiness',
] as const;
export type SortKey = (typeof sortKeys)[number];

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

/** The dashboard's query string (the page without JavaScript filters and sorts by it). */
export const dashboardQuery = z.object({
  provinceId: optionalId,
  state: z.preprocess(blank, z.enum(isoStates, { error: 'v.choose' }).optional()),
  // Readiness below this percentage (units with no known item count as below any threshold).
  below: z.preprocess(
    blank,
    z.coerce
      .number({ error: 'v.not_a_number' })
      .int({ error: 'v.not_a_number' })
      .min(1, { error: 'v.dashboard_below' })
      .max(101, { error: 'v.dashboard_below' })
      .optional(),
  ),
  q: optionalText(100),
  sort: z.preprocess(blank, z.enum(sortKeys, { error: 'v.choose' }).default('readiness')),
  dir: z.preprocess(blank, z.enum(['asc', 'desc'], { error: 'v.choose' }).optional()),
});
export type DashboardQuery = z.infer<typeof dashboardQuery>;
