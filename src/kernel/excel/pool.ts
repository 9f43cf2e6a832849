import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.ts';
import type { ExcelLimits } from './limits.ts';
import type { ParsedWorkbook } from './parse.ts';
import type { ParseAnswer, ParseJob } from './worker.ts';

/**
 * At most two workers parse at once (the app's machines have few cores; more would only slow
 * the requests being served). A worker is kept for the next file and ended after a minute idle;
 * idle workers never keep the process alive. A worker that ran out of memory or time is ended
 * and its file refused; the app's own heap is never at stake (resourceLimits).
 */
const maxWorkers = 2;
const idleMs = 60_000;
const bootUrl = new URL('./worker-boot.mjs', import.meta.url);

interface Slot {
  worker: Worker;
  idleTimer?: NodeJS.Timeout;
}

const idle: Slot[] = [];
const waiting: Array<() => void> = [];
let running = 0;
let nextId = 1;

function spawn(limits: ExcelLimits): Slot {
  const worker = new Worker(bootUrl, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: limits.workerMemoryMb } });
  return { worker };
}

function park(slot: Slot): void {
  slot.worker.unref();
  slot.idleTimer = setTimeout(() => {
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
    void slot.worker.terminate();
  }, idleMs);
  slot.idleTimer.unref();
  idle.push(slot);
}

function runOn(slot: Slot, job: ParseJob): Promise<ParsedWorkbook> {
  const { worker } = slot;
  if (slot.idleTimer) clearTimeout(slot.idleTimer);
  worker.ref();
  return new Promise<ParsedWorkbook>((resolve, reject) => {
    let settled = false;
    const finish = (keep: boolean, out: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (keep) park(slot);
      else void worker.terminate();
      out();
    };
    const tooComplex = (limit: string) => new AppError('IMPORT_TOO_COMPLEX', { limit });
    const onMessage = (a: ParseAnswer) => {
      if (a.id !== job.id) return;
      finish(true, () => (a.ok ? resolve(a.sheets) : reject(new AppError(a.code as ErrorCode, a.params))));
    };
    const onError = (err: Error & { code?: string }) =>
      finish(false, () => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex(`${job.limits.workerMemoryMb} MB`) : err));
    const onExit = () => finish(false, () => reject(new Error('the Excel reader worker stopped')));
    const timer = setTimeout(() => finish(false, () => reject(tooComplex(`${Math.round(job.limits.timeoutMs / 100) / 10} s`))), job.limits.timeoutMs);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(job);
  });
}

/** Parses a workbook (or a text table) in a worker thread, waiting for a free one. */
export async function parseInWorker(buffer: Buffer, wanted: string[], limits: ExcelLimits, text = false): Promise<ParsedWorkbook> {
  // A finished job hands its place straight to the next one waiting, so never more than two run.
  if (running >= maxWorkers) await new Promise<void>((r) => waiting.push(r));
  else running++;
  try {
    return await runOn(idle.pop() ?? spawn(limits), { id: nextId++, buffer: new Uint8Array(buffer), wanted, limits, text });
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
