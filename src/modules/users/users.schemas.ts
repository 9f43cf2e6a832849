import { z } from 'zod';
import { roles } from '../../auth/roles.ts';
import { optionalId, optionalText, requiredText } from '../../kernel/validation.ts';

export const username = z
  .string({ error: 'v.required' })
  .trim()
  .toLowerCase()
  .min(3, { error: 'v.too_short|3' })
  .max(60, { error: 'v.too_long|60' })
  .regex(/^[a-z0-9._-]+$/, { error: 'v.username_format' });

export const password = z.string({ error: 'v.required' }).min(8, { error: 'v.too_short|8' }).max(200, { error: 'v.too_long|200' });

// null as the API gives it back (`"email": null`) means no address, like an empty form field.
const email = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z.string().trim().max(254, { error: 'v.too_long|254' }).email({ error: 'v.email' }).optional(),
);

const locale = z.enum(['vi', 'en'], { error: 'v.choose' });

export const newUserInput = z.object({
  username,
  fullName: requiredText(200),
  email,
  password,
  locale: locale.optional().default('vi'),
});

export const userUpdateInput = z.object({
  fullName: requiredText(200),
  email,
  isActive: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean()),
  locale: locale.optional(),
});

export const resetPasswordInput = z.object({ password });

export const roleInput = z.object({
  role: z.enum(roles, { error: 'v.choose' }),
  unitId: optionalId,
  /** The unit by its code, as officers know it; used when no id is given. */
  unitCode: optionalText(50),
});

export const changePasswordInput = z
  .object({
    current: z.string({ error: 'v.required' }).min(1, { error: 'v.required' }),
    password,
    confirm: z.string({ error: 'v.required' }),
    /** The box "revoke every API token" on the form. */
    revokeTokens: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean()),
  })
  .refine((d) => d.password === d.confirm, { error: 'v.password_mismatch', path: ['confirm'] });

export const preferencesInput = z.object({
  fullName: requiredText(200),
  email,
  locale,
  emailNotifications: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean()),
});

export const tokenInput = z.object({ name: requiredText(100) });

export const setupInput = z
  .object({
    username,
    fullName: requiredText(200),
    email,
    password,
    confirm: z.string({ error: 'v.required' }),
  })
  .refine((d) => d.password === d.confirm, { error: 'v.password_mismatch', path: ['confirm'] });

export const userListQuery = z.object({
  q: optionalText(100),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});
