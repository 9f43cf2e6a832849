import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { createDb } from '../src/db/knex.ts';
import { previousQuarter, quarterOf, tallyOf, type Answers } from '../src/modules/public/survey.logic.ts';
import { sipasSurveyForm } from '../plugins/sipas/forms/sipas-survey.ts';
import { describeDataset, generateDataset } from './generate.ts';
import { checkPage, measure, signIn, type LoadOptions, type Measurement } from './load.ts';
import { seededRandom } from './national-data.ts';
import { freePort, repoRoot, startNode, waitForOk } from './processes.ts';
import { machine } from './report.ts';

/**
 * `npm run bench:public`: the public pages and the satisfaction survey on the national data set
 * (bench/generate.ts) with ~200 survey answers per unit given in the last finished quarter, for a
 * sample of the largest province's commune-level units (--units, default 60). Measured at 50
 * connections against the Express + EJS baseline of bench/baseline-server.ts, in the same run:
 * a unit's public page and its survey page (anonymous), survey submissions (each a new answer:
 * the stored answers are counted afterwards, accepted = stored), the unit's results page of that
 * quarter and the province dashboard with its SIPAS column (the coordinator).
 * Options: --duration N (default 5), --warmup N (1), --connections N (50), --units N (60).
 * Builds its own data set in bench/data/isotrack-bench-public.sqlite.
 */

const { values } = parseArgs({
  options: { duration: { type: 'string' }, warmup: { type: 'string' }, connections: { type: 'string' }, units: { type: 'string' } },
});
const load: LoadOptions = { duration: Number(values.duration ?? 5), warmup: Number(values.warmup ?? 1), connections: Number(values.connections ?? 50) };
const sampleSize = Number(values.units ?? 60);
const file = path.join(repoRoot, 'bench', 'data', 'isotrack-bench-public.sqlite');
const log = (s: string) => process.stdout.write(`${s}\n`);
const perUnit = 200;

interface Sample {
  units: Array<{ id: number; code: string; name: string }>;
  answers: number;
  ms: number;
}

/** ~200 answers per unit of the sample, spread over the days of the last finished quarter. */
async function generateAnswers(provinceId: number, quarter: { from: string }, at: string): Promise<Sample> {
  const t0 = performance.now();
  const db = createDb({ url: `sqlite:${file}` });
  const rand = seededRandom(91);
  try {
    const units = (await db('units')
      .where('parent_id', provinceId)
      .whereIn('kind', ['commune', 'ward', 'special_zone'])
      .whereNull('active_to')
      .whereNull('merged_into_id')
      .orderBy('id')
      .limit(sampleSize)
      .select('id', 'code', 'name')) as Array<{ id: number; code: string; name: string }>;
    const definition = JSON.stringify(sipasSurveyForm);
    const scale = sipasSurveyForm.sections.flatMap((s) => s.items.filter((i) => i.answer.type === 'scale').map((i) => i.id));
    const start = Date.parse(`${quarter.from}T00:00:00Z`);
    let total = 0;
    await db.transaction(async (trx: Knex.Transaction) => {
      for (const u of units) {
        const rows: Array<Record<string, unknown>> = [];
        for (let i = 0; i < perUnit; i++) {
          const answers: Answers = {};
          // Mostly satisfied, some not, a few without an opinion.
          for (const id of scale) answers[id] = rand() < 0.05 ? 'na' : 1 + Math.min(4, Math.floor(rand() * 3 + rand() * 2.2));
          const day = new Date(start + Math.floor(rand() * 90) * 86_400_000).toISOString().slice(0, 10);
          rows.push({
            unit_id: u.id,
            form_id: sipasSurveyForm.id,
            form_version: sipasSurveyForm.version,
            definition,
            answers: JSON.stringify(answers),
            comment: i % 10 === 0 ? 'Cán bộ hướng dẫn tận tình' : null,
            ...tallyOf({ definition: sipasSurveyForm, answers }),
            day,
            created_at: at,
            updated_at: at,
          });
        }
        for (let i = 0; i < rows.length; i += 100) await trx('survey_answers').insert(rows.slice(i, i + 100));
        total += rows.length;
      }
    });
    await db.raw('ANALYZE');
    return { units, answers: total, ms: Math.round(performance.now() - t0) };
  } finally {
    await db.destroy();
  }
}

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

async function storedAnswers(unitId: number): Promise<number> {
  const db = createDb({ url: `sqlite:${file}` });
  try {
    return Number(((await db('survey_answers').where('unit_id', unitId).first(db.raw('count(*) as n'))) as { n: unknown }).n);
  } finally {
    await db.destroy();
  }
}

