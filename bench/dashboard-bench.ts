import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeDataset, generateDataset } from './generate.ts';
import { generateChecks } from './generate-checks.ts';
import { generateDashboardHistory } from './generate-dashboard.ts';
import { checkPage, measure, signIn, type LoadOptions, type Measurement } from './load.ts';
import { freePort, repoRoot, startNode, waitForOk } from './processes.ts';
import { machine } from './report.ts';
import { copyToPostgres, dropPostgres } from './dashboard-pg.ts';

/**
 * `npm run bench:dashboard`: on a fresh national data set with five years of history
 * (checks, findings, corrective actions, reviews, inspections, reports, on-time figures), the
 * province dashboard of the largest province's coordinator (target p99 < 150 ms) and the national
 * overview of the administrator (34 provinces, every unit's figures: target p99 < 300 ms), on
 * SQLite at 10 connections, against the Express + EJS baseline of bench/baseline-server.ts.
 * Options: --duration N (default 10), --warmup N (2), --connections N (10), --pg URL (also measure on
 * PostgreSQL: the data set is copied into a fresh database `isotrack_bench_dashboard` on that server,
 * dropped afterwards; the user must be a superuser).
 * Builds its own data set in bench/data/isotrack-bench-dashboard.sqlite.
 */

const { values } = parseArgs({
  options: { duration: { type: 'string' }, warmup: { type: 'string' }, connections: { type: 'string' }, pg: { type: 'string' } },
});
const load: LoadOptions = { duration: Number(values.duration ?? 10), warmup: Number(values.warmup ?? 2), connections: Number(values.connections ?? 10) };
const file = path.join(repoRoot, 'bench', 'data', 'isotrack-bench-dashboard.sqlite');
const log = (s: string) => process.stdout.write(`${s}\n`);

async function baseline(): Promise<Measurement> {
  const child = startNode('baseline server', 'bench/baseline-server.ts', { ...process.env, NODE_ENV: 'production', PORT: '0' });
  try {
    const ready = JSON.parse(await child.firstLine(30_000)) as { port: number };
    const url = `http://127.0.0.1:${ready.port}/table`;
    await checkPage(url, undefined, 'HCM-X050');
    return await measure(url, {}, load);
  } finally {
    await child.stop();
  }
}

/** Starts the app on a database and loads the dashboards. */
async function measureApp(engine: string, databaseUrl: string, d: Awaited<ReturnType<typeof generateDataset>>) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = startNode('isotrack', 'src/server.ts', {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    TRUST_PROXY: 'false',
    SCHEDULER_ENABLED: 'false',
  });
  const rows: Array<{ engine: string; name: string; path: string; target: number; m: Measurement; bytes: number }> = [];
  try {
    await waitForOk(`${base}/healthz`, app, 60_000);
    const coordinator = await signIn(base, d.coordinator.username, d.password);
    const admin = await signIn(base, d.admin.username, d.password);
    const pages: Array<[string, string, string, string, number]> = [
      ['province dashboard', '/dashboard', coordinator, d.coordinator.provinceName, 150],
      ['province dashboard, filtered and sorted', '/dashboard?below=80&sort=majors&dir=desc', coordinator, 'dash-table', 150],
      ['national overview', '/dashboard', admin, d.coordinator.provinceName, 300],
    ];
    for (const [name, p, cookie, expect, target] of pages) {
      // The first request pays for gathering the figures (then kept DASHBOARD_CACHE_SECONDS): timed apart.
      const t0 = performance.now();
      const { bytes } = await checkPage(`${base}${p}`, cookie, expect);
      log(`${engine}: ${name} (${p}): first request ${Math.round(performance.now() - t0)} ms ...`);
      rows.push({ engine, name, path: p, target, bytes, m: await measure(`${base}${p}`, { cookie }, load) });
    }
  } finally {
    await app.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  setTimeout(
    () => {
      process.stderr.write('bench:dashboard: still running after its budget, giving up\n');
      process.exit(2);
    },
    180_000 + (values.pg ? 400_000 : 0) + 12 * (load.duration + load.warmup + 5) * 1000,
  ).unref();
  const m = machine();
  log(`isotrack dashboard bench: ${m.cpus} cores (${m.cpuModel}), node ${m.node}, load average ${os.loadavg()[0]?.toFixed(2)}`);
  const d = await generateDataset({ file, log });
  const at = new Date().toISOString();
  const checks = await generateChecks(file, d.coordinator.provinceId, at);
  const history = await generateDashboardHistory(file, at);
  log(describeDataset(d));
  log(
    `  ${checks.checks.toLocaleString('en')} checks and ${history.rows.toLocaleString('en')} rows of history (5 years), written in ${checks.ms + history.ms} ms`,
  );

  log('baseline: Express + EJS, 50 rows ...');
  const ejs = await baseline();
  const rows: Array<{ engine: string; name: string; path: string; target: number; m: Measurement; bytes: number }> = [];
  rows.push(...(await measureApp('sqlite', `sqlite:${file}`, d)));
  if (values.pg) {
    const dbName = 'isotrack_bench_dashboard';
    const pgUrl = await copyToPostgres(file, values.pg, dbName, log);
    try {
      rows.push(...(await measureApp('postgres', pgUrl, d)));
    } finally {
      await dropPostgres(values.pg, dbName);
    }
  }

  log('');
  log('| engine | page | req/s | p50 ms | p99 ms | target p99 | vs EJS req/s | kB | non-2xx | verdict |');
  log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  log(`| | baseline: Express + EJS, 50 rows | ${ejs.reqPerSec.toFixed(0)} | ${ejs.latencyP50} | ${ejs.latencyP99} | | 100 % | | ${ejs.non2xx} | |`);
  for (const r of rows) {
    const ok = r.m.requests > 0 && r.m.latencyP99 < r.target && r.m.non2xx === 0 && r.m.errors === 0 && r.m.timeouts === 0;
    log(
      `| ${r.engine} | ${r.name} | ${r.m.reqPerSec.toFixed(1)} | ${r.m.latencyP50} | ${r.m.latencyP99} | ${r.target} | ${((r.m.reqPerSec / ejs.reqPerSec) * 100).toFixed(1)} % | ${(r.bytes / 1024).toFixed(0)} | ${r.m.non2xx} | ${ok ? 'PASS' : 'MISS'} |`,
    );
  }
  const out = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const target = path.join(out, `dashboard-${at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(target, `${JSON.stringify({ machine: m, load, ejs, pages: rows, history, checks: checks.checks }, null, 2)}\n`);
  log(`results: ${path.relative(repoRoot, target)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:dashboard failed: ${String((err as Error).message ?? err).slice(0, 2000)}\n`);
    process.exit(1);
  },
);
