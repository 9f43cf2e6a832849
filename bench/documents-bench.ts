import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createDb } from '../src/db/knex.ts';
import { migrateCore } from '../src/db/migrator.ts';
import { systemClock } from '../src/lib/clock.ts';
import type { Actor } from '../src/lib/actor.ts';
import { renderDocument } from '../src/modules/documents/nd30.layout.ts';
import { declaration } from '../src/modules/documents/types/decisions.ts';
import { machine } from './report.ts';

/**
 * `node --import tsx bench/documents-bench.ts`, on a fresh SQLite file:
 *  1. one declaration with an annex of --rows procedures (default 120) rendered --renders times
 *     (default 30) after a first, cold one: median and p95 per document (target < 100 ms) and the
 *     heap it leaves behind;
 *  2. the yearly reports of --units units (default 100) of one province issued, then streamed as
 *     one ZIP into a counting sink: total time (target < 10 s) and the peak RSS sampled every 10 ms
 *     during the ZIP (target < 300 MB).
 */
const { values } = parseArgs({ options: { rows: { type: 'string' }, renders: { type: 'string' }, units: { type: 'string' } } });
const rows = Number(values.rows ?? 120);
const renders = Number(values.renders ?? 30);
const unitCount = Number(values.units ?? 100);
const log = (s: string) => process.stdout.write(`${s}\n`);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const at = new Date().toISOString();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isotrack-doc-bench-'));
const file = path.join(dir, 'bench.sqlite');
const db = createDb({ url: `sqlite:${file}` });

async function main(): Promise<void> {
  await migrateCore(db);
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${file}`, PASSWORD_SCRYPT_COST: '1024' });
  const built = buildApp({ config, db, clock: systemClock, logger: pino({ level: 'silent' }), sessionSecret: 'bench-secret-bench-secret-bench-secret-01' });
  const s = built.services;
  const adminUser = await s.users.create(undefined, { username: 'root', fullName: 'Quản trị', password: 'mat-khau-bench-1' }, { admin: true });
  const admin: Actor = { user: adminUser };
  const province = await s.units.create(admin, { code: 'TINH', name: 'Tỉnh Thử Nghiệm', kind: 'province', placeName: 'Thành phố Thử' });
  const units: number[] = [];
  for (let i = 1; i <= unitCount; i++)
    units.push(
      (await s.units.create(admin, { code: `XA-${i}`, name: `Xã Thử Nghiệm ${i}`, kind: 'commune', parentId: province.id, placeName: `Thử ${i}` })).id,
    );

  // 1. The declaration with a long annex, rendered straight by the layout (facts as the type gathers them).
  const procedures = Array.from({ length: rows }, (_, i) => ({
    code: `QT-${String(i + 1).padStart(3, '0')}`,
    title: `Quy trình giải quyết thủ tục hành chính số ${i + 1} về đăng ký, chứng thực và hộ tịch`,
    tthcCode: `1.00${1000 + i}`,
    revisionNo: 1,
    issueDate: '2026-01-15',
  }));
  const unit = {
    id: units[0]!,
    code: 'XA-1',
    name: 'Xã Thử Nghiệm 1',
    kind: 'commune',
    path: '',
    placeName: 'Thử 1',
    parentName: province.name,
    parentKind: 'province',
  };
  const fields = {
    subject: '',
    authority: '',
    legalBases: [],
    articles: [],
    signerOnBehalf: '',
    signerTitle: '',
    signerName: 'Nguyễn Văn An',
    recipients: [],
    parts: {},
    ...declaration.defaults({ unit, year: 2026, facts: { procedures } }),
  };
  const content = declaration.build({ unit, year: 2026, facts: { procedures }, fields: fields as never, number: '05/QĐ-UBND', issueDate: '2026-12-15' });
  const head = {
    parentBody: 'ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM',
    issuingBody: 'ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM 1',
    number: '05/QĐ-UBND',
    placeDate: 'Thử 1, ngày 15 tháng 12 năm 2026',
  };
  const opts = { createdAt: new Date('2026-12-15T02:00:00Z'), title: 'bench', author: 'bench' };
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let t = performance.now();
  const cold = await renderDocument(head, content, opts);
  const coldMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < renders; i++) {
    t = performance.now();
    await renderDocument(head, content, opts);
    times.push(performance.now() - t);
  }
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;

  // 2. One issued yearly report per unit, then one ZIP of them all.
  let issueMs = 0;
  for (const id of units) {
    const d = await s.documents.prepare(admin, id, { type: 'yearly-report', year: 2026 });
    await s.documents.approve(admin, d.id);
    t = performance.now();
    await s.documents.issue(admin, d.id);
    issueMs += performance.now() - t;
  }
  // A few units without a report: listed in the ZIP, not skipped.
  await s.units.create(admin, { code: 'XA-MOI', name: 'Xã Mới Thành Lập', kind: 'commune', parentId: province.id });
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  t = performance.now();
  const plan = await s.documents.batch.plan(admin, province.id, 'yearly-report', 2026);
  await s.documents.batch.stream(plan, 'Báo cáo năm', sink);
  await new Promise<void>((resolve) => sink.end(resolve));
  const zipMs = performance.now() - t;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  log(`machine: ${JSON.stringify(machine())}`);
  log(`declaration, ${rows}-row annex (${cold.length} bytes): cold ${ms(coldMs)}; warm median ${ms(median)}, p95 ${ms(p95)} over ${renders} (target < 100 ms)`);
  log(`  heap after ${renders + 1} renders: ${mb(heapAfter - heapBefore)} more than before${global.gc ? '' : ' (run with --expose-gc for a settled figure)'}`);
  log(`issue of ${unitCount} yearly reports (render + store): ${ms(issueMs / unitCount)} each`);
  log(
    `ZIP of ${plan.lines.filter((l) => l.doc).length} reports, ${plan.lines.filter((l) => !l.doc).length} units listed with nothing: ${ms(zipMs)}, ${mb(bytes)} (target < 10 s)`,
  );
  log(`  RSS ${mb(rssBefore)} before, peak ${mb(peak)} during the ZIP (target < 300 MB); at ${at}`);
}

main().then(
  async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async (err: unknown) => {
    process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exitCode = 1;
  },
);