/** Survey answers sent as a browser does (the CSRF cookie and field of the survey page), no warm-up. */
async function submissions(base: string, unit: { id: number; code: string }) {
  const url = `${base}/cong-khai/${unit.code}/khao-sat`;
  const page = await fetch(url);
  const html = await page.text();
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the survey page has no CSRF field');
  const fields: Record<string, string> = { _csrf: token };
  for (const s of sipasSurveyForm.sections) for (const i of s.items) if (i.answer.type === 'scale') fields[`a_${i.id}`] = '4';
  const before = await storedAnswers(unit.id);
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    connections: load.connections,
    pipelining: 1,
    timeout: 10,
    duration: load.duration,
  });
  const accepted = (await storedAnswers(unit.id)) - before;
  const redirected = Number((r.statusCodeStats as Record<string, { count: number }>)['303']?.count ?? 0);
  return { reqPerSec: r.requests.average, latencyP99: r.latency.p99, sent: r.requests.total, redirected, accepted, errors: r.errors + r.timeouts };
}

async function main(): Promise<void> {
  setTimeout(
    () => {
      process.stderr.write('bench:public: still running after its budget, giving up\n');
      process.exit(2);
    },
    240_000 + 8 * (load.duration + load.warmup + 5) * 1000,
  ).unref();
  const m = machine();
  log(`isotrack public pages bench: ${m.cpus} cores (${m.cpuModel}), node ${m.node}, load average ${os.loadavg()[0]?.toFixed(2)}`);
  const d = await generateDataset({ file, log });
  const at = new Date().toISOString();
  const quarter = previousQuarter(quarterOf(at.slice(0, 10)));
  const sample = await generateAnswers(d.coordinator.provinceId, quarter, at);
  log(describeDataset(d));
  log(`  ${sample.answers.toLocaleString('en')} survey answers in ${quarter.key} for ${sample.units.length} units, written in ${sample.ms} ms`);
  const unit = sample.units[0]!;

  log('baseline: Express + EJS, 50 rows ...');
  const ejs = await baseline();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = startNode('isotrack', 'src/server.ts', {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: `sqlite:${file}`,
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    TRUST_PROXY: 'false',
    SCHEDULER_ENABLED: 'false',
    // Every request of the load comes from 127.0.0.1: the limits would stop it after a few answers.
    SURVEY_MAX_PER_ADDRESS_PER_HOUR: '100000000',
    SURVEY_MAX_PER_UNIT_PER_HOUR: '100000000',
  });
  const rows: Array<{ name: string; path: string; m: Measurement; bytes: number }> = [];
  let posted: Awaited<ReturnType<typeof submissions>>;
  try {
    await waitForOk(`${base}/healthz`, app, 60_000);
    const coordinator = await signIn(base, d.coordinator.username, d.password);
    const pages: Array<[string, string, string | undefined, string]> = [
      ['public page (anonymous)', `/cong-khai/${unit.code}`, undefined, unit.name],
      ['survey page (anonymous)', `/cong-khai/${unit.code}/khao-sat`, undefined, 'name="_csrf"'],
      [`results page, ${quarter.key} (coordinator)`, `/units/${unit.id}/satisfaction?q=${quarter.key}`, coordinator, unit.name],
      ['province dashboard with SIPAS (coordinator)', '/dashboard?sort=satisfaction', coordinator, 'dash-table'],
    ];
    for (const [name, p, cookie, expect] of pages) {
      const { bytes } = await checkPage(`${base}${p}`, cookie, expect);
      log(`${name} (${p}) ...`);
      rows.push({ name, path: p, bytes, m: await measure(`${base}${p}`, cookie ? { cookie } : {}, load) });
    }
    log('survey submissions ...');
    posted = await submissions(base, unit);
  } finally {
    await app.stop();
  }

  const ratio = (x: number) => `${((x / ejs.reqPerSec) * 100).toFixed(1)} %`;
  log('');
  log(`| page | req/s | p50 ms | p99 ms | vs EJS req/s | kB | non-2xx |`);
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  log(`| baseline: Express + EJS, 50 rows | ${ejs.reqPerSec.toFixed(0)} | ${ejs.latencyP50} | ${ejs.latencyP99} | 100 % | | ${ejs.non2xx} |`);
  for (const r of rows)
    log(
      `| ${r.name} | ${r.m.reqPerSec.toFixed(1)} | ${r.m.latencyP50} | ${r.m.latencyP99} | ${ratio(r.m.reqPerSec)} | ${(r.bytes / 1024).toFixed(0)} | ${r.m.non2xx} |`,
    );
  log(`| survey submissions (POST, 303 expected) | ${posted.reqPerSec.toFixed(1)} | | ${posted.latencyP99} | ${ratio(posted.reqPerSec)} | | |`);
  log(`submissions: ${posted.sent} sent, ${posted.redirected} answered 303, ${posted.accepted} stored (accepted), ${posted.errors} errors or timeouts`);
  const out = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const target = path.join(out, `public-${at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(target, `${JSON.stringify({ machine: m, load, ejs, pages: rows, submissions: posted, answers: sample.answers }, null, 2)}\n`);
  log(`results: ${path.relative(repoRoot, target)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:public failed: ${String((err as Error).message ?? err).slice(0, 2000)}\n`);
    process.exit(1);
  },
);
