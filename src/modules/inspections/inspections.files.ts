import crypto from 'node:crypto';
import { sizeText } from '../../http/uploads.ts';
import { AppError } from '../../kernel/errors.ts';
import { cleanFileName } from '../../kernel/files/file-name.ts';
import { sniffFile } from '../../kernel/files/sniff.ts';

/** The photo and evidence limit when none is configured (`INSPECTION_UPLOAD_MAX_KB`). */
export const defaultFileMaxBytes = 8 * 1024 * 1024;
/** What a phone takes and an office scans: each recognised by its extension and its first bytes. */
const inspectionFileExtensions = ['jpg', 'jpeg', 'png', 'webp', 'pdf'] as const;

/** Checks a photo or evidence file taken on site: its size, its type by name and first bytes; answers its cleaned name, type and SHA-256. */
export function acceptInspectionFile(
  file: { name: string; buffer: Buffer } | undefined,
  problem: string | undefined,
  maxBytes: number,
): { name: string; mime: string; sha256: string; buffer: Buffer } {
  const tooLarge = () => new AppError('INSPECTION_FILE_TOO_LARGE', { size: sizeText(maxBytes) });
  if (problem === 'too_large') throw tooLarge();
  if (!file || problem) throw new AppError('UPLOAD_MISSING');
  if (file.buffer.length > maxBytes) throw tooLarge();
  // The name is cleaned first, so that a direction mark after ".png" cannot hide the extension.
  const name = cleanFileName(file.name, 255);
  const sniffed = sniffFile(name, file.buffer, inspectionFileExtensions);
  if ('refused' in sniffed) throw new AppError('INSPECTION_FILE_TYPE');
  return { name, mime: sniffed.type.mime, sha256: crypto.createHash('sha256').update(file.buffer).digest('hex'), buffer: file.buffer };
}
