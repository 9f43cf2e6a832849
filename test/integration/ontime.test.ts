import { expect } from 'chai';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { signInCast, type CastRole, type Member } from '../fixtures/cast.ts';
import { escapeHtml, send } from '../fixtures/http.ts';
import { Translator } from '../../src/lib/i18n.ts';

const tr = new Translator();
const vi = (key: string, params?: Record<string, string | number>) => escapeHtml(tr.t('vi', key, params));

/** An import file: the template's headers, then the rows given. */
async function workbook(
  rows: Array<Array<string | number>>,
  headers = ['Mã đơn vị', 'Từ ngày', 'Đến ngày', 'Số hồ sơ phải giải quyết', 'Trước hạn', 'Đúng hạn', 'Trễ hạn', 'Văn bản xin lỗi'],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Số liệu đúng hạn');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

forEachDatabase('on-time figures (QĐ 766/QĐ-TTg)', (ctx) => {
  let cast: Record<CastRole, Member>;
  let nd: number;
  let et: number;
  let pk: number;
  const count = async () => Number(((await ctx().db('on_time_figures').first(ctx().db.raw('count(*) as n'))) as { n: unknown }).n);
  const period = (start: string, end: string, c: [number, number, number, number, number]) => ({
    periodStart: start,
    periodEnd: end,
    received: String(c[0]),
    early: String(c[1]),
    onTime: String(c[2]),
    late: String(c[3]),
    apologies: String(c[4]),
  });

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    cast = await signInCast(ctx(), 'ot');
    nd = await ctx().unitId('DNO-CJ-ND');
    et = await ctx().unitId('DNO-CJ-ET');
    pk = await ctx().unitId('LCA-TU-PK');
  });

  describe('entered by hand on the unit page', () => {
    it('the officer enters a quarter and sees its rate: (406 + 30) / 454 = 96%', async () => {
      const o = cast.officer;
      const res = await send(o.agent, 'POST', `/units/${nd}/on-time`, { body: period('2026-01-01', '2026-03-31', [454, 406, 30, 18, 18]), csrf: o.csrf });
      expect(res.status, res.text.slice(0, 500)).to.equal(302);
      const page = await o.agent.get(`/units/${nd}/on-time`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('96%');
      expect(page.text).to.include('01/01/2026 – 31/03/2026');
      const audit = await ctx().db('audit_log').where({ entity: 'on_time_figure', unit_id: nd }).select('action');
      expect(audit.map((a: { action: string }) => a.action)).to.deep.equal(['create']);
    });

    it('a second quarter shows its rate and the change against the first: 90% is 6 points down', async () => {
      const o = cast.officer;
      const res = await send(o.agent, 'POST', `/units/${nd}/on-time`, { body: period('2026-04-01', '2026-06-30', [100, 50, 40, 10, 4]), csrf: o.csrf });
      expect(res.status).to.equal(302);
      const api = await o.agent.get(`/api/v1/units/${nd}/on-time`);
      expect(api.status).to.equal(200);
      const body = api.body as {
        data: Array<{ rate: number; change: number | null; periodStart: string }>;
        meta: { total: { received: number; rate: number } };
      };
      expect(body.data.map((f) => [f.periodStart, f.rate, f.change])).to.deep.equal([
        ['2026-01-01', 96, null],
        ['2026-04-01', 90, -6],
      ]);
      // (406 + 30 + 50 + 40) / (454 + 100) = 526 / 554 = 94.9%
      expect(body.meta.total).to.include({ received: 554, rate: 94.9 });
      const page = await o.agent.get(`/units/${nd}/on-time`);
      expect(page.text).to.include('▼ -6');
    });

    it('refuses a period that overlaps one already entered, keeps what was typed, and saves nothing', async () => {
      const o = cast.officer;
      const before = await count();
      const res = await send(o.agent, 'POST', `/units/${nd}/on-time`, { body: period('2026-03-15', '2026-04-15', [10, 5, 5, 0, 0]), csrf: o.csrf });
      expect(res.status).to.equal(422);
      expect(res.text).to.include(vi('v.ontime_overlap', { start: '2026-01-01', end: '2026-03-31' }));
      expect(res.text).to.include('value="2026-03-15"');
      expect(await count()).to.equal(before);
    });

    it('refuses negative and fractional counts, each on its field', async () => {
      const o = cast.officer;
      const before = await count();
      const res = await send(o.agent, 'POST', `/units/${nd}/on-time`, {
        body: { ...period('2026-07-01', '2026-09-30', [10, 5, 5, 0, 0]), early: '-5', late: '1.5' },
        csrf: o.csrf,
      });
      expect(res.status).to.equal(422);
      expect(res.text.match(new RegExp(vi('v.ontime_count'), 'g'))).to.have.length(2);
      expect(res.text).to.include('value="-5"');
      expect(await count()).to.equal(before);
    });

    it('refuses early + on time + late that does not add up to the dossiers due', async () => {
      const o = cast.officer;
      const before = await count();
      const res = await send(o.agent, 'POST', `/units/${nd}/on-time`, { body: period('2026-07-01', '2026-09-30', [100, 50, 40, 5, 0]), csrf: o.csrf });
      expect(res.status).to.equal(422);
      expect(res.text).to.include(vi('v.ontime_sum', { sum: 95 }));
      expect(await count()).to.equal(before);
    });

    it('refuses a period that ends before it starts', async () => {
      const o = cast.officer;
      const res = await send(o.agent, 'POST', `/units/${nd}/on-time`, { body: period('2026-09-30', '2026-07-01', [0, 0, 0, 0, 0]), csrf: o.csrf });
      expect(res.status).to.equal(422);
      expect(res.text).to.include(vi('v.date_order'));
    });

    it('a viewer reads the figures but has no form, and a post from them is not found', async () => {
      const v = cast.viewer;
      const page = await v.agent.get(`/units/${nd}/on-time`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('96%');
      expect(page.text).not.to.include(`action="/units/${nd}/on-time"`);
      const res = await send(v.agent, 'POST', `/units/${nd}/on-time`, { body: period('2026-07-01', '2026-09-30', [1, 1, 0, 0, 0]), csrf: v.csrf });
      expect(res.status).to.equal(404);
    });
  });

  describe('pushed through the API', () => {
    let token: string;
    let revoked: string;
    before(async () => {
      const users = ctx().built.services.users;
      const user = (await users.sessionUser(cast.officer.userId))!;
      token = (await users.createToken({ user }, { name: 'Một cửa tỉnh' })).token;
      const old = await users.createToken({ user }, { name: 'Cũ' });
      await users.revokeToken({ user }, old.id);
      revoked = old.token;
    });
    const push = (body: Record<string, unknown>, t = token) => request(ctx().built.app).post('/api/v1/on-time').set('Authorization', `Bearer ${t}`).send(body);
    const q3 = { periodStart: '2026-07-01', periodEnd: '2026-09-30', received: 200, early: 150, onTime: 40, late: 10, apologies: 10 };

    it('a one-stop system pushes a quarter by unit code and gets it back with its rate', async () => {
      const res = await push({ unitCode: 'DNO-CJ-ND', ...q3 });
      expect(res.status, res.text).to.equal(201);
      expect((res.body as { data: unknown }).data).to.include({ unitId: nd, received: 200, rate: 95, source: 'api' });
    });

    it('the same quarter again is refused with ONTIME_OVERLAP and changes nothing', async () => {
      const before = await count();
      const res = await push({ unitId: nd, ...q3 });
      expect(res.status).to.equal(422);
      expect((res.body as { error: { code: string; message: string } }).error).to.include({
        code: 'ONTIME_OVERLAP',
        message: tr.t('vi', 'errors.ONTIME_OVERLAP', { start: '2026-07-01', end: '2026-09-30' }),
      });
      expect(await count()).to.equal(before);
    });

    it('counts that do not add up answer ONTIME_SUM', async () => {
      const res = await push({ unitId: nd, ...q3, periodStart: '2026-10-01', periodEnd: '2026-12-31', late: 11 });
      expect(res.status).to.equal(422);
      expect((res.body as { error: { code: string; fields: Record<string, string> } }).error.code).to.equal('ONTIME_SUM');
    });

    it('a negative count and a count sent as text with a decimal are refused per field', async () => {
      const res = await push({ unitId: nd, ...q3, periodStart: '2026-10-01', periodEnd: '2026-12-31', early: -1, late: '2.5' });
      expect(res.status).to.equal(422);
      const e = (res.body as { error: { code: string; fields: Record<string, string> } }).error;
      expect(e.code).to.equal('VALIDATION_FAILED');
      expect(e.fields).to.deep.equal({ early: tr.t('vi', 'v.ontime_count'), late: tr.t('vi', 'v.ontime_count') });
    });

    it('a body naming no unit is told so, together with every other problem of the body', async () => {
      const res = await push({ ...q3, early: -1 });
      expect(res.status).to.equal(422);
      expect((res.body as { error: { fields: Record<string, string> } }).error.fields).to.deep.equal({
        unitId: tr.t('vi', 'v.required'),
        early: tr.t('vi', 'v.ontime_count'),
      });
    });

    it('a unit of another province is not found by id, and unknown by code, exactly like one that does not exist', async () => {
      const before = await count();
      const byId = await push({ unitId: pk, ...q3 });
      expect(byId.status).to.equal(404);
      expect((byId.body as { error: { code: string } }).error.code).to.equal('NOT_FOUND');
      const byCode = await push({ unitCode: 'LCA-TU-PK', ...q3 });
      const none = await push({ unitCode: 'KHONG-CO', ...q3 });
      expect(byCode.status).to.equal(422);
      expect((byCode.body as { error: { fields: unknown } }).error.fields).to.deep.equal((none.body as { error: { fields: unknown } }).error.fields);
      expect(await count()).to.equal(before);
    });

    it('the same period pushed twice at once is saved once: the other answers ONTIME_OVERLAP', async () => {
      const before = await count();
      const body = { unitId: nd, periodStart: '2027-01-01', periodEnd: '2027-03-31', received: 5, early: 5, onTime: 0, late: 0, apologies: 0 };
      const users = ctx().built.services.users;
      const coordinator = (await users.sessionUser(cast.coordinator.userId))!;
      const ct = (await users.createToken({ user: coordinator }, { name: 'Hai hệ thống' })).token;
      const answers = await Promise.all([push(body), push(body, ct), push(body), push(body, ct)]);
      expect(answers.map((r) => r.status).sort()).to.deep.equal([201, 422, 422, 422]);
      expect(answers.filter((r) => r.status === 422).map((r) => (r.body as { error: { code: string } }).error.code)).to.deep.equal([
        'ONTIME_OVERLAP',
        'ONTIME_OVERLAP',
        'ONTIME_OVERLAP',
      ]);
      expect(await count()).to.equal(before + 1);
    });

    it('a revoked token answers 401 TOKEN_INVALID and a viewer token is refused as not found', async () => {
      const res = await push({ unitId: nd, ...q3 }, revoked);
      expect(res.status).to.equal(401);
      expect((res.body as { error: { code: string } }).error.code).to.equal('TOKEN_INVALID');
      const users = ctx().built.services.users;
      const viewer = (await users.sessionUser(cast.viewer.userId))!;
      const vt = (await users.createToken({ user: viewer }, { name: 'Chỉ xem' })).token;
      const denied = await push({ unitId: nd, ...q3, periodStart: '2027-01-01', periodEnd: '2027-03-31' }, vt);
      expect(denied.status).to.equal(404);
    });
  });

  describe('imported from Excel for the province', () => {
    const upload = (m: Member, content: Buffer, name = 'so-lieu.xlsx') => send(m.agent, 'POST', '/on-time/import', { csrf: m.csrf, file: { name, content } });

    it('the template downloads with the headers the import reads', async () => {
      const res = await cast.coordinator.agent
        .get('/on-time/import-template.xlsx')
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).to.equal(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as ArrayBuffer);
      expect(wb.worksheets[0]!.getRow(1).getCell(1).value).to.equal('Mã đơn vị');
    });

    it('refuses the whole file when one row names a unit of another province, listing the row, and saves nothing', async () => {
      const before = await count();
      const file = await workbook([
        ['DNO-CJ-ET', '2026-01-01', '2026-03-31', 80, 60, 15, 5, 5],
        ['LCA-TU-PK', '2026-01-01', '2026-03-31', 10, 10, 0, 0, 0],
        ['DNO-CJ-ET', '2026-04-01', '2026-06-30', 50, 20, 20, 5, 1],
        ['DNO-CJ-ET', '2026-03-01', '2026-04-15', 5, 5, 0, 0, 0],
      ]);
      const res = await upload(cast.coordinator, file);
      expect(res.status).to.equal(422);
      expect(res.text).to.include(vi('v.ontime_unit_unknown'));
      expect(res.text).not.to.include('LCA-TU-PK');
      expect(res.text).to.include(vi('v.ontime_sum', { sum: 45 }));
      expect(res.text).to.include(vi('v.ontime_overlap_row', { row: 2 }));
      expect(res.text).not.to.include('Xã Phúc Khoa');
      expect(await count()).to.equal(before);
    });

    it('imports a correct file: every row saved, with its source', async () => {
      const before = await count();
      const file = await workbook([
        ['DNO-CJ-ET', '2026-01-01', '2026-03-31', 80, 60, 15, 5, 5],
        ['DNO-CJ-ET', '2026-04-01', '2026-06-30', 50, 20, 25, 5, 1],
        ['DNO-CJ-ND', '2025-10-01', '2025-12-31', 40, 30, 10, 0, 0],
      ]);
      const res = await upload(cast.coordinator, file);
      expect(res.status, res.text.slice(0, 800)).to.equal(200);
      expect(res.text).to.include(vi('ontime.import.done', { created: 3 }));
      expect(await count()).to.equal(before + 3);
      const rows = await ctx().db('on_time_figures').where('unit_id', et).orderBy('period_start').select('received', 'source');
      expect(rows.map((r: { received: number; source: string }) => [Number(r.received), r.source])).to.deep.equal([
        [80, 'import'],
        [50, 'import'],
      ]);
    });

    it('the same file again overlaps what it imported and is refused as a whole', async () => {
      const before = await count();
      const res = await upload(cast.coordinator, await workbook([['DNO-CJ-ET', '2026-01-01', '2026-03-31', 80, 60, 15, 5, 5]]));
      expect(res.status).to.equal(422);
      expect(res.text).to.include(vi('v.ontime_overlap', { start: '2026-01-01', end: '2026-03-31' }));
      expect(await count()).to.equal(before);
    });

    it('a file that is not a workbook, or lacks a column, is refused with a message', async () => {
      const bad = await upload(cast.coordinator, Buffer.from('not a workbook'), 'so-lieu.xlsx');
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include(vi('errors.IMPORT_CORRUPT'));
      const short = await upload(cast.coordinator, await workbook([['DNO-CJ-ET', '2026-07-01']], ['Mã đơn vị', 'Từ ngày']));
      expect(short.status).to.equal(422);
      expect(short.text).to.include('Đến ngày');
    });

    it('an officer has no import page', async () => {
      expect((await cast.officer.agent.get('/on-time/import')).status).to.equal(404);
    });
  });
});
