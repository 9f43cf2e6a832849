import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createDb } from '../src/db/knex.ts';
import { describeDataset, generateDataset } from './generate.ts';
import { generateChecks, saveItems } from './generate-checks.ts';
import { checkPage, measure, signIn, type LoadOptions, type Measurement } from './load.ts';
import { freePort, repoRoot, startNode, waitForOk } from './processes.ts';
import { machine } from './report.ts';
import { copyToPostgres, dropPostgres } from './dashboard-pg.ts';

/**
 * `npm run bench:checks`: on a fresh national data set with five years of checks,
 *  1. answers saved by 50 connections at once for --duration seconds (PUT of one item each, as
 *     the page's autosave does): p99, and every acknowledged save read back from the database
 *     (target: p99 < 150 ms, not one save lost or failed);
 *  2. the province check list (`/checks`, 10 connections) of the largest province's coordinator,
 *     filtered and not, against the EJS baseline (target: >= 40 % of its requests/s, p99 < 100 ms).
 * Options: --duration N (default 10), --warmup N (default 2), --connections N for the list (10),
 * --save-connections N (50), --pg URL (the same on PostgreSQL too: the data set is copied into a
 * fresh database on that server, as bench:dashboard does, and dropped at the end). Always builds its
 * own data set in bench/data/isotrack-bench-checks.sqlite.
 */

const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    'save-connections': { type: 'string' },
    pg: { type: 'string' },
  },
});
const duration = Number(values.duration ?? 10);
const warmup = Number(values.warmup ?? 2);
const listConnections = Number(values.connections ?? 10);
const saveConnections = Number(values['save-connections'] ?? 50);
if (saveConnections > saveItems * 5) throw new Error(`at most ${saveItems * 5} save connections`);
const file = path.join(repoRoot, 'bench', 'data', 'isotrack-bench-checks.sqlite');
const log = (s: string) => process.stdout.write(`${s}\n`);

interface SaveResult {
  p50: number;
  p99: number;
  max: number;
  reqPerSec: number;
  acknowledged: number;
  failed: number;
  lost: number;
  errors: number;
}

/**
 * Saves go round the items of the checks, each with a value never sent before. Afterwards every
 * stored value must be one of the acknowledged saves of its item, and the answers' versions (each
 * save bumps its item's by one, in the same transaction) must add up to the acknowledged saves:
 * a save acknowledged but not kept would show as a missing version.
 */
async function saveLoad(base: string, cookie: string, token: string, checkIds: number[], databaseUrl: string): Promise<SaveResult> {
  let seq = 0;
  const slots = checkIds.length * saveItems;
  const acked = new Map<string, Set<string>>();
  // Everything sent: saves still on their way when the run stops are stored but never acknowledged.
  const sentAll = new Map<string, Set<string>>();
  let acknowledged = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  // autocannon hands the same context to a request's setup and its response.
  type Ctx = { key?: string; sent?: string };
  const r = await autocannon({
    url: `${base}/`,
    connections: saveConnections,
    pipelining: 1,
    duration,
    timeout: 10,
    requests: [
      {
        method: 'PUT',
        setupRequest: (req, context) => {
          const c = context as Ctx;
          const n = seq++;
          const slot = n % slots;
          const checkId = checkIds[slot % checkIds.length]!;
          const item = `t${Math.floor(slot / checkIds.length)}`;
          c.key = `${checkId}|${item}`;
          c.sent = `lần lưu thứ ${n}`;
          sentAll.set(c.key, (sentAll.get(c.key) ?? new Set<string>()).add(c.sent));
          return {
            ...req,
            method: 'PUT',
            path: `/api/v1/checks/${checkId}/answers/${item}`,
            headers: { ...req.headers, cookie, 'x-csrf-token': token, 'content-type': 'application/json' },
            body: JSON.stringify({ value: c.sent, note: null }),
          };
        },
        onResponse: (status, body, context) => {
          const c = context as Ctx;
          if (status === 200) {
            acknowledged++;
            const set = acked.get(c.key!) ?? new Set<string>();
            set.add(c.sent!);
            acked.set(c.key!, set);
          } else {
            failed++;
            firstFailure ??= `${status} ${String(body).slice(0, 300)}`;
          }
        },
      },
    ],
  });
  // Read back what was stored.
  const db = createDb({ url: databaseUrl });
  let lost = 0;
  try {
    const rows = (await db('check_answers').whereIn('check_id', checkIds).select('check_id', 'item_id', 'value', 'version')) as Array<{
      check_id: number;
      item_id: string;
      value: string;
      version: number;
    }>;
    const stored = new Map(rows.map((x) => [`${x.check_id}|${x.item_id}`, x]));
    // A stored value nobody sent would be a corruption; one of the unacknowledged last saves is fine.
    for (const [key] of acked) if (!sentAll.get(key)?.has(String(stored.get(key)?.value))) lost++;
    const versions = rows.reduce((a, x) => a + Number(x.version), 0);
    // Fewer versions than acknowledged saves: some acknowledged save left no trace.
    lost += Math.max(0, acknowledged - versions);
    log(`read back: ${rows.length} answers, versions ${versions}, acknowledged ${acknowledged}, sent ${seq}`);
  } finally {
    await db.destroy();
  }
  if (firstFailure) log(`first failed save: ${firstFailure}`);
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    reqPerSec: r.requests.average,
    acknowledged,
    failed: Math.max(failed, r.non2xx),
    lost,
    errors: r.errors + r.timeouts,
  };
}

