import { AppError } from '../errors.ts';
import { excelLimits } from './limits.ts';
import type { ParsedWorkbook } from './parse.ts';
import { parseInWorker } from './pool.ts';

const textName = /\.(csv|tsv|txt)$/i;

export interface UploadedFile {
  name: string;
  buffer: Buffer;
}

/**
 * Reads the named sheets of an uploaded .xlsx, refusing in turn: no file, a name that is not
 * .xlsx, an empty file, a file that is not a zip (every .xlsx is one), then in a worker thread
 * whatever passes a limit (inflated size, declared dimension, rows, columns, cells, memory,
 * time) or cannot be read. The event loop only ever waits for the answer. With `text`, a CSV or
 * tab-separated file (`.csv`, `.tsv`, `.txt`) is read too, as one sheet named `CSV`, within the
 * same limits (text-table.ts).
 */
export async function readWorkbook(file: UploadedFile | undefined, sheets: string[], opts: { text?: boolean } = {}): Promise<ParsedWorkbook> {
  if (!file) throw new AppError('UPLOAD_MISSING');
  const text = opts.text === true && textName.test(file.name);
  if (!text && !/\.xlsx$/i.test(file.name)) throw new AppError(opts.text ? 'IMPORT_NOT_TABLE' : 'IMPORT_NOT_XLSX');
  if (file.buffer.length === 0) throw new AppError('IMPORT_EMPTY');
  if (text) return parseInWorker(file.buffer, sheets, excelLimits(), true);
  if (file.buffer.length < 4 || file.buffer.readUInt32LE(0) !== 0x04034b50) throw new AppError('IMPORT_CORRUPT');
  return parseInWorker(file.buffer, sheets, excelLimits());
}
