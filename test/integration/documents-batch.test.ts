import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { binaryBody } from '../fixtures/catalog.ts';
import { docText, keepFirstPage, pdfPlain } from '../fixtures/documents-data.ts';

/** Batch printing: one ZIP of a type's issued documents for every unit of a province, streamed. */
forEachDatabase('documents: batch ZIP of a province', (ctx) => {
  let coordinator: { username: string; password: string };
  let issued: Record<string, number>;

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    coordinator = await ctx().userWith('coordinator', 'DNO');
    const docs = ctx().built.services.documents;
    const admin: Actor = ctx().admin;
    issued = {};
    for (const code of ['DNO-CJ-ND', 'DNO-CJ-ET', 'LCA-TU-PK']) {
      const d = await docs.prepare(admin, await ctx().unitId(code), { type: 'yearly-report', year: 2026 });
      await docs.approve(admin, d.id);
      await docs.issue(admin, d.id);
      issued[code] = d.id;
    }
    // A draft is not printed in a batch: only what was issued.
    await docs.prepare(admin, await ctx().unitId('DNO-SKHCN'), { type: 'yearly-report', year: 2026 });
  });

  function unzip(zip: Buffer): { names: string[]; read(name: string): Buffer } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isotrack-zip-'));
    const file = path.join(dir, 'batch.zip');
    fs.writeFileSync(file, zip);
    execFileSync('unzip', ['-q', file, '-d', path.join(dir, 'out')]);
    const names = fs.readdirSync(path.join(dir, 'out')).sort();
    const files = new Map(names.map((n) => [n, fs.readFileSync(path.join(dir, 'out', n))]));
    fs.rmSync(dir, { recursive: true, force: true });
    return { names, read: (n) => files.get(n)! };
  }

  it('lists every unit of the province, saying which have nothing to print', async () => {
    const agent = await ctx().signIn(coordinator.username, coordinator.password);
    const dno = await ctx().unitId('DNO');
    const page = await agent.get(`/documents/batch?provinceId=${dno}&type=yearly-report&year=2026`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(docText('documents.batch_ready', { n: 2 }));
    expect(page.text).to.contain(docText('documents.batch_missing', { n: 3 }));
    for (const name of ['Xã Nam Dong', 'Thị trấn Ea T&#39;ling', 'Sở Khoa học và Công nghệ', 'Huyện Cư Jút']) expect(page.text).to.contain(name);
    expect(page.text).not.to.contain('Phúc Khoa');
    expect(page.text).to.contain(`/documents/batch.zip?provinceId=${dno}&type=yearly-report&year=2026`);
  });

  it('streams one ZIP with the stored PDFs byte for byte and danh-sach.txt naming the units with nothing', async () => {
    const agent = await ctx().signIn(coordinator.username, coordinator.password);
    const dno = await ctx().unitId('DNO');
    const res = await agent.get(`/documents/batch.zip?provinceId=${dno}&type=yearly-report&year=2026`).buffer(true).parse(binaryBody);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/zip');
    expect(res.headers['content-disposition']).to.equal('attachment; filename="bao-cao-tinh-hinh-xay-dung-ap-dung-duy-tri-va-cai-tien-htqlcl-2026-DNO.zip"');
    // Streamed while built, with its exact size announced first (the browser's progress).
    expect(Number(res.headers['content-length'])).to.equal((res.body as Buffer).length);
    const zip = unzip(res.body as Buffer);
    expect(zip.names).to.have.length(3);
    expect(zip.names[0]).to.match(/^DNO-CJ-ET-Thi-tran-Ea-T-ling-01-BC-UBND\.pdf$/);
    expect(zip.names[1]).to.equal('DNO-CJ-ND-Xa-Nam-Dong-01-BC-UBND.pdf');
    expect(zip.names[2]).to.equal('danh-sach.txt');
    for (const [code, name] of [
      ['DNO-CJ-ND', zip.names[1]!],
      ['DNO-CJ-ET', zip.names[0]!],
    ] as const) {
      const stored = (await ctx().db('documents').where('id', issued[code]!).first('pdf')) as { pdf: Buffer };
      expect(Buffer.compare(zip.read(name), Buffer.from(stored.pdf)), name).to.equal(0);
    }
    keepFirstPage(zip.read(zip.names[1]!), `yearly-report-from-zip-${ctx().dialect}`);
    expect(pdfPlain(zip.read(zip.names[1]!))).to.contain('Số: 01/BC-UBND');
    const list = zip
      .read('danh-sach.txt')
      .toString('utf8')
      .replace(/^\ufeff/, '');
    expect(list).to.contain('Đơn vị có văn bản đã ban hành (2):');
    expect(list, 'dates as DD/MM/YYYY').to.match(/Số 01\/BC-UBND {2}ngày \d{2}\/\d{2}\/\d{4}/);
    expect(list).to.contain('Đơn vị chưa có văn bản để in (3):');
    for (const s of ['DNO  Tỉnh Đắk Nông', 'DNO-CJ  Huyện Cư Jút', 'DNO-SKHCN  Sở Khoa học và Công nghệ']) expect(list.split('(3):')[1]).to.contain(s);
    expect(list).not.to.contain('LCA');
  });

  it('returns without an error when the client goes away in the middle of the ZIP', async () => {
    const dno = await ctx().unitId('DNO');
    const plan = await ctx().built.services.documents.batch.plan(ctx().admin, dno, 'yearly-report', 2026);
    let read = 0;
    const sink = new Writable({
      highWaterMark: 1,
      write(_chunk: Buffer, _enc, cb) {
        read++;
        this.destroy();
        cb();
      },
    });
    // Every PDF the batch reads is one query of the documents' `pdf` column: count them.
    let pdfReads = 0;
    const count = (q: { sql: string }) => {
      if (/select [`"]pdf[`"] from [`"]documents[`"]/.test(q.sql)) pdfReads++;
    };
    ctx().db.on('query', count);
    const started = Date.now();
    try {
      await ctx().built.services.documents.batch.stream(plan, 'Báo cáo năm', sink);
    } finally {
      ctx().db.removeListener('query', count);
    }
    expect(Date.now() - started).to.be.below(5000);
    expect(read).to.be.at.least(1);
    expect(sink.destroyed).to.equal(true);
    const printable = plan.lines.filter((l) => l.doc).length;
    expect(printable, 'the province has several documents to print').to.be.at.least(2);
    expect(pdfReads, 'the batch stops reading PDFs once nobody reads the ZIP').to.be.below(printable);
  });

  it("does not exist for an officer, nor for a province outside the coordinator's scope", async () => {
    const officer = await ctx().userWith('officer', 'DNO-CJ-ND');
    const agent = await ctx().signIn(officer.username, officer.password);
    const dno = await ctx().unitId('DNO');
    expect((await agent.get('/documents/batch')).status).to.equal(404);
    expect((await agent.get(`/documents/batch.zip?provinceId=${dno}&type=yearly-report&year=2026`)).status).to.equal(404);
    const coord = await ctx().signIn(coordinator.username, coordinator.password);
    const lca = await ctx().unitId('LCA');
    const out = await coord.get(`/documents/batch.zip?provinceId=${lca}&type=yearly-report&year=2026`);
    expect(out.status).to.equal(404);
    expect(out.text).not.to.contain('Phúc Khoa');
  });
});
