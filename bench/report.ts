import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadOptions, Measurement } from './load.ts';

/** The targets a signed-in page must meet (from the benchmark issue). */
export const targets = { minRatioToEjs: 0.4, maxP99Ms: 100 } as const;

/** What one page must meet: a share of the EJS baseline's requests/s (if any) and a p99. */
export interface Target {
  minRatioToEjs?: number;
  maxP99Ms: number;
}

/** The catalog's own targets: the province-wide search has a p99 only; an export of a
 *  unit's 120 procedures must take under a second, every time. */
export const catalogTargets = { search: { maxP99Ms: 250 } satisfies Target, exportMaxMs: 1000 } as const;

export interface PageResult {
  name: string;
  path: string;
  as: 'anonymous' | 'admin' | 'coordinator' | 'officer' | 'none';
  kind: 'baseline' | 'page';
  bytes: number;
  m: Measurement;
  /** requests/s of this page over requests/s of the EJS baseline. */
  ratioToEjs: number;
  /** Only for signed-in pages. */
  verdict?: 'PASS' | 'MISS';
  /** CPU use of the server process during the measured run, in % of one core (Linux only). */
  serverCpu?: { mainThread: number; otherThreads: number; mainMsPerRequest: number };
}

export function verdictOf(m: Measurement, ejsReqPerSec: number, target: Target = targets): 'PASS' | 'MISS' {
  return m.reqPerSec >= (target.minRatioToEjs ?? 0) * ejsReqPerSec && m.latencyP99 < target.maxP99Ms && m.non2xx === 0 && m.errors === 0 ? 'PASS' : 'MISS';
}

/** Sequential timings of one download (the catalog's .xlsx export). */
export interface SequentialResult {
  name: string;
  path: string;
  as: string;
  requests: number;
  bytes: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
  verdict: 'PASS' | 'MISS';
}

/** p-th percentile (nearest rank) of a list of numbers. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export function sequentialTable(rows: SequentialResult[]): string {
  const head = ['download', 'as', 'requests', 'kB', 'p50 ms', 'p99 ms', 'max ms', 'target'];
  const body = rows.map((r) => [`${r.name} (${r.path})`, r.as, String(r.requests), fmt(r.bytes / 1024), fmt(r.p50), fmt(r.p99), fmt(r.max), r.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i >= 2 && i < 7 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i >= 2 && i < 7 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...body.map(line)].join('\n');
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** The results as a plain-text table (also pasted into docs/bench.md). */
export function table(results: PageResult[]): string {
  const head = ['page', 'as', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'vs EJS', 'target', 'server CPU main/pool', 'main CPU ms/req', 'load avg'];
  const rows = results.map((r) => [
    `${r.name} (${r.path})`,
    r.as,
    fmt(r.m.reqPerSec),
    fmt(r.m.latencyP50),
    fmt(r.m.latencyP99),
    `${r.m.non2xx}${r.m.errors ? ` +${r.m.errors} err` : ''}`,
    `${fmt(r.ratioToEjs * 100)}%`,
    r.verdict ?? '-',
    r.serverCpu ? `${fmt(r.serverCpu.mainThread)}% / ${fmt(r.serverCpu.otherThreads)}%` : '-',
    r.serverCpu ? fmt(r.serverCpu.mainMsPerRequest, 2) : '-',
    fmt(r.m.loadAverage, 1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const right = (i: number) => i >= 2 && i !== 7;
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (right(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Writes bench/results/<timestamp>.json (git-ignored) and returns its path. */
export function writeResults(
  dir: string,
  data: { options: LoadOptions; dataset: unknown; results: PageResult[]; downloads?: SequentialResult[]; startedAt: string; seconds: number },
): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${data.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ ...data, machine: machine(), targets }, null, 2)}\n`);
  return file;
}
