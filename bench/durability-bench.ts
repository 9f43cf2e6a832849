import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { generateDataset } from './generate.ts';
import { generateChecks, saveItems } from './generate-checks.ts';
import { signIn } from './load.ts';
import { freePort, repoRoot, startNode, waitForOk } from './processes.ts';
import { machine } from './report.ts';

/**
 * `npm run bench:durability`: what syncing every SQLite commit costs. The answer saves of the
 * checks bench (PUT /api/v1/checks/:id/answers/:itemId, as the page's autosave sends them, one
 * item each, every value new) at --connections (50) for --duration seconds, on the same data set,
 * once with SQLITE_SYNCHRONOUS=NORMAL (the baseline: the WAL is synced at checkpoints only) and
 * once with FULL (synced at every commit), in the same run. With --rounds N > 1 the order
 * alternates (NORMAL, FULL, FULL, NORMAL...) so a machine getting busier does not favour one level.
 * Prints req/s, p50, p99 and FULL's share of NORMAL's throughput. Builds its data set in
 * bench/data/isotrack-bench-durability.sqlite; results go to bench/results/durability-<time>.json.
 */

const { values } = parseArgs({
  options: { duration: { type: 'string' }, warmup: { type: 'string' }, connections: { type: 'string' }, rounds: { type: 'string' } },
});
const duration = Number(values.duration ?? 10);
const warmup = Number(values.warmup ?? 2);
const connections = Number(values.connections ?? 50);
const rounds = Number(values.rounds ?? 1);
const file = path.join(repoRoot, 'bench', 'data', 'isotrack-bench-durability.sqlite');
const log = (s: string) => process.stdout.write(`${s}\n`);
type Level = 'NORMAL' | 'FULL';

interface Run {
  level: Level;
  round: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  saves: number;
  failed: number;
  errors: number;
  loadBefore: number;
  loadAfter: number;
}

const load1 = () => Math.round((os.loadavg()[0] ?? 0) * 100) / 100;

/** Saves round the checks' text items, each a value never sent before, until the time is up. */
async function saves(
  base: string,
  cookie: string,
  token: string,
  checkIds: number[],
  seconds: number,
  counter: { n: number },
): Promise<autocannon.Result & { failed: number; firstFailure?: string }> {
  const slots = checkIds.length * saveItems;
  let failed = 0;
  let firstFailure: string | undefined;
  const r = await autocannon({
    url: `${base}/`,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'PUT',
        setupRequest: (req) => {
          const n = counter.n++;
          const slot = n % slots;
          const checkId = checkIds[slot % checkIds.length] as number;
          const item = `t${Math.floor(slot / checkIds.length)}`;
          return {
            ...req,
            method: 'PUT',
            path: `/api/v1/checks/${checkId}/answers/${item}`,
            headers: { ...req.headers, cookie, 'x-csrf-token': token, 'content-type': 'application/json' },
            body: JSON.stringify({ value: `lần lưu thứ ${n}`, note: null }),
          };
        },
        onResponse: (status, body) => {
          if (status !== 200) {
            failed++;
            firstFailure ??= `${status} ${String(body).slice(0, 300)}`;
          }
        },
      },
    ],
  });
  return Object.assign(r, { failed, firstFailure });
}

