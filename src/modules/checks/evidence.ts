import { fileTypes, sniffFile, type FileType } from '../../kernel/files/sniff.ts';

/**
 * What an evidence file of a check may be: a short allow-list of types, each recognised by its
 * extension AND its first bytes (the shared check of `kernel/files/sniff.ts`), so that a renamed
 * executable or an HTML page saved as `.jpg` is refused before it is ever stored or served back
 * to a browser.
 */
export type EvidenceType = FileType;

const evidenceExtensions = ['jpg', 'jpeg', 'png', 'webp', 'pdf', 'docx', 'xlsx'] as const;

export const evidenceTypes: Record<string, EvidenceType> = Object.fromEntries(evidenceExtensions.map((e) => [e, fileTypes[e]!]));

/** The accept attribute of the file inputs. */
export const evidenceAccept = evidenceExtensions.map((e) => `.${e}`).join(',');

export { extensionOf } from '../../kernel/files/sniff.ts';
export { cleanFileName, dispositionOf } from '../../kernel/files/file-name.ts';

const refusalKeys = { type: 'v.check_file_type', empty: 'v.check_file_empty', mismatch: 'v.check_file_mismatch' } as const;

/**
 * The type of an uploaded file, or the message key of why it is refused: not on the list
 * (`v.check_file_type`), empty (`v.check_file_empty`), or content that is not what the
 * extension says (`v.check_file_mismatch`).
 */
export function evidenceTypeOf(name: string, buf: Buffer): { type: EvidenceType } | { error: string } {
  const t = sniffFile(name, buf, evidenceExtensions);
  return 'refused' in t ? { error: refusalKeys[t.refused] } : { type: t.type };
}
