import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { csrfOf, forEachDatabase, testPassword, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';
import { rawXlsx, sheetXml, withDeclaredSize } from '../fixtures/xlsx-raw.ts';
import { officialsSheet } from '../../src/modules/inspections/officials.service.ts';
import { figureSheet } from '../../src/modules/ontime/ontime.excel.ts';
import { tthcSheet } from '../../src/modules/catalog/excel.sheets.ts';

const mb = 1024 * 1024;
const headersOf = (def: { columns: Array<{ header: string; info?: boolean }> }) => def.columns.filter((c) => !c.info).map((c) => c.header);

/** The unit's staff list as its own export has it, with one value someone typed into A1048576. */
async function sparseStaffList(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(officialsSheet.name);
  ws.addRow(headersOf(officialsSheet));
  ws.addRow(['Nguyễn Văn Bình', 'Công chức Văn phòng - Thống kê', 'Văn phòng', 'T-01']);
  ws.addRow(['Trần Thị Cúc', 'Công chức Tư pháp - Hộ tịch', 'Tư pháp', 'T-02']);
  ws.getCell('A1048576').value = 'x';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Runs a request while watching the event loop: the answer, its longest block and the RSS growth. */
async function watched(send: () => Promise<request.Response>): Promise<{ res: request.Response; blockMs: number; rssGrowthMb: number }> {
  const rss = process.memoryUsage().rss;
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const res = await send();
  h.disable();
  return { res, blockMs: h.max / 1e6, rssGrowthMb: (process.memoryUsage().rss - rss) / mb };
}

forEachDatabase(
  'Excel imports within limits',
  (ctx) => {
    let officer: Agent;
    let coordinator: Agent;
    const tokens = new Map<Agent, string>();
    let unitId: number;
    let provinceId: number;
    const count = async (table: string) => Number(((await ctx().db(table).count({ n: '*' }).first()) as { n: unknown }).n);
    const upload = (agent: Agent, url: string, buffer: Buffer, fields: Record<string, string> = {}) => {
      let req = agent.post(url).field('_csrf', tokens.get(agent) as string);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('file', buffer, 'tep.xlsx');
    };

    before(async () => {
      await seedTree(ctx());
      unitId = await ctx().unitId('DNO-CJ-ND');
      provinceId = await ctx().unitId('DNO');
      const o = await ctx().userWith('officer', 'DNO-CJ-ND');
      officer = await ctx().signIn(o.username, o.password);
      const c = await ctx().userWith('coordinator', 'DNO');
      coordinator = await ctx().signIn(c.username, c.password);
      for (const a of [officer, coordinator]) tokens.set(a, await csrfOfSignedIn(a));
    });

    it('refuses at once a staff list with a stray value in A1048576, naming the limit, while the app keeps answering', async () => {
      const file = await sparseStaffList();
      expect(file.length).to.be.below(20 * 1024);
      const { res, blockMs, rssGrowthMb } = await watched(() => upload(officer, `/units/${unitId}/officials/import`, file));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(
        escapeHtml(viText('errors.IMPORT_DIMENSION', { sheet: officialsSheet.name, ref: 'A1:D1048576', rows: 100_000, columns: 100 })),
      );
      expect(res.text.length).to.be.below(100 * 1024);
      expect(blockMs).to.be.below(150);
      expect(rssGrowthMb).to.be.below(300);
      expect(await count('unit_officials')).to.equal(0);
    });

    it('refuses on-time figures whose sheet unpacks far beyond the limit, even when the file lies about its size', async () => {
      const bomb = rawXlsx(figureSheet.name, sheetXml([headersOf(figureSheet)], { padding: 48 * mb }));
      expect(bomb.length).to.be.below(100 * 1024);
      for (const file of [bomb, withDeclaredSize(bomb, 'xl/worksheets/sheet1.xml', 2048)]) {
        const { res, blockMs, rssGrowthMb } = await watched(() => upload(coordinator, '/on-time/import', file));
        expect(res.status).to.equal(422);
        expect(res.text).to.contain(escapeHtml(viText('errors.IMPORT_TOO_BIG', { max: '32 MB' })));
        expect(blockMs).to.be.below(150);
        expect(rssGrowthMb).to.be.below(300);
      }
      expect(await count('on_time_figures')).to.equal(0);
    });

    it('refuses a TTHC list of 100,000 rows with the row limit named, in a small page', async () => {
      const rows = Array.from({ length: 100_000 }, (_, i) => [`1.${String(i).padStart(6, '0')}`, `Thủ tục ${i}`]);
      const file = rawXlsx(tthcSheet.name, sheetXml([headersOf(tthcSheet), ...rows]), 6);
      const { res, blockMs } = await watched(() => upload(coordinator, '/tthc/import', file, { provinceId: String(provinceId) }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(escapeHtml(viText('errors.IMPORT_TOO_MANY_ROWS', { sheet: tthcSheet.name, max: 5000 })));
      expect(res.text.length).to.be.below(100 * 1024);
      expect(blockMs).to.be.below(150);
      expect(await count('tthc')).to.equal(0);
    });

    it('lists the first 200 problems of a staff list with 3,000 bad rows and counts the rest, in a small page', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(officialsSheet.name);
      ws.addRow(headersOf(officialsSheet));
      for (let i = 0; i < 3000; i++) ws.addRow([`Cán bộ số ${i}`, '', 'Văn phòng', '']);
      const res = await upload(officer, `/units/${unitId}/officials/import`, Buffer.from(await wb.xlsx.writeBuffer()));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(escapeHtml(viText('errors.IMPORT_ROWS', { count: 3000 })));
      expect(res.text).to.contain(escapeHtml(viText('v.import_more', { n: 2800 })));
      expect(res.text.length).to.be.below(150 * 1024);
      expect(await count('unit_officials')).to.equal(0);
    });

    it('refuses as damaged a file named .xlsx that is not a workbook', async () => {
      const { zipSync, strToU8 } = await import('fflate');
      for (const file of [Buffer.from(zipSync({ 'word/document.xml': strToU8('<w:document/>') })), Buffer.from('Họ và tên;Chức vụ\nA;B\n')]) {
        const res = await upload(officer, `/units/${unitId}/officials/import`, file);
        expect(res.status).to.equal(422);
        expect(res.text).to.contain(escapeHtml(viText('errors.IMPORT_CORRUPT')));
      }
    });

    describe('on a listening server', () => {
      let server: Server;
      let base: string;
      before(async () => {
        server = ctx().built.app.listen(0, '127.0.0.1');
        await new Promise<void>((r) => server.once('listening', () => r()));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      });
      after(() => new Promise<void>((r) => server.close(() => r())));

      it('keeps /healthz answering, never stalled for seconds, while eight sparse staff lists are uploaded at once', async () => {
        const o = await ctx().userWith('officer', 'DNO-CJ-ND');
        const agent = request.agent(base);
        const login = await agent.get('/login');
        expect(
          (
            await agent
              .post('/login')
              .type('form')
              .send({ username: o.username, password: testPassword, _csrf: csrfOf(login.text) })
          ).status,
        ).to.equal(302);
        const token = csrfOf((await agent.get('/account')).text);
        const file = await sparseStaffList();
        const rss = process.memoryUsage().rss;
        let done = false;
        const uploads = Promise.all(
          Array.from({ length: 8 }, () => agent.post(`/units/${unitId}/officials/import`).field('_csrf', token).attach('file', file, 'ds.xlsx')),
        );
        void uploads.finally(() => {
          done = true;
        });
        let slowest = 0;
        let probes = 0;
        while (!done || probes < 3) {
          const t0 = performance.now();
          const h = await fetch(`${base}/healthz`);
          await h.text();
          expect(h.status).to.equal(200);
          slowest = Math.max(slowest, performance.now() - t0);
          probes++;
          await new Promise((r) => setTimeout(r, 20));
        }
        const answers = await uploads;
        expect(answers.map((a) => a.status)).to.deep.equal(Array(8).fill(422));
        // A stall detector, not a speed bound: a sheet read on the event loop stops every answer for
        // seconds, while a loaded CI machine alone delays one by a few hundred milliseconds.
        expect(slowest).to.be.below(2000);
        expect((process.memoryUsage().rss - rss) / mb).to.be.below(400);
      });
    });
  },
  { EXCEL_MAX_INFLATED_MB: '32', EXCEL_MAX_ROWS: '5000' },
);