interface EngineResult {
  engine: string;
  rows: Array<{ name: string; m: Measurement }>;
  save: SaveResult;
}

/** The app on one database: the province list, filtered and not, then the answer saves. */
async function measureEngine(
  engine: string,
  databaseUrl: string,
  d: Awaited<ReturnType<typeof generateDataset>>,
  saveCheckIds: number[],
  load: LoadOptions,
): Promise<EngineResult> {
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
  const rows: Array<{ name: string; m: Measurement }> = [];
  try {
    await waitForOk(`${base}/healthz`, app, 30_000);
    const cookie = await signIn(base, d.coordinator.username, d.password);
    const lists: Array<[string, string, string]> = [
      ['province check list', '/checks', 'rel="next"'],
      ['province check list, filtered', '/checks?status=submitted&form=iso-internal-audit&from=2024-01-01&to=2026-12-31&scoreMin=50', 'rel="next"'],
    ];
    for (const [name, p, expect] of lists) {
      await checkPage(`${base}${p}`, cookie, expect);
      log(`${engine}: ${name} (${p}) ...`);
      rows.push({ name, m: await measure(`${base}${p}`, { cookie }, load) });
    }
    // The page that carries the token also sets the CSRF cookie it pairs with.
    const account = await fetch(`${base}/account`, { headers: { cookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(await account.text())?.[1];
    const csrfCookie = account.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('isotrack.csrf='));
    if (!token) throw new Error('no CSRF token on /account');
    const pageCookie = csrfCookie ? cookie.replace(/isotrack\.csrf=[^;]*/, csrfCookie) : cookie;
    log(`${engine}: answer saves, ${saveConnections} connections, ${duration} s ...`);
    const save = await saveLoad(base, pageCookie, token, saveCheckIds, databaseUrl);
    return { engine, rows, save };
  } finally {
    await app.stop();
  }
}

async function baseline(load: LoadOptions): Promise<Measurement> {
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

async function main(): Promise<void> {
  setTimeout(
    () => {
      process.stderr.write('bench:checks: still running after its budget, giving up\n');
      process.exit(2);
    },
    (120_000 + 6 * (duration + warmup + 5) * 1000) * (values.pg ? 2 : 1) + (values.pg ? 120_000 : 0),
  ).unref();
  const m = machine();
  log(`isotrack checks bench: ${m.cpus} cores (${m.cpuModel}), node ${m.node}, load average ${os.loadavg()[0]?.toFixed(2)}`);
  const d = await generateDataset({ file, log });
  const at = new Date().toISOString();
  const info = await generateChecks(file, d.coordinator.provinceId, at);
  log(describeDataset(d));
  log(
    `  ${info.checks.toLocaleString('en')} checks (commune-level units x 5 years x 2), written in ${info.ms} ms; ${info.saveCheckIds.length} checks for the save load`,
  );

  const load: LoadOptions = { connections: listConnections, duration, warmup };
  log('baseline: Express + EJS, 50 rows ...');
  const ejs = await baseline(load);

  const results: EngineResult[] = [await measureEngine('sqlite', `sqlite:${file}`, d, info.saveCheckIds, load)];
  if (values.pg) {
    const dbName = 'isotrack_bench_checks';
    const pgUrl = await copyToPostgres(file, values.pg, dbName, log);
    try {
      results.push(await measureEngine('postgres', pgUrl, d, info.saveCheckIds, load));
    } finally {
      await dropPostgres(values.pg, dbName);
    }
  }

  log('');
  log(`| engine | what | req/s | p50 ms | p99 ms | vs EJS | non-2xx | verdict |`);
  log(`| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |`);
  log(`| | baseline: Express + EJS, 50 rows | ${ejs.reqPerSec.toFixed(0)} | ${ejs.latencyP50} | ${ejs.latencyP99} | 100 % | ${ejs.non2xx} | |`);
  for (const e of results) {
    for (const r of e.rows) {
      const ratio = r.m.reqPerSec / ejs.reqPerSec;
      const ok = ratio >= 0.4 && r.m.latencyP99 < 100 && r.m.non2xx === 0 && r.m.errors === 0;
      log(
        `| ${e.engine} | ${r.name} | ${r.m.reqPerSec.toFixed(0)} | ${r.m.latencyP50} | ${r.m.latencyP99} | ${(ratio * 100).toFixed(0)} % | ${r.m.non2xx} | ${ok ? 'PASS' : 'MISS'} |`,
      );
    }
    const save = e.save;
    const ok = save.p99 < 150 && save.lost === 0 && save.failed === 0 && save.errors === 0;
    log(
      `| ${e.engine} | answer saves (${saveConnections} connections) | ${save.reqPerSec.toFixed(0)} | ${save.p50} | ${save.p99} | | ${save.failed} | ${ok ? 'PASS' : 'MISS'} |`,
    );
  }
  for (const e of results)
    log(
      `${e.engine} answer saves: ${e.save.acknowledged} acknowledged, ${e.save.failed} failed, ${e.save.errors} errors/timeouts, ${e.save.lost} lost (read back from the database)`,
    );
  const out = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const target = path.join(out, `checks-${at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(
    target,
    `${JSON.stringify({ machine: m, duration, warmup, listConnections, saveConnections, ejs, engines: results, checks: info.checks }, null, 2)}\n`,
  );
  log(`results: ${path.relative(repoRoot, target)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:checks failed: ${String((err as Error).message ?? err).slice(0, 2000)}\n`);
    process.exit(1);
  },
);
