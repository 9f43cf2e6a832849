import { z } from 'zod';
import { isoStandards, isoStates, unitKinds } from './units.types.ts';
import { optionalText, requiredText, optionalDate, requiredDate, optionalId } from '../../kernel/validation.ts';

const unitFields = z.object({
  code: requiredText(50).refine((c) => /^[\p{L}\p{N}._\-/]+$/u.test(c), { error: 'v.code_format' }),
  name: requiredText(300),
  kind: z.enum(unitKinds, { error: 'v.choose' }),
  parentId: optionalId,
  placeName: optionalText(200),
  activeFrom: optionalDate,
  activeTo: optionalDate,
});
const datesInOrder = (u: { activeFrom?: string; activeTo?: string }) => !u.activeFrom || !u.activeTo || u.activeFrom < u.activeTo;

export const unitInput = unitFields.refine(datesInOrder, { error: 'v.date_order', path: ['activeTo'] });

export const unitUpdate = unitFields.omit({ parentId: true }).refine(datesInOrder, { error: 'v.date_order', path: ['activeTo'] });

export const moveInput = z.object({ parentId: optionalId, parentCode: optionalText(50) });

export const mergeInput = z.object({
  /** Codes of the units merged into the target, separated by commas, spaces or new lines. */
  sources: requiredText(2000).transform((s) => [...new Set(s.split(/[\s,;]+/).filter(Boolean))]),
  date: requiredDate,
  /** The resolution that decided the merger (e.g. `1660/NQ-UBTVQH15`) and its date, when known. */
  resolutionNumber: optionalText(100),
  resolutionDate: optionalDate,
});

export const isoStateInput = z.object({
  state: z.enum(isoStates, { error: 'v.choose' }),
  standard: z
    .enum(isoStandards, { error: 'v.choose' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  reason: requiredText(1000),
});

export const unitListQuery = z.object({
  q: z.string().max(200).optional().default(''),
  kind: z
    .enum(unitKinds)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  parentId: optionalId,
  status: z.enum(['active', 'inactive', 'all']).optional().default('active'),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});
