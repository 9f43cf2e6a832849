import { expect } from 'chai';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { forEachDatabase, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';
import { issueAll, khaiSinhContent } from '../fixtures/catalog.ts';
import { proceduresInForce } from '../../src/modules/documents/types/decisions.ts';
import type { DocumentGatherContext } from '../../src/plugins/contract.ts';

/** The 19 columns of the national TTHC database's export, in its order. */
const national = [
  'STT',
  'Mã TTHC',
  'Tên TTHC',
  'Link truy cập',
  'Số QĐ',
  'Ngày QĐ',
  'Cơ quan ban hành',
  'Lĩnh vực',
  'Cấp thực hiện',
  'Đối tượng',
  'Loại TTHC',
  'Từ khóa',
  'Địa chỉ tiếp nhận',
  'CQ thực hiện',
  'CQ có thẩm quyền',
  'CQ phối hợp',
  'CQ được ủy quyền',
  'Mô tả',
  'Trạng thái',
];

type Row = { code: string; name: string; field: string; level: string };
const line = (i: number, r: Row) => [
  i,
  r.code,
  r.name,
  `https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=${i}`,
  '1234/QĐ-UBND',
  '15/03/2025',
  'UBND tỉnh',
  r.field,
  r.level,
  'Công dân Việt Nam',
  'TTHC được luật giao quy định chi tiết',
  '',
  'Bộ phận Một cửa',
  'UBND cấp xã',
  'UBND cấp xã',
  '',
  '',
  '',
  'Đang áp dụng',
];

const rows: Row[] = [
  { code: '1.001193.000.00.00.H17', name: 'Đăng ký khai sinh', field: 'Hộ tịch', level: 'Cấp Xã' },
  { code: '1.000894', name: 'Đăng ký kết hôn', field: 'Hộ tịch', level: 'Cấp Tỉnh, Cấp Xã' },
  { code: '2.000815', name: 'Chứng thực bản sao từ bản chính', field: 'Chứng thực', level: 'Cấp Xã' },
  { code: '1.003583', name: 'Đăng ký khai tử', field: 'Hộ tịch', level: 'Cấp Xã' },
  { code: '', name: 'Xác nhận tình trạng nhà ở', field: 'Nhà ở', level: 'Cấp Xã' },
  { code: '', name: 'Cấp giấy xác nhận hộ nghèo', field: 'Bảo trợ xã hội', level: 'Cấp Xã' },
];

/** Channels sheet: every time-text shape of the published lists. */
const channels: Array<[string, string, string, string]> = [
  ['1.001193', 'Trực tiếp', 'Ngay trong ngày', 'Miễn lệ phí'],
  ['1.001193', 'Trực tuyến', 'Ngay trong ngày', 'Miễn lệ phí'],
  ['1.000894', 'Trực tiếp', '05 ngày làm việc', '50.000 đồng'],
  ['2.000815', 'Trực tiếp', '10 ngày làm việc đối với bản sao thông thường, 15 ngày làm việc đối với trường hợp phải xác minh', '2.000 đồng/trang'],
  ['1.003583', 'Trực tiếp', 'Theo quy định của pháp luật', 'Không'],
];

async function nationalWorkbook(opts: { rows?: Row[]; channels?: typeof channels } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('TTHC2-CAPXA');
  ws.addRow(['DANH MỤC THỦ TỤC HÀNH CHÍNH']);
  ws.addRow(['(Trích xuất từ Cơ sở dữ liệu quốc gia về TTHC)']);
  ws.addRow(national);
  (opts.rows ?? rows).forEach((r, i) => ws.addRow(line(i + 1, r)));
  const ch = wb.addWorksheet('Cách thức thực hiện');
  ch.addRow(['Mã TTHC', 'Hình thức nộp', 'Thời hạn giải quyết', 'Phí, lệ phí', 'Mô tả']);
  for (const c of opts.channels ?? channels) ch.addRow([...c, '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

forEachDatabase('province TTHC lists imported as published', (ctx) => {
  let coordinator: Agent;
  let csrf: string;
  let provinceId: number;
  const tthc = (code: string) => ctx().db('tthc').where({ province_id: provinceId, code }).first();
  const preview = (name: string, buffer: Buffer, fields: Record<string, string> = {}) => {
    let req = coordinator.post('/tthc/import').field('_csrf', csrf).field('provinceId', String(provinceId));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', buffer, name);
  };
  const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];
  /** The import as a coordinator does it: the preview, then "Áp dụng" (the preview when refused). */
  const upload = async (name: string, buffer: Buffer, fields: Record<string, string> = {}) => {
    const shown = await preview(name, buffer, fields);
    const token = tokenOf(shown.text);
    return token ? coordinator.post('/tthc/import/apply').type('form').send({ _csrf: csrf, token }) : shown;
  };

  before(async () => {
    await seedTree(ctx());
    provinceId = await ctx().unitId('DNO');
    const c = await ctx().userWith('coordinator', 'DNO');
    coordinator = await ctx().signIn(c.username, c.password);
    csrf = await csrfOfSignedIn(coordinator);
  });

  it('imports the national export: title rows, 19 columns, channels, several levels, portal codes and rows without a code', async () => {
    const res = await upload('TTHC2-CAPXA.xlsx', await nationalWorkbook());
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(viText('catalog.import.done', { created: 6, updated: 0, unchanged: 0 }));
    expect(res.text).to.contain('Link truy cập, Số QĐ, Ngày QĐ');
    const khaiSinh = await tthc('1.001193');
    expect(khaiSinh.time_text).to.equal('Ngay trong ngày');
    expect(Number(khaiSinh.legal_days)).to.equal(0);
    expect(Number(khaiSinh.fee_amount)).to.equal(0);
    const ketHon = await tthc('1.000894');
    expect(ketHon.levels).to.equal('province,commune');
    expect(ketHon.level).to.equal('province');
    expect(Number(ketHon.legal_days)).to.equal(5);
    expect(Number(ketHon.fee_amount)).to.equal(50000);
    const chungThuc = await tthc('2.000815');
    expect(Number(chungThuc.legal_days)).to.equal(10);
    expect(chungThuc.time_days).to.equal('10,15');
    const khaiTu = await tthc('1.003583');
    expect(khaiTu.legal_days).to.equal(null);
    const nhaO = await tthc('DNO-NO-001');
    expect(nhaO.name).to.equal('Xác nhận tình trạng nhà ở');
    expect(Boolean(nhaO.no_national_code)).to.equal(true);
    expect(await tthc('DNO-BTXH-001')).to.not.equal(undefined);
    expect(res.text).to.contain(escapeHtml(viText('v.tthc_local_code', { code: 'DNO-NO-001' })));

    const page = await coordinator.get(`/tthc/${khaiTu.id}`);
    expect(page.text).to.contain(escapeHtml(viText('catalog.tthc.time_unknown', { text: 'Theo quy định của pháp luật' })));
    const uncoded = await coordinator.get(`/tthc/${nhaO.id}`);
    expect(uncoded.text).to.contain(viText('catalog.tthc.no_national_code'));
    const list = await coordinator.get('/tthc?q=nha+o');
    expect(list.text).to.contain(viText('catalog.tthc.no_national_code'));
  });

  it('imports the same file again changing nothing, the local codes kept by name', async () => {
    const res = await upload('TTHC2-CAPXA.xlsx', await nationalWorkbook());
    expect(res.text).to.contain(viText('catalog.import.done', { created: 0, updated: 0, unchanged: 6 }));
    const n = await ctx().db('tthc').where({ province_id: provinceId }).count({ n: '*' }).first();
    expect(Number((n as { n: unknown }).n)).to.equal(6);
  });

  it('refuses a code not of the national form, naming the value, and writes nothing', async () => {
    const bad = [...rows, { code: 'HT-01', name: 'Thủ tục lạ', field: 'Hộ tịch', level: 'Cấp Xã' }];
    const res = await upload('sai-ma.xlsx', await nationalWorkbook({ rows: bad }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain(escapeHtml(viText('v.tthc_code_national', { value: 'HT-01' })));
    expect(await tthc('HT-01')).to.equal(undefined);
  });

  it('keeps values for empty cells on re-import unless asked to clear them, listing the changes field by field', async () => {
    const blankFees = channels.map(([code, ch, time]) => [code, ch, code === '1.000894' ? '07 ngày làm việc' : time, ''] as [string, string, string, string]);
    const res = await upload('lan-2.xlsx', await nationalWorkbook({ channels: blankFees }));
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(viText('catalog.import.done', { created: 0, updated: 1, unchanged: 5 }));
    expect(res.text).to.match(/05 ngày làm việc<\/td><td class="pre">07 ngày làm việc/);
    expect((await tthc('1.000894')).fees).to.equal('50.000 đồng');
    const cleared = await upload('lan-3.xlsx', await nationalWorkbook({ channels: blankFees }), { clearBlanks: '1' });
    expect(cleared.text).to.contain(viText('catalog.tthc.change_fields.fees'));
    expect((await tthc('1.000894')).fees).to.equal(null);
  });

  it('reads a CSV with a byte order mark and semicolons, and Excel Unicode text, with the same columns', async () => {
    const csv =
      '\uFEFFMã TTHC;Tên TTHC;Lĩnh vực;Cấp thực hiện;Thời hạn giải quyết;Phí, lệ phí\n1.001612;Cấp bản sao trích lục hộ tịch;Hộ tịch;Cấp Xã;Trong ngày;8.000 đồng/bản\n';
    const res = await upload('danh-muc.csv', Buffer.from(csv, 'utf8'));
    expect(res.status, res.text.slice(0, 300)).to.equal(200);
    expect(Number((await tthc('1.001612')).fee_amount)).to.equal(8000);
    const tsv =
      'Mã TTHC\tTên TTHC\tLĩnh vực\tCấp thực hiện\tThời hạn giải quyết\r\n2.000635\tCấp bản sao Trích lục hộ tịch\tHộ tịch\tCấp Tỉnh\t03 ngày làm việc\r\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]);
    const res2 = await upload('danh-muc.txt', utf16);
    expect(res2.status).to.equal(200);
    const t = await tthc('2.000635');
    expect(t.level).to.equal('province');
    expect(Number(t.legal_days)).to.equal(3);
  });

  it('flags names met twice, in the file or in the list, without refusing them', async () => {
    const twins = [
      { code: '1.009001', name: 'Đăng ký khai sinh!', field: 'Hộ tịch', level: 'Cấp Xã' },
      { code: '1.009002', name: 'đăng ký  khai sinh', field: 'Hộ tịch', level: 'Cấp Xã' },
    ];
    const res = await upload('trung-ten.xlsx', await nationalWorkbook({ rows: twins, channels: [] }));
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(escapeHtml(viText('v.tthc_same_name_list', { code: '1.001193' })));
    expect(res.text).to.contain(escapeHtml(viText('v.tthc_same_name_row', { row: 4 })));
  });

  it('says on the procedure that its steps cannot be checked against an unreadable time limit, and prints no code for an uncoded TTHC', async () => {
    const unitId = await ctx().unitId('DNO-CJ-ND');
    const o = await ctx().userWith('officer', 'DNO-CJ-ND');
    const l = await ctx().userWith('leader', 'DNO-CJ-ND');
    const officer = await ctx().signIn(o.username, o.password);
    const catalog = ctx().built.services.catalog;
    const khaiTu = await tthc('1.003583');
    const p = await catalog.procedures.create(
      { user: o.user },
      unitId,
      khaiSinhContent(Number(khaiTu.id), { code: 'QT-05/ND-HT', title: 'Quy trình đăng ký khai tử' }),
    );
    const page = await officer.get(`/procedures/${p.id}`);
    expect(page.text).to.contain(escapeHtml(viText('catalog.checks.time_unknown', { text: 'Theo quy định của pháp luật' })));

    const nhaO = await tthc('DNO-NO-001');
    const q = await catalog.procedures.create(
      { user: o.user },
      unitId,
      khaiSinhContent(Number(nhaO.id), { code: 'QT-06/ND-NO', title: 'Quy trình xác nhận nhà ở' }),
    );
    await issueAll(ctx(), q.id, { user: o.user }, { user: l.user });
    const unit = { id: unitId } as DocumentGatherContext['unit'];
    const annex = await proceduresInForce({ db: ctx().db, unit } as DocumentGatherContext);
    expect(annex.find((r) => r.code === 'QT-06/ND-NO')?.tthcCode).to.equal(null);
  });

  it('imports through the API, answering the changes and the problems as JSON', async () => {
    const c = await ctx().userWith('coordinator', 'DNO');
    const { token } = await ctx().built.services.users.createToken({ user: c.user }, { name: 'Kiểm thử' });
    const send = (buffer: Buffer, fields: Record<string, string> = {}) => {
      let req = request(ctx().built.app).post('/api/v1/tthc/import').set('Authorization', `Bearer ${token}`).field('provinceId', String(provinceId));
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('file', buffer, 'TTHC2-CAPXA.xlsx');
    };
    const changed = channels.map(
      ([code, ch, time, fee]) => [code, ch, code === '1.001193' ? '01 ngày làm việc' : time, fee] as [string, string, string, string],
    );
    const res = await send(await nationalWorkbook({ channels: changed }));
    expect(res.status).to.equal(200);
    const change = (
      res.body as { data: { changes: Array<{ code: string; fields: Array<{ field: string; before: string; after: string }> }> } }
    ).data.changes.find((x) => x.code === '1.001193');
    expect(change?.fields).to.deep.include({ field: 'timeText', before: 'Ngay trong ngày', after: '01 ngày làm việc' });
    expect(change?.fields).to.deep.include({ field: 'legalDays', before: '0', after: '1' });
    const bad = await send(await nationalWorkbook({ rows: [{ code: '1.00119', name: 'Mã thiếu số', field: 'Hộ tịch', level: 'Cấp Xã' }], channels: [] }));
    expect(bad.status).to.equal(422);
    expect((bad.body as { error: { code: string; problems: Array<{ row: number; key: string; params: { value: string } }> } }).error).to.deep.include({
      code: 'IMPORT_ROWS',
    });
    expect((bad.body as { error: { problems: Array<{ row: number; key: string }> } }).error.problems[0]).to.deep.include({
      row: 4,
      key: 'v.tthc_code_national',
    });
  });
});
