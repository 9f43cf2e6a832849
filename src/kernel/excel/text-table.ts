import { parse } from 'csv-parse/sync';
import { AppError } from '../errors.ts';
import { cellText, columnLetter, type RawCell } from './cell-text.ts';
import type { ExcelLimits } from './limits.ts';
import type { ParsedWorkbook, RawRow } from './parse.ts';

/** The one sheet of a text table, as the reader names it. */
export const textSheet = 'CSV';

/**
 * The text of a table saved as text: UTF-16 (Excel's "Unicode Text", little endian with its
 * byte order mark; big endian too) or UTF-8 with or without a mark. Anything that is not valid
 * UTF-8 (an old Windows code page) is refused rather than read as garbled names.
 */
function decode(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  const body = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppError('IMPORT_ENCODING');
  }
}

/** Tab, semicolon (Excel in a locale whose decimal mark is a comma) or comma, by the first lines. */
function delimiterOf(text: string): string {
  const head = text.split(/\r?\n/, 12).join('\n');
  const count = (ch: string) => head.split(ch).length - 1;
  const [best] = ['\t', ';', ','].map((d) => ({ d, n: count(d) })).sort((a, b) => b.n - a.n);
  return best && best.n > 0 ? best.d : ',';
}

/**
 * Reads a CSV or tab-separated text file as one sheet (`CSV`), within the same bounds as a
 * workbook: columns, cells, data rows, and the run of empty rows that ends the table.
 */
export function parseTextTable(buf: Buffer, limits: ExcelLimits): ParsedWorkbook {
  const text = decode(buf);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      to_line: limits.maxRows + limits.maxEmptyRows + 20,
    }) as string[][];
  } catch {
    throw new AppError('IMPORT_CORRUPT');
  }
  const rows: RawRow[] = [];
  let cellsRead = 0;
  let lastFilled = 0;
  for (const [i, record] of records.entries()) {
    const rowNo = i + 1;
    if (rowNo - lastFilled - 1 >= limits.maxEmptyRows) break;
    const cells: Record<number, RawCell> = {};
    for (const [j, raw] of record.entries()) {
      const v = cellText(raw);
      if (v === '') continue;
      const col = j + 1;
      if (col > limits.maxColumns)
        throw new AppError('IMPORT_TOO_MANY_COLUMNS', { sheet: textSheet, cell: `${columnLetter(col)}${rowNo}`, max: limits.maxColumns });
      if (++cellsRead > limits.maxCells) throw new AppError('IMPORT_TOO_MANY_CELLS', { max: limits.maxCells });
      cells[col] = v;
    }
    if (Object.keys(cells).length === 0) continue;
    lastFilled = rowNo;
    if (rows.length >= limits.maxRows + 1) throw new AppError('IMPORT_TOO_MANY_ROWS', { sheet: textSheet, max: limits.maxRows });
    rows.push({ row: rowNo, cells });
  }
  return { [textSheet]: { name: textSheet, rows } };
}
