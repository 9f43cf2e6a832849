import { z } from 'zod';
import { roles } from '../../auth/roles.ts';
import { isCalendarDate } from '../../lib/time.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const localized = (max: number) => z.object({ vi: text(max), en: text(max) });

/**
 * A notification draft as a reminder handler returns it (the contract's NotificationDraft).
 * Handlers are plugin code: what they return is checked like any other input.
 */
export const draftSchema = z.object({
  recipient: z.union([z.object({ userId: z.number().int().positive() }), z.object({ role: z.enum(roles), unitId: z.number().int().positive() })]),
  title: localized(500),
  body: localized(4000).optional(),
  // A path inside the app: `/units/12`, never another site (`//evil.example`).
  link: z
    .string()
    .max(500)
    .regex(/^\/(?![/\\])[^\s]*$/, 'a path inside the app, starting with one /')
    .optional(),
  dueDate: z.string().refine(isCalendarDate, 'a day YYYY-MM-DD').optional(),
  dedupeKey: z.string().min(1).max(200).regex(/^\S+$/, 'no spaces'),
});

export type Draft = z.infer<typeof draftSchema>;

export const inboxQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(100).optional().default(20),
  unread: z
    .preprocess((v) => v === '1' || v === 'true' || v === true, z.boolean())
    .optional()
    .default(false),
});
