import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';
import { binaryBody, seedTthc } from '../fixtures/catalog.ts';
import { procedureSheets, tthcSheet, type SheetDef } from '../../src/modules/catalog/excel.sheets.ts';

type Rows = Array<Array<string | number>>;

/** A workbook laid out like the templates: one sheet per definition, headers then rows. */
async function workbook(sheets: Array<{ def: SheetDef; rows: Rows; headers?: string[] }>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.def.name);
    ws.addRow(s.headers ?? s.def.columns.filter((c) => !c.info).map((c) => c.header));
    for (const r of s.rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const [procSheet, stepSheet, formSheet, recordSheet] = procedureSheets as [SheetDef, SheetDef, SheetDef, SheetDef];

const tthcRows: Rows = [
  ['1.003583', 'Đăng ký khai tử', 'Hộ tịch', 'Cấp xã', 2, 'Miễn lệ phí', '- Luật Hộ tịch năm 2014', 'Toàn trình'],
  ['2.000908', 'Chứng thực chữ ký trong các giấy tờ, văn bản', 'Chứng thực', 'Cấp xã', 1, '10.000 đồng/trường hợp', '', 'Một phần'],
];

forEachDatabase(
  'catalog Excel import and export',
  (ctx) => {
    let coordinator: Agent;
    let officer: Agent;
    let officerActor: Actor;
    let unitId: number;
    let provinceId: number;
    const tokens = new Map<Agent, string>();
    const count = async (table: string) => Number(((await ctx().db(table).count({ n: '*' }).first()) as { n: unknown }).n);

    before(async () => {
      await seedTree(ctx());
      await seedTthc(ctx());
      unitId = await ctx().unitId('DNO-CJ-ND');
      provinceId = await ctx().unitId('DNO');
      const c = await ctx().userWith('coordinator', 'DNO');
      coordinator = await ctx().signIn(c.username, c.password);
      const o = await ctx().userWith('officer', 'DNO-CJ-ND');
      officerActor = { user: o.user };
      officer = await ctx().signIn(o.username, o.password);
      for (const a of [coordinator, officer]) tokens.set(a, await csrfOfSignedIn(a));
    });

    const upload = (agent: Agent, url: string, name: string, buffer: Buffer, fields: Record<string, string> = {}) => {
      let req = agent.post(url).field('_csrf', tokens.get(agent) as string);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('file', buffer, name);
    };
    /** The TTHC import as a coordinator does it: the preview, then "Áp dụng". */
    const importTthc = async (buffer: Buffer) => {
      const preview = await upload(coordinator, '/tthc/import', 'tthc.xlsx', buffer, { provinceId: String(provinceId) });
      const token = /name="token" value="([^"]+)"/.exec(preview.text)?.[1];
      if (!token) return preview;
      return coordinator
        .post('/tthc/import/apply')
        .type('form')
        .send({ _csrf: tokens.get(coordinator) as string, token });
    };

    it('imports a TTHC list, and importing the same file again changes nothing', async () => {
      const file = await workbook([{ def: tthcSheet, rows: tthcRows }]);
      const first = await importTthc(file);
      expect(first.status).to.equal(200);
      expect(first.text).to.contain(viText('catalog.import.done', { created: 2, updated: 0, unchanged: 0 }));
      const row = await ctx().db('tthc').where({ province_id: provinceId, code: '2.000908' }).first();
      expect(row.name).to.equal('Chứng thực chữ ký trong các giấy tờ, văn bản');
      expect(row.online_level).to.equal('partial');
      const audits = await count('audit_log');
      const again = await importTthc(file);
      expect(again.text).to.contain(viText('catalog.import.done', { created: 0, updated: 0, unchanged: 2 }));
      expect(await count('audit_log')).to.equal(audits);
    });

    it('refuses a TTHC file with bad rows as a whole, listing sheet, row, column and problem', async () => {
      const before = await count('tthc');
      const file = await workbook([
        {
          def: tthcSheet,
          rows: [
            ['1.009999', 'Thủ tục mới hợp lệ', 'Hộ tịch', 'Cấp xã', 3, '', '', 'Không'],
            ['1.008888', 'Thời hạn âm', 'Hộ tịch', 'Cấp xã', -1, '', '', 'Không'],
            ['1.007777', 'Cấp lạ', 'Hộ tịch', 'Cấp huyện', 'ba ngày', '', '', 'Không'],
            ['1.009999', 'Trùng mã', 'Hộ tịch', 'Cấp xã', 3, '', '', 'Không'],
          ],
        },
      ]);
      const res = await upload(coordinator, '/tthc/import', 'tthc.xlsx', file, { provinceId: String(provinceId) });
      expect(res.status).to.equal(422);
      const report = [
        ...res.text.matchAll(/<tr><td class="num">(\d+)<\/td><td>[^<]*<\/td><td>([^<]*)<\/td><td class="pre">[^<]*<\/td><td>([^<]*)<\/td><\/tr>/g),
      ].map((m) => ['TTHC', Number(m[1]), m[2], m[3]]);
      expect(report).to.deep.include(['TTHC', 3, 'E · Thời hạn giải quyết (ngày làm việc)', escapeHtml(viText('v.days_negative'))]);
      expect(report).to.deep.include(['TTHC', 4, 'D · Cấp thực hiện', escapeHtml(viText('v.level_unknown'))]);
      expect(report).to.deep.include(['TTHC', 5, 'A · Mã TTHC', escapeHtml(viText('v.duplicate_code', { code: '1.009999' }))]);
      expect(await count('tthc')).to.equal(before);
    });

    it('refuses a file that is not .xlsx, is corrupt, is empty, has wrong headers or is too large, changing nothing', async () => {
      const before = await count('tthc');
      const send = (name: string, buf: Buffer) => upload(coordinator, '/tthc/import', name, buf, { provinceId: String(provinceId) });
      const cases: Array<[string, Buffer, number, string]> = [
        ['danh-muc.ods', Buffer.from('Mã TTHC;Tên\n1.001;x\n'), 415, viText('errors.IMPORT_NOT_TABLE')],
        ['cu.csv', Buffer.from('Mã TTHC;Tên TTHC;Lĩnh vực;Cấp thực hiện\n1.001612;\xe9\n', 'latin1'), 422, viText('errors.IMPORT_ENCODING')],
        ['hong.xlsx', Buffer.from('day khong phai la tep excel'), 422, viText('errors.IMPORT_CORRUPT')],
        ['rong.xlsx', Buffer.alloc(0), 422, viText('errors.IMPORT_EMPTY')],
        ['khong-dong.xlsx', await workbook([{ def: tthcSheet, rows: [] }]), 422, viText('errors.IMPORT_EMPTY')],
        ['sai-cot.xlsx', await workbook([{ def: tthcSheet, rows: tthcRows, headers: ['Mã', 'Tên thủ tục hành chính'] }]), 422, 'Mã TTHC'],
        ['qua-lon.xlsx', Buffer.alloc(80 * 1024, 1), 413, viText('errors.UPLOAD_TOO_LARGE', { size: '64 KB' })],
      ];
      for (const [name, buf, status, message] of cases) {
        const res = await send(name, buf);
        expect(res.status, name).to.equal(status);
        expect(res.text, name).to.contain(escapeHtml(message));
      }
      expect(await count('tthc')).to.equal(before);
    });

    it('imports procedures with their steps, forms and records, then exports them back readable by exceljs', async () => {
      const file = await workbook([
        {
          def: procSheet,
          rows: [
            ['QT-10/ND-HT', 'Quy trình đăng ký khai sinh', 'Quy trình giải quyết TTHC', '1.001193', 'Mục đích', '', '', '', ''],
            ['QT-11/ND', '=HYPERLINK("http://vi-du.vn","bấm")', 'Đánh giá nội bộ', '', '+84 912 345 678', '-Phạm vi toàn UBND', '@SUM(A1)', '', ''],
          ],
        },
        {
          def: stepSheet,
          rows: [
            ['QT-10/ND-HT', 2, 'Thẩm định', 'Công chức Tư pháp', 2, 'Tờ trình'],
            ['QT-10/ND-HT', 1, 'Tiếp nhận', 'Một cửa', 0.5, 'Phiếu hẹn'],
            ['QT-11/ND', 1, '=1+1', 'Thư ký ISO', 1, ''],
          ],
        },
        { def: formSheet, rows: [['QT-10/ND-HT', 1, 'BM-01', 'Tờ khai đăng ký khai sinh']] },
        { def: recordSheet, rows: [['QT-10/ND-HT', 1, 'Hồ sơ khai sinh', 'Tư pháp', 'Vĩnh viễn']] },
      ]);
      const res = await upload(officer, `/units/${unitId}/catalog/import`, 'quy-trinh.xlsx', file);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain(viText('catalog.import.done', { created: 2, updated: 0, unchanged: 0 }));
      const same = await upload(officer, `/units/${unitId}/catalog/import`, 'quy-trinh.xlsx', file);
      expect(same.text).to.contain(viText('catalog.import.done', { created: 0, updated: 0, unchanged: 2 }));
      const p = (await ctx().built.services.catalog.procedures.list(officerActor, { q: 'QT-10/ND-HT' }, { unitId })).items[0]!;
      const { head } = await ctx().built.services.catalog.procedures.details(officerActor, p.id);
      expect(head.steps.map((s) => s.action)).to.deep.equal(['Tiếp nhận', 'Thẩm định']);

      const exported = await officer.get(`/units/${unitId}/catalog/export.xlsx`).buffer(true).parse(binaryBody);
      expect(exported.status).to.equal(200);
      expect(exported.headers['content-type']).to.contain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(exported.body as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).to.deep.equal(['Quy trình', 'Các bước', 'Biểu mẫu', 'Hồ sơ']);
      const procs = wb.getWorksheet('Quy trình')!;
      const byCode = new Map<string, ExcelJS.Row>();
      procs.eachRow((row, n) => {
        if (n > 1) byCode.set(String(row.getCell(1).value), row);
      });
      const risky = byCode.get('QT-11/ND')!;
      for (const [col, text] of [
        [2, '=HYPERLINK("http://vi-du.vn","bấm")'],
        [5, '+84 912 345 678'],
        [6, '-Phạm vi toàn UBND'],
        [7, '@SUM(A1)'],
      ] as const) {
        expect(risky.getCell(col).type, text).to.not.equal(ExcelJS.ValueType.Formula);
        expect(risky.getCell(col).value, text).to.equal(`'${text}`);
      }
      const steps: string[] = [];
      wb.getWorksheet('Các bước')!.eachRow((row, n) => {
        if (n > 1) steps.push(`${row.getCell(1).value}|${row.getCell(2).value}|${row.getCell(3).value}|${row.getCell(5).value}`);
      });
      expect(steps).to.deep.equal(['QT-10/ND-HT|1|Tiếp nhận|0.5', 'QT-10/ND-HT|2|Thẩm định|2', "QT-11/ND|1|'=1+1|1"]);

      // The export imports back unchanged, formulas and all: nothing is created, updated or run.
      const again = await upload(officer, `/units/${unitId}/catalog/import`, 'xuat.xlsx', exported.body as Buffer);
      expect(again.status).to.equal(200);
      expect(again.text).to.contain(viText('catalog.import.done', { created: 0, updated: 0, unchanged: 2 }));
      const risky2 = (await ctx().built.services.catalog.procedures.list(officerActor, { q: 'QT-11/ND' }, { unitId })).items[0]!;
      expect(risky2.title).to.equal('=HYPERLINK("http://vi-du.vn","bấm")');
    });

    it('imports a change to an issued procedure as its next draft revision, leaving the one in force', async () => {
      const c = ctx().built.services.catalog;
      const leader = { user: (await ctx().userWith('leader', 'DNO-CJ-ND')).user };
      const p = (await c.procedures.list(officerActor, { q: 'QT-10/ND-HT' }, { unitId })).items[0]!;
      for (const step of [
        () => c.lifecycle.submit(officerActor, p.id),
        () => c.lifecycle.review(officerActor, p.id),
        () => c.lifecycle.approve(leader, p.id),
        () => c.lifecycle.issue(officerActor, p.id),
      ])
        await step();
      const file = await workbook([
        { def: procSheet, rows: [['QT-10/ND-HT', 'Quy trình đăng ký khai sinh', 'Quy trình giải quyết TTHC', '1.001193', 'Mục đích', '', '', '', '']] },
        {
          def: stepSheet,
          rows: [
            ['QT-10/ND-HT', 1, 'Tiếp nhận', 'Một cửa', 0.5, 'Phiếu hẹn'],
            ['QT-10/ND-HT', 2, 'Thẩm định', 'Công chức Tư pháp', 1, 'Tờ trình'],
          ],
        },
        { def: formSheet, rows: [['QT-10/ND-HT', 1, 'BM-01', 'Tờ khai đăng ký khai sinh']] },
        { def: recordSheet, rows: [['QT-10/ND-HT', 1, 'Hồ sơ khai sinh', 'Tư pháp', 'Vĩnh viễn']] },
      ]);
      const res = await upload(officer, `/units/${unitId}/catalog/import`, 'sua.xlsx', file);
      expect(res.text).to.contain(viText('catalog.import.done', { created: 0, updated: 1, unchanged: 0 }));
      const d = await c.procedures.details(officerActor, p.id);
      expect([d.procedure.status, d.procedure.revisionNo, d.head.revisionNo, d.head.status]).to.deep.equal(['issued', 1, 2, 'draft']);
      expect([d.head.changeSummary, d.head.totalDays]).to.deep.equal(['Cập nhật từ tệp Excel', 1.5]);
    });

    it('refuses a procedures file with bad rows as a whole, naming each problem', async () => {
      const before = await count('procedures');
      const file = await workbook([
        {
          def: procSheet,
          rows: [
            ['QT-20/ND', 'Quy trình mới', 'Quy trình giải quyết TTHC', '9.999999', '', '', '', '', ''],
            ['QT-21/ND', '', 'Loại lạ', '', '', '', '', '', ''],
          ],
        },
        {
          def: stepSheet,
          rows: [
            ['QT-20/ND', 1, 'Tiếp nhận', 'Một cửa', 'nửa ngày', ''],
            ['QT-99/ND', 1, 'Bước của quy trình không có', 'A', 1, ''],
          ],
        },
        { def: formSheet, rows: [] },
        { def: recordSheet, rows: [] },
      ]);
      const res = await upload(officer, `/units/${unitId}/catalog/import`, 'quy-trinh.xlsx', file);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(escapeHtml(viText('errors.IMPORT_ROWS', { count: 5 })));
      for (const problem of [
        viText('v.tthc_unknown', { code: '9.999999' }),
        viText('v.days_number'),
        viText('v.procedure_unknown', { code: 'QT-99/ND' }),
        viText('v.kind_unknown'),
        viText('v.required'),
      ]) {
        expect(res.text).to.contain(escapeHtml(problem));
      }
      expect(await count('procedures')).to.equal(before);
    });

    it('downloads the import templates with the expected sheets', async () => {
      for (const [url, sheets] of [
        ['/catalog/import-template.xlsx', ['Quy trình', 'Các bước', 'Biểu mẫu', 'Hồ sơ', 'Hướng dẫn']],
        ['/tthc/import-template.xlsx', ['TTHC', 'Hướng dẫn']],
      ] as const) {
        const res = await officer.get(url).buffer(true).parse(binaryBody);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.body as ArrayBuffer);
        expect(wb.worksheets.map((w) => w.name)).to.deep.equal(sheets);
      }
    });
  },
  { CATALOG_UPLOAD_MAX_KB: '64' },
);
