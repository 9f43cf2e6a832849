import { expect } from 'chai';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { forEachDatabase, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';
import { binaryBody } from '../fixtures/catalog.ts';

type Row = [code: string, name: string, field: string, level: string, time: string, fee: string];
const header = ['Mã TTHC', 'Tên TTHC', 'Lĩnh vực', 'Cấp thực hiện', 'Thời hạn giải quyết', 'Phí, lệ phí'];
const list: Row[] = [
  ['1.001193', 'Đăng ký khai sinh', 'Hộ tịch', 'Cấp Xã', 'Ngay trong ngày', 'Miễn lệ phí'],
  ['1.000894', 'Đăng ký kết hôn', 'Hộ tịch', 'Cấp Xã', '05 ngày làm việc', '50.000 đồng'],
  ['1.003583', 'Đăng ký khai tử', 'Hộ tịch', 'Cấp Xã', '03 ngày làm việc', 'Không'],
  ['2.000815', 'Chứng thực bản sao từ bản chính', 'Chứng thực', 'Cấp Xã', '02 ngày làm việc', '2.000 đồng/trang'],
];

async function xlsx(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('TTHC');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

forEachDatabase('the province TTHC list as a living register', (ctx) => {
  let coordinator: Agent;
  let csrf: string;
  let provinceId: number;
  const tthc = (code: string) => ctx().db('tthc').where({ province_id: provinceId, code }).first();
  const count = async (table: string) => Number(((await ctx().db(table).count({ n: '*' }).first()) as { n: unknown }).n);
  const preview = (buffer: Buffer) =>
    coordinator.post('/tthc/import').field('_csrf', csrf).field('provinceId', String(provinceId)).attach('file', buffer, 'danh-muc.xlsx');
  const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];

  before(async () => {
    await seedTree(ctx());
    provinceId = await ctx().unitId('DNO');
    const c = await ctx().userWith('coordinator', 'DNO');
    coordinator = await ctx().signIn(c.username, c.password);
    csrf = await csrfOfSignedIn(coordinator);
    await ctx().built.services.catalog.excel.importTthc({ user: c.user }, provinceId, { name: 'ds.xlsx', buffer: await xlsx(list) });
  });

  it('previews a file row by row, new, changed field by field, unchanged, refused with name and value, and missing, changing nothing', async () => {
    const before = { tthc: await count('tthc'), audit: await count('audit_log') };
    const file: Row[] = [
      list[0] as Row,
      ['1.000894', 'Đăng ký kết hôn', 'Hộ tịch', 'Cấp Xã', '07 ngày làm việc', '50.000 đồng'],
      ['1.001612', 'Cấp bản sao trích lục hộ tịch', 'Hộ tịch', 'Cấp Xã', 'Trong ngày', '8.000 đồng/bản'],
      ['HT-01', 'Thủ tục có mã lạ', 'Hộ tịch', 'Cấp Xã', '', ''],
    ];
    const res = await preview(await xlsx(file));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain(viText('tthcreg.summary', { created: 1, changed: 1, unchanged: 1, refused: 1, missing: 2 }));
    expect(res.text).to.match(/05 ngày làm việc<\/td><td class="pre">07 ngày làm việc/);
    expect(res.text).to.contain('Cấp bản sao trích lục hộ tịch');
    expect(res.text).to.match(/<td class="num">5<\/td><td>Thủ tục có mã lạ<\/td><td>A · Mã TTHC<\/td><td class="pre">HT-01<\/td>/);
    expect(res.text).to.contain('Đăng ký khai tử');
    expect(tokenOf(res.text), 'no apply for a refused file').to.equal(undefined);
    expect({ tthc: await count('tthc'), audit: await count('audit_log') }).to.deep.equal(before);
    expect((await tthc('1.000894')).time_text).to.equal('05 ngày làm việc');
  });

  it('shows at most 200 refused rows in the preview and counts the rest', async () => {
    const bad: Row[] = Array.from({ length: 230 }, (_, i) => [`X-${i}`, `Thủ tục sai ${i}`, 'Hộ tịch', 'Cấp Xã', '', '']);
    const res = await preview(await xlsx(bad));
    expect(res.status).to.equal(422);
    expect(res.text.match(/<td class="pre">X-\d+<\/td>/g)).to.have.length(200);
    expect(res.text).to.contain(viText('tthcreg.refused_more', { n: 30 }));
  });

  it('applies exactly the previewed file with the TTHC ticked for retirement, once', async () => {
    const file: Row[] = [list[0] as Row, list[1] as Row, ['1.001612', 'Cấp bản sao trích lục hộ tịch', 'Hộ tịch', 'Cấp Xã', 'Trong ngày', '8.000 đồng/bản']];
    const shown = await preview(await xlsx(file));
    expect(shown.status).to.equal(200);
    expect(shown.text).to.contain(viText('tthcreg.summary', { created: 1, changed: 0, unchanged: 2, refused: 0, missing: 2 }));
    expect(await tthc('1.001612')).to.equal(undefined);
    const token = tokenOf(shown.text) as string;
    const khaiTu = await tthc('1.003583');
    const chungThuc = await tthc('2.000815');
    const undated = await coordinator
      .post('/tthc/import/apply')
      .type('form')
      .send({ _csrf: csrf, token, retire: String(khaiTu.id), decisionNo: '125/QĐ-UBND' });
    expect(undated.status).to.equal(422);
    expect(undated.text, 'the preview again, to correct').to.contain(`name="token" value="${token}"`);
    expect(undated.text).to.contain(escapeHtml(viText('v.required')));
    expect(await tthc('1.001612'), 'nothing applied').to.equal(undefined);
    const res = await coordinator
      .post('/tthc/import/apply')
      .type('form')
      .send({ _csrf: csrf, token, retire: String(khaiTu.id), retiredOn: '01/01/2027', decisionNo: '125/QĐ-UBND', decisionDate: '15/12/2026' });
    expect(res.status, res.text.slice(0, 300)).to.equal(200);
    expect(res.text).to.contain(viText('catalog.import.done', { created: 1, updated: 0, unchanged: 2 }));
    expect(await tthc('1.001612')).to.not.equal(undefined);
    const retired = await tthc('1.003583');
    expect(retired.retired_at).to.equal('2027-01-01');
    expect(retired.retired_decision_no).to.equal('125/QĐ-UBND');
    expect((await tthc('2.000815')).retired_at, 'not ticked, not retired').to.equal(null);
    expect(chungThuc).to.not.equal(undefined);
    const again = await coordinator.post('/tthc/import/apply').type('form').send({ _csrf: csrf, token });
    expect(again.status).to.equal(422);
    expect(again.text).to.contain(escapeHtml(viText('errors.IMPORT_EXPIRED')));
  });

  it('refuses to retire through the apply form a TTHC the file names, and a token of someone else', async () => {
    const shown = await preview(await xlsx(list.slice(0, 3)));
    const token = tokenOf(shown.text) as string;
    const named = await tthc('1.001193');
    const res = await coordinator
      .post('/tthc/import/apply')
      .type('form')
      .send({ _csrf: csrf, token, retire: String(named.id), retiredOn: '01/01/2027', decisionNo: '1/QĐ', decisionDate: '01/12/2026' });
    expect(res.status).to.equal(422);
    expect((await tthc('1.001193')).retired_at).to.equal(null);
    const other = await ctx().userWith('coordinator', 'LCA');
    const theirs = await ctx()
      .built.services.catalog.excel.applyTthc({ user: other.user }, token, {})
      .then(
        () => 'applied',
        (err: { code?: string }) => err.code,
      );
    expect(theirs).to.equal('IMPORT_EXPIRED');
  });

  it('answers the preview as JSON through the API with dryRun=true, writing nothing', async () => {
    const c = await ctx().userWith('coordinator', 'DNO');
    const { token } = await ctx().built.services.users.createToken({ user: c.user }, { name: 'Kiểm thử' });
    const before = await count('audit_log');
    const file: Row[] = [
      ['1.001193', 'Đăng ký khai sinh', 'Hộ tịch', 'Cấp Xã', '01 ngày làm việc', 'Miễn lệ phí'],
      ['1.009001', 'Thủ tục mới', 'Hộ tịch', 'Cấp Xã', '', ''],
    ];
    const res = await request(ctx().built.app)
      .post('/api/v1/tthc/import')
      .set('Authorization', `Bearer ${token}`)
      .field('provinceId', String(provinceId))
      .field('dryRun', 'true')
      .attach('file', await xlsx(file), 'ds.xlsx');
    expect(res.status).to.equal(200);
    const data = (res.body as { data: Record<string, Array<Record<string, unknown>>> }).data;
    expect(data.created?.map((r) => r.code)).to.deep.equal(['1.009001']);
    expect(data.changed?.[0]?.fields).to.deep.include({ field: 'timeText', before: 'Ngay trong ngày', after: '01 ngày làm việc' });
    expect(data.missing?.map((r) => r.code)).to.have.members(['1.000894', '2.000815', '1.001612']);
    expect(await count('audit_log')).to.equal(before);
    expect(await tthc('1.009001')).to.equal(undefined);
  });

  it('retires a TTHC from its page with the decision, marks it on the list, leaves it out of adoptions and asks a declared unit to declare again', async () => {
    const communeId = await ctx().unitId('DNO-CJ-ND');
    const o = await ctx().userWith('officer', 'DNO-CJ-ND');
    const catalog = ctx().built.services.catalog;
    await catalog.tthc.adopt({ user: o.user }, communeId, { codes: '2.000815' });
    await ctx().db('units').where('id', communeId).update({ iso_state: 'declared', iso_state_reason: null });
    const t = await tthc('2.000815');
    const stranger = await ctx().userWith('coordinator', 'LCA');
    const outside = await ctx().signIn(stranger.username, stranger.password);
    const theirs = await outside.form(`/tthc/${t.id}/retire`, { retiredOn: '01/02/2027', decisionNo: '9/QĐ', decisionDate: '01/01/2027' });
    expect(theirs.status).to.equal(404);
    const blank = await coordinator.post(`/tthc/${t.id}/retire`).type('form').send({ _csrf: csrf, retiredOn: '31/02/2027', decisionNo: '' });
    expect(blank.status).to.equal(422);
    expect(blank.text).to.contain(escapeHtml(viText('v.day_vn')));
    expect((await tthc('2.000815')).retired_at).to.equal(null);

    const res = await coordinator
      .post(`/tthc/${t.id}/retire`)
      .type('form')
      .send({ _csrf: csrf, retiredOn: '01/02/2027', decisionNo: '210/QĐ-UBND', decisionDate: '20/01/2027' });
    expect(res.status).to.equal(302);
    const page = await coordinator.get(`/tthc/${t.id}`);
    expect(page.text).to.contain(escapeHtml(viText('tthcreg.retired_note', { on: '01/02/2027', no: '210/QĐ-UBND', date: '20/01/2027' })));
    const listed = await coordinator.get('/tthc?q=2.000815');
    expect(listed.text).to.contain(viText('tthcreg.retired_badge'));
    const unit = await ctx().db('units').where('id', communeId).first();
    expect(unit.iso_state).to.equal('needs_redeclaration');
    expect(unit.iso_state_reason).to.contain('2.000815').and.to.contain('210/QĐ-UBND');
    const other = await ctx().unitId('DNO-CJ-ET');
    const e = await ctx().userWith('officer', 'DNO-CJ-ET');
    const refused = await catalog.tthc.adopt({ user: e.user }, other, { codes: '2.000815' }).then(
      () => 'adopted',
      (err: { fields?: Record<string, { key: string }> }) => err.fields?.codes?.key,
    );
    expect(refused).to.equal('v.tthc_retired');
  });

  it('exports the list in the import format, dates DD/MM/YYYY, and the round trip reports every row unchanged', async () => {
    const res = await coordinator.get(`/tthc/export.xlsx?provinceId=${provinceId}`).buffer(true).parse(binaryBody);
    expect(res.status).to.equal(200);
    const buffer = Buffer.from(res.body as ArrayBuffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('TTHC');
    const rows = (ws?.getSheetValues() ?? []).filter(Boolean) as unknown[][];
    const retired = rows.find((r) => r.includes('2.000815'));
    expect(retired).to.include('01/02/2027').and.to.include('210/QĐ-UBND').and.to.include('20/01/2027');
    const n = await count('tthc');
    const shown = await preview(buffer);
    expect(shown.status).to.equal(200);
    expect(shown.text).to.contain(viText('tthcreg.summary', { created: 0, changed: 0, unchanged: n, refused: 0, missing: 0 }));
    const api = await ctx().userWith('coordinator', 'DNO');
    const { token } = await ctx().built.services.users.createToken({ user: api.user }, { name: 'Xuất' });
    const viaApi = await request(ctx().built.app)
      .get(`/api/v1/tthc/export.xlsx?provinceId=${provinceId}`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(binaryBody);
    expect(viaApi.status).to.equal(200);
    const other = await ctx().userWith('coordinator', 'LCA');
    const outside = await ctx().signIn(other.username, other.password);
    expect((await outside.get(`/tthc/export.xlsx?provinceId=${provinceId}`)).status).to.equal(404);
  });
});
