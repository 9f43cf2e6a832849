import { z } from 'zod';
import { optionalId, optionalText, requiredDate, requiredText } from '../../kernel/validation.ts';

/** Input of the documents pages and API. Messages are locale keys (see kernel/validation.ts). */

const year = z.coerce.number({ error: 'v.year' }).int({ error: 'v.year' }).min(2000, { error: 'v.year' }).max(2100, { error: 'v.year' });

export const prepareInput = z.object({
  type: requiredText(80),
  year: z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), year.optional()),
  // A check's documents are printed from the check (appliesTo 'check').
  sourceId: optionalId,
});

/** Lines of a textarea (or an array from the API), trimmed, empty lines dropped. */
const lines = (max: number) =>
  z
    .preprocess((v) => (Array.isArray(v) ? v.join('\n') : v), optionalText(max))
    .transform((s) =>
      (s ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    );

export const fieldsInput = z.object({
  numberSeq: z.coerce.number({ error: 'v.doc_number' }).int({ error: 'v.doc_number' }).min(1, { error: 'v.doc_number' }).max(99999, { error: 'v.doc_number' }),
  numberSuffix: requiredText(40).refine((s) => /^[\p{L}\d.-]+$/u.test(s), { error: 'v.doc_suffix' }),
  issueDate: requiredDate,
  subject: requiredText(600),
  authority: optionalText(300),
  legalBases: lines(8000),
  articles: lines(12000),
  signerOnBehalf: optionalText(200),
  signerTitle: requiredText(200),
  signerName: optionalText(200),
  recipients: lines(4000),
});
