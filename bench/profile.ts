import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { boot } from '../src/boot.ts';
import { defaultCatalogDbFile, defaultDbFile, generateDataset, loadDataset } from './generate.ts';
import { signIn } from './load.ts';

/**
 * Where the time of one page view goes, measured without load: the real app booted in this
 * process (production mode, on the bench data set), each page requested one request at a time,
 * every knex query and every EJS render timed. Answers "how many queries does a page make, how
 * long do they take, how long is the render, and what is left (middleware, session, our code)".
 *
 *   node --import tsx bench/profile.ts [--requests 200] [--reuse] [--catalog] [--only TEXT]
 *
 * With --catalog, on the data set with the national catalog, the catalog's pages and export too.
 */

interface Sample {
  total: number;
  db: number;
  queries: number;
  render: number;
}

const { values } = parseArgs({
  options: { requests: { type: 'string' }, reuse: { type: 'boolean' }, db: { type: 'string' }, catalog: { type: 'boolean' }, only: { type: 'string' } },
});
const requests = Math.min(2000, Math.max(10, Number(values.requests ?? 200)));
const file = values.db ?? (values.catalog ? defaultCatalogDbFile : defaultDbFile);
const reused = values.reuse ? loadDataset(file) : undefined;
const d = reused && (!values.catalog || reused.catalog) ? reused : await generateDataset({ file, catalog: values.catalog });

const app = await boot({
  env: {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: `sqlite:${d.file}`,
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    SCHEDULER_ENABLED: 'false',
  },
});
const server = app.server;
if (!server) throw new Error('the app did not listen');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// One request at a time, so every query and render seen belongs to the request in flight.
let current: Sample | undefined;
let sqlLog: string[] | undefined;
// Queries of one request may overlap (Promise.all): db time is the time at least one query of
// the request was pending, not the sum of their durations.
const pending = new Set<string>();
let busySince = 0;
app.db.on('query', (q: { __knexQueryUid: string; sql: string }) => {
  if (pending.size === 0) busySince = performance.now();
  pending.add(q.__knexQueryUid);
  if (current) current.queries++;
  sqlLog?.push(q.sql);
});
const settle = (_r: unknown, q: { __knexQueryUid: string }) => {
  if (!pending.delete(q.__knexQueryUid)) return;
  if (pending.size === 0 && current) current.db += performance.now() - busySince;
};
app.db.on('query-response', settle);
app.db.on('query-error', (_e: unknown, q: { __knexQueryUid: string }) => settle(undefined, q));

type RenderFn = (name: unknown, opts: unknown, cb: (err: unknown, html?: string) => void) => void;
const expressApp = app.built.app as unknown as { render: RenderFn };
const originalRender = expressApp.render.bind(expressApp);
expressApp.render = (name: unknown, opts: unknown, cb: (err: unknown, html?: string) => void) => {
  const t = performance.now();
  originalRender(name, opts, (err: unknown, html?: string) => {
    if (current) current.render += performance.now() - t;
    cb(err, html);
  });
};

let requestStart = 0;
server.prependListener('request', (_req, res) => {
  requestStart = performance.now();
  res.once('finish', () => {
    if (current) current.total = performance.now() - requestStart;
  });
});

const cookies = {
  anonymous: undefined,
  admin: await signIn(base, d.admin.username, d.password),
  coordinator: await signIn(base, d.coordinator.username, d.password),
  officer: d.catalog ? await signIn(base, d.catalog.unit.officer, d.password) : undefined,
};

type PageSpec = [string, string, keyof typeof cookies];
const allPages: PageSpec[] = [
  ['sign-in page', '/login', 'anonymous'],
  ['unit tree', '/units', 'admin'],
  ['unit tree', '/units', 'coordinator'],
  ['search', `/units?q=${d.searchTerm.replace(/ /g, '+')}`, 'coordinator'],
  ['commune page', `/units/${d.commune.id}`, 'coordinator'],
  ['province page', `/units/${d.coordinator.provinceId}`, 'coordinator'],
  // On the data sets of bench:checks and bench:dashboard (--db ... --reuse) these have rows to show.
  ['check list', '/checks', 'coordinator'],
  ['province dashboard', '/dashboard', 'coordinator'],
  ...(d.catalog
    ? ([
        ['catalog page', `/units/${d.catalog.unit.id}/catalog`, 'coordinator'],
        ['catalog page', `/units/${d.catalog.unit.id}/catalog`, 'officer'],
        ['catalog search', `/catalog?q=${d.catalog.searchTerm.replace(/ /g, '+')}`, 'coordinator'],
        ['catalog export', `/units/${d.catalog.unit.id}/catalog/export.xlsx`, 'coordinator'],
      ] satisfies PageSpec[])
    : []),
];
const pages = allPages.filter(([name, path]) => !values.only || name.includes(values.only) || path.includes(values.only));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const out: string[] = [];
out.push(`${requests} sequential requests per page after 20 unmeasured; medians in ms`);
out.push('| page | as | queries | total ms | db ms | render ms | rest ms |');
out.push('|---|---|--:|--:|--:|--:|--:|');
const sqlByPage: string[] = [];
try {
  for (const [name, path, as] of pages) {
    const samples: Sample[] = [];
    for (let i = 0; i < requests + 20; i++) {
      current = { total: 0, db: 0, queries: 0, render: 0 };
      if (i === 20) sqlLog = [];
      const cookie = cookies[as];
      const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      if (i === 20 && sqlLog) {
        sqlByPage.push(`${name} as ${as}:\n${sqlLog.map((s) => `  - ${s}`).join('\n')}`);
        sqlLog = undefined;
      }
      if (i >= 20) samples.push(current);
    }
    current = undefined;
    const t = median(samples.map((s) => s.total));
    const db = median(samples.map((s) => s.db));
    const r = median(samples.map((s) => s.render));
    out.push(
      `| ${name} (${path}) | ${as} | ${median(samples.map((s) => s.queries))} | ${t.toFixed(2)} | ${db.toFixed(2)} | ${r.toFixed(2)} | ${Math.max(0, t - db - r).toFixed(2)} |`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n\nqueries of one request:\n${sqlByPage.join('\n')}\n`);
} finally {
  await app.stop();
}
