import type ExcelJS from 'exceljs';
import { nfc } from '../../lib/text.ts';

/**
 * A cell as text, as an import reads it. Rich text is joined, a formula gives its computed value
 * (never the formula), and the apostrophe an export added to a text that looks like a formula is
 * taken off again, so an exported file imports back unchanged. A national TTHC code (`1.000890`)
 * that Excel turned into a number gets its six decimals back (`code`).
 */
export function cellText(v: ExcelJS.CellValue, opts: { code?: boolean } = {}): string {
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (typeof v === 'string') s = v;
  else if (typeof v === 'number') s = opts.code && Number.isFinite(v) && v > 0 && v < 10 && !Number.isInteger(v) ? v.toFixed(6) : String(v);
  else if (typeof v === 'boolean') s = v ? 'TRUE' : 'FALSE';
  else if (v instanceof Date) s = Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  else if (typeof v === 'object' && 'richText' in v) s = v.richText.map((p) => p.text).join('');
  else if (typeof v === 'object' && 'formula' in v) s = cellText((v as { result?: ExcelJS.CellValue }).result ?? '', opts);
  else if (typeof v === 'object' && 'text' in v) s = String((v as { text: unknown }).text);
  else s = '';
  s = nfc(s).trim();
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

/** A cell as the reader hands it over: its text, or a number (whose text depends on the column). */
export type RawCell = string | number;

/** The text of a cell read by the bounded reader, with the column's `code` reading. */
export function rawText(v: RawCell | undefined, opts: { code?: boolean } = {}): string {
  return typeof v === 'number' ? cellText(v, opts) : (v ?? '');
}

/** Column number (1-based) to its letters: 1 -> A, 27 -> AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Letters to the column number: A -> 1, AA -> 27 (0 when there are none). */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}
