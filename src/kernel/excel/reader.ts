import { AppError } from '../errors.ts';
import { excelLimits } from './limits.ts';
import type { ParsedWorkbook } from './parse.ts';
import { parseInWorker } from './pool.ts';

export interface UploadedFile {
  name: string;
  buffer: Buffer;
}

/**
 * Reads the named sheets of an uploaded .xlsx, refusing in turn: no file, a name that is not
 * .xlsx, an empty file, a file that is not a zip (every .xlsx is one), then in a worker thread
 * whatever passes a limit (inflated size, declared dimension, rows, columns, cells, memory,
 * time) or cannot be read. The event loop only ever waits for the answer.
 */
export async function readWorkbook(file: UploadedFile | undefined, sheets: string[]): Promise<ParsedWorkbook> {
  if (!file) throw new AppError('UPLOAD_MISSING');
  if (!/\.xlsx$/i.test(file.name)) throw new AppError('IMPORT_NOT_XLSX');
  if (file.buffer.length === 0) throw new AppError('IMPORT_EMPTY');
  if (file.buffer.length < 4 || file.buffer.readUInt32LE(0) !== 0x04034b50) throw new AppError('IMPORT_CORRUPT');
  return parseInWorker(file.buffer, sheets, excelLimits());
}
