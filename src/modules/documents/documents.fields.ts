import type { DocumentDefinition, DocumentFields } from '../../plugins/contract.ts';
import type { FieldErrors } from '../../kernel/errors.ts';
import type { fieldsInput } from './documents.schemas.ts';
import type { z } from 'zod';
import { missingGlyphs } from './nd30.layout.ts';

/**
 * The fields of a draft as edited: the free-text parts read (`parts` from the API, `part_<id>`
 * from pages), and every field refused whose text is too long, not one of its options, or has a
 * character the font cannot print.
 */
export function editedFields(
  def: DocumentDefinition,
  body: Record<string, unknown>,
  data: z.infer<typeof fieldsInput>,
): { fields: DocumentFields; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  // Free-text parts: `parts` (API) or `part_<id>` (pages).
  const givenParts = (typeof body.parts === 'object' && body.parts !== null ? body.parts : {}) as Record<string, unknown>;
  const parts: Record<string, string> = {};
  for (const p of def.textParts ?? []) {
    const raw = givenParts[p.id] ?? body[`part_${p.id}`];
    const text = typeof raw === 'string' ? raw.normalize('NFC').trim() : '';
    if (text.length > 8000) fieldErrors[`part_${p.id}`] = { key: 'v.too_long', params: { n: 8000 } };
    if (p.options && text && !p.options.some((o) => o.value === text)) fieldErrors[`part_${p.id}`] = { key: 'v.choose' };
    parts[p.id] = text;
  }
  const fields: DocumentFields = {
    subject: data.subject,
    authority: data.authority ?? '',
    legalBases: data.legalBases,
    articles: data.articles,
    signerOnBehalf: data.signerOnBehalf ?? '',
    signerTitle: data.signerTitle,
    signerName: data.signerName ?? '',
    recipients: data.recipients,
    parts,
  };
  const asText: Record<string, string[]> = {
    subject: [fields.subject],
    authority: [fields.authority],
    legalBases: fields.legalBases,
    articles: fields.articles,
    signerOnBehalf: [fields.signerOnBehalf],
    signerTitle: [fields.signerTitle],
    signerName: [fields.signerName],
    recipients: fields.recipients,
    numberSuffix: [data.numberSuffix],
    ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [`part_${k}`, [v]])),
  };
  for (const [name, texts] of Object.entries(asText)) {
    const missing = missingGlyphs(texts);
    if (missing.length) fieldErrors[name] = { key: 'v.doc_glyphs', params: { chars: glyphList(missing) } };
  }
  return { fields, fieldErrors };
}

/** `😀 (U+1F600)`: the character and its code, so that an invisible one can be found too. */
export function glyphList(chars: string[]): string {
  return chars
    .slice(0, 10)
    .map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`)
    .join(', ');
}

/** A new draft's fields before its document type fills in its defaults. */
export const emptyFields: DocumentFields = {
  subject: '',
  authority: '',
  legalBases: [],
  articles: [],
  signerOnBehalf: '',
  signerTitle: '',
  signerName: '',
  recipients: [],
  parts: {},
};
