import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadOptions, Measurement } from './load.ts';

/** The targets a signed-in page must meet (from the benchmark issue). */
export const targets = { minRatioToEjs: 0.4, maxP99Ms: 100 } as const;

export interface PageResult {
  name: string;
  path: string;
  as: 'anonymous' | 'admin' | 'coordinator' | 'none';
  kind: 'baseline' | 'page';
  bytes: number;
  m: Measurement;
  /** requests/s of this page over requests/s of the EJS baseline. */
  ratioToEjs: number;
  /** Only for signed-in pages. */
  verdict?: 'PASS' | 'MISS';
  /** CPU use of the server process during the measured run, in % of one core (Linux only). */
  serverCpu?: { mainThread: number; otherThreads: number };
}

export function verdictOf(m: Measurement, ejsReqPerSec: number): 'PASS' | 'MISS' {
  return m.reqPerSec >= targets.minRatioToEjs * ejsReqPerSec && m.latencyP99 < targets.maxP99Ms && m.non2xx === 0 && m.errors === 0
    ? 'PASS' : 'MISS';
}

export function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** The results as a plain-text table (also pasted into docs/bench.md). */
export function table(results: PageResult[]): string {
  const head = ['page', 'as', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'vs EJS', 'target', 'server CPU main/pool', 'load avg'];
  const rows = results.map((r) => [
    `${r.name} (${r.path})`, r.as, fmt(r.m.reqPerSec), fmt(r.m.latencyP50), fmt(r.m.latencyP99),
    `${r.m.non2xx}${r.m.errors ? ` +${r.m.errors} err` : ''}`, `${fmt(r.ratioToEjs * 100)}%`, r.verdict ?? '-',
    r.serverCpu ? `${fmt(r.serverCpu.mainThread)}% / ${fmt(r.serverCpu.otherThreads)}%` : '-', fmt(r.m.loadAverage, 1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const right = (i: number) => i >= 2 && i !== 7;
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (right(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Writes bench/results/<timestamp>.json (git-ignored) and returns its path. */
export function writeResults(dir: string, data: { options: LoadOptions; dataset: unknown; results: PageResult[]; startedAt: string; seconds: number }): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${data.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ ...data, machine: machine(), targets }, null, 2)}\n`);
  return file;
}