/** The app on the data set with one synchronous level: a warm-up, then the measured saves. */
async function measureLevel(
  level: Level,
  round: number,
  d: Awaited<ReturnType<typeof generateDataset>>,
  checkIds: number[],
  counter: { n: number },
): Promise<Run> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = startNode(`isotrack (${level})`, 'src/server.ts', {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: `sqlite:${file}`,
    SQLITE_SYNCHRONOUS: level,
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    TRUST_PROXY: 'false',
    SCHEDULER_ENABLED: 'false',
  });
  try {
    await waitForOk(`${base}/healthz`, app, 30_000);
    const cookie = await signIn(base, d.coordinator.username, d.password);
    // The page that carries the token also sets the CSRF cookie it pairs with.
    const account = await fetch(`${base}/account`, { headers: { cookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(await account.text())?.[1];
    const csrfCookie = account.headers
      .getSetCookie()
      .map((c) => c.split(';')[0] as string)
      .find((c) => c.startsWith('isotrack.csrf='));
    if (!token) throw new Error('no CSRF token on /account');
    const pageCookie = csrfCookie ? cookie.replace(/isotrack\.csrf=[^;]*/, csrfCookie) : cookie;
    if (warmup > 0) await saves(base, pageCookie, token, checkIds, warmup, counter);
    const loadBefore = load1();
    log(`round ${round}, synchronous=${level}: ${connections} connections, ${duration} s (load average ${loadBefore}) ...`);
    const r = await saves(base, pageCookie, token, checkIds, duration, counter);
    if (r.firstFailure) log(`  first failed save: ${r.firstFailure}`);
    return {
      level,
      round,
      reqPerSec: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
      saves: r.requests.total,
      failed: Math.max(r.failed, r.non2xx),
      errors: r.errors + r.timeouts,
      loadBefore,
      loadAfter: load1(),
    };
  } finally {
    await app.stop();
  }
}

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);

async function main(): Promise<void> {
  if (!(connections >= 1 && connections <= saveItems * 5)) throw new Error(`--connections must be 1-${saveItems * 5}`);
  setTimeout(
    () => {
      process.stderr.write('bench:durability: still running after its budget, giving up\n');
      process.exit(2);
    },
    120_000 + rounds * 2 * (duration + warmup + 15) * 1000,
  ).unref();
  const m = machine();
  log(
    `isotrack durability bench: ${m.cpus} cores (${m.cpuModel}), node ${m.node}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const d = await generateDataset({ file, log });
  const at = new Date().toISOString();
  const info = await generateChecks(file, d.coordinator.provinceId, at);
  log(`data set: ${info.checks.toLocaleString('en')} checks, ${info.saveCheckIds.length} checks x ${saveItems} items for the saves`);

  const counter = { n: 0 };
  const runs: Run[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: Level[] = round % 2 === 1 ? ['NORMAL', 'FULL'] : ['FULL', 'NORMAL'];
    for (const level of order) runs.push(await measureLevel(level, round, d, info.saveCheckIds, counter));
  }

  log('');
  log('| synchronous | round | req/s | p50 ms | p99 ms | max ms | saves | failed | errors | load avg before/after |');
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of runs)
    log(
      `| ${r.level} | ${r.round} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.max} | ${r.saves} | ${r.failed} | ${r.errors} | ${r.loadBefore} / ${r.loadAfter} |`,
    );
  const of = (level: Level) => runs.filter((r) => r.level === level);
  const normal = {
    reqPerSec: mean(of('NORMAL').map((r) => r.reqPerSec)),
    p50: mean(of('NORMAL').map((r) => r.p50)),
    p99: mean(of('NORMAL').map((r) => r.p99)),
  };
  const full = { reqPerSec: mean(of('FULL').map((r) => r.reqPerSec)), p50: mean(of('FULL').map((r) => r.p50)), p99: mean(of('FULL').map((r) => r.p99)) };
  log('');
  log(
    `FULL / NORMAL: req/s ${(full.reqPerSec / normal.reqPerSec).toFixed(2)}, p50 ${(full.p50 / Math.max(1, normal.p50)).toFixed(2)}, p99 ${(full.p99 / Math.max(1, normal.p99)).toFixed(2)}`,
  );
  log('Other work on the machine (a load average above its core count) makes these figures noisy; rerun on a quiet machine before deciding on them.');
  const out = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const target = path.join(out, `durability-${at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(target, `${JSON.stringify({ machine: m, duration, warmup, connections, rounds, runs, normal, full }, null, 2)}\n`);
  log(`results: ${path.relative(repoRoot, target)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:durability failed: ${String((err as Error).message ?? err).slice(0, 2000)}\n`);
    process.exit(1);
  },
);
