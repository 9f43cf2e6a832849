import { parentPort } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import type { ExcelLimits } from './limits.ts';
import { parseWorkbook, type ParsedWorkbook } from './parse.ts';
import { parseTextTable } from './text-table.ts';

/** What the pool sends: one workbook to parse. */
export interface ParseJob {
  id: number;
  buffer: Uint8Array;
  wanted: string[];
  limits: ExcelLimits;
  /** A CSV or tab-separated text file rather than an .xlsx. */
  text?: boolean;
}

/** What the worker answers: the rows, or the coded refusal. */
export type ParseAnswer = { id: number; ok: true; sheets: ParsedWorkbook } | { id: number; ok: false; code: string; params: Record<string, string | number> };

parentPort?.on('message', (job: ParseJob) => {
  let answer: ParseAnswer;
  try {
    const buf = Buffer.from(job.buffer.buffer, job.buffer.byteOffset, job.buffer.byteLength);
    answer = { id: job.id, ok: true, sheets: job.text ? parseTextTable(buf, job.limits) : parseWorkbook(buf, job.wanted, job.limits) };
  } catch (err) {
    // Anything but a coded refusal is a file the reader cannot make sense of.
    answer =
      err instanceof AppError ? { id: job.id, ok: false, code: err.code, params: err.params } : { id: job.id, ok: false, code: 'IMPORT_CORRUPT', params: {} };
  }
  parentPort?.postMessage(answer);
});
