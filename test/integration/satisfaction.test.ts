import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { forEachDatabase, makeAgent, csrfOf, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { escapeHtml, viText } from '../fixtures/http.ts';
import { adoptedTthc, allRated, buildSipasApp } from '../fixtures/sipas-setup.ts';
import { signInCast, type CastRole, type Member } from '../fixtures/cast.ts';
import type { BuiltApp } from '../../src/app.ts';
import * as tallies from '../../migrations/20261207000463_survey_answer_tallies.ts';

const vi = (key: string, params?: Record<string, string | number>) => escapeHtml(viText(key, params));

forEachDatabase(
  'public page and satisfaction survey',
  (ctx) => {
    let built: BuiltApp;
    let nd: number;
    let tthcId: number;
    let cast: Record<CastRole, Member>;
    const count = async (table: string) => Number(((await ctx().db(table).first(ctx().db.raw('count(*) as n'))) as { n: unknown }).n);

    /** A citizen's browser: opens the survey (getting the CSRF cookie and token) and sends it. */
    async function citizen(): Promise<{ agent: Agent; token: string }> {
      const agent = makeAgent(built);
      const page = await agent.get('/cong-khai/DNO-CJ-ND/khao-sat');
      expect(page.status).to.equal(200);
      return { agent, token: csrfOf(page.text) };
    }
    async function answer(fields: Record<string, string>) {
      const { agent, token } = await citizen();
      return agent
        .post('/cong-khai/DNO-CJ-ND/khao-sat')
        .type('form')
        .send({ ...fields, _csrf: token })
        .redirects(0);
    }

    before(async function () {
      this.timeout(60_000);
      await seedTree(ctx());
      built = buildSipasApp(ctx());
      cast = await signInCast(ctx(), 'sat');
      nd = await ctx().unitId('DNO-CJ-ND');
      ctx().clock.set('2026-11-10T03:00:00Z');
      tthcId = await adoptedTthc(ctx(), 'DNO-CJ-ND', 'DNO', { code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch', days: 5, fees: '8.000 đồng' });
      await adoptedTthc(ctx(), 'DNO-CJ-ND', 'DNO', { code: '1.000656', name: 'Chứng thực bản sao từ bản chính', field: 'Chứng thực', days: 1, fees: null });
      await ctx()
        .db('units')
        .where('id', nd)
        .update({ iso_state: 'declared', iso_standard: '2015', iso_declared_on: '2026-01-15', iso_declaration_number: '12/QĐ-UBND' });
      const at = '2026-10-02T01:00:00.000Z';
      await ctx().db('on_time_figures').insert({
        unit_id: nd,
        period_start: '2026-07-01',
        period_end: '2026-09-30',
        received: 454,
        early: 406,
        on_time: 30,
        late: 18,
        apologies: 18,
        source: 'form',
        created_at: at,
        updated_at: at,
      });
    });

    describe("a unit's public page", () => {
      it('shows anyone the ISO declaration, the TTHC by field with time and fee, and last quarter’s on-time rate', async () => {
        const res = await makeAgent(built).get('/cong-khai/DNO-CJ-ND');
        expect(res.status).to.equal(200);
        expect(res.text).to.include('Xã Nam Dong');
        expect(res.text).to.include(vi('sipas.public.decision', { number: '12/QĐ-UBND' }));
        expect(res.text).to.include(vi('sipas.public.since', { date: '15/01/2026' }));
        expect(res.text).to.include('<h3>Hộ tịch</h3>');
        expect(res.text).to.include('Đăng ký khai sinh');
        expect(res.text).to.include(vi('sipas.public.days', { n: 5 }));
        expect(res.text).to.include('8.000 đồng');
        expect(res.text).to.include(vi('sipas.public.figures', { quarter: 'Quý 3/2026' }));
        // (406 + 30) / 454 = 96.0%
        expect(res.text).to.include('96%');
        expect(res.text).to.include(vi('sipas.public.no_answers'));
      });

      it('never shows a person’s name, nor anything of checks, findings or inspections', async () => {
        const res = await makeAgent(built).get('/cong-khai/DNO-CJ-ND');
        for (const m of Object.values(cast)) expect(res.text).to.not.include(`Người dùng ${m.username}`);
        expect(res.text).to.not.match(/href="\/(checks|findings|inspections|actions)/);
        expect(res.text).to.not.include(viText('checks.nav'));
      });

      it('answers 404 for an unknown unit and for a unit merged away', async () => {
        expect((await makeAgent(built).get('/cong-khai/KHONG-CO')).status).to.equal(404);
        await ctx().db('units').where('code', 'DNO-CJ-ET').update({ merged_into_id: nd, active_to: '2025-07-01' });
        expect((await makeAgent(built).get('/cong-khai/DNO-CJ-ET')).status).to.equal(404);
        expect((await makeAgent(built).get('/cong-khai/DNO-CJ-ET/khao-sat')).status).to.equal(404);
      });
    });

    describe('answering the survey', () => {
      it('offers the unit’s TTHC, the five aspects and the "Không ý kiến" answer, without signing in', async () => {
        const res = await makeAgent(built).get('/cong-khai/DNO-CJ-ND/khao-sat');
        expect(res.status).to.equal(200);
        expect(res.text).to.include('Đăng ký khai sinh');
        for (const a of ['access', 'procedure', 'officials', 'result', 'feedback']) expect(res.text).to.include(`id="aspect-${a}"`);
        expect(res.text).to.include('Không ý kiến');
        expect(res.text).to.include('Rất hài lòng');
      });

      it('refuses a form sent without its CSRF token (403), storing nothing', async () => {
        const res = await makeAgent(built).post('/cong-khai/DNO-CJ-ND/khao-sat').type('form').send(allRated('5')).redirects(0);
        expect(res.status).to.equal(403);
        expect(await count('survey_answers')).to.equal(0);
      });

      it('shows the form again (422) when a required answer is missing, keeping what was chosen', async () => {
        const fields = allRated('4', { a_courteous: '', a_channel: 'online', dossierCode: 'H01.2026.000123', comment: 'Nhanh gọn' });
        const res = await answer(fields);
        expect(res.status).to.equal(422);
        expect(res.text).to.include(vi('sipas.v.answer_required'));
        expect(res.text).to.match(/name="a_guidance" value="4" checked/);
        expect(res.text).to.match(/name="a_channel" value="online" checked/);
        expect(res.text).to.include('value="H01.2026.000123"');
        expect(res.text).to.include('Nhanh gọn');
        expect(await count('survey_answers')).to.equal(0);
      });

      it('refuses a point off the scale, an unknown choice, a TTHC not of the unit and a phone without consent', async () => {
        const res = await answer(allRated('5', { a_courteous: '7', a_channel: 'fax', tthcId: '999999', phone: '0912345678' }));
        expect(res.status).to.equal(422);
        expect(res.text).to.include(vi('sipas.v.answer_invalid'));
        expect(res.text).to.include(vi('sipas.v.tthc_unknown'));
        expect(res.text).to.include(vi('sipas.v.consent_needed'));
        const bad = await answer(allRated('5', { phone: '12ab', dossierCode: '<x>' }));
        expect(bad.status).to.equal(422);
        expect(bad.text).to.include(vi('sipas.v.phone'));
        expect(bad.text).to.include(vi('sipas.v.dossier_code'));
      });

      it('stores a full answer and thanks the citizen; the phone, given with consent, is kept apart; no address is stored', async () => {
        const res = await answer(
          allRated('5', {
            tthcId: String(tthcId),
            dossierCode: 'h01.2026.000123',
            a_channel: 'counter',
            comment: 'Cán bộ tận tình',
            phone: '0912 345 678',
            consent: 'yes',
          }),
        );
        expect(res.status).to.equal(303);
        expect(res.headers.location).to.equal('/cong-khai/DNO-CJ-ND/khao-sat/cam-on');
        const thanks = await makeAgent(built).get(res.headers.location as string);
        expect(thanks.status).to.equal(200);
        expect(thanks.text).to.include(vi('sipas.thanks.title'));
        const row = (await ctx().db('survey_answers').first()) as Record<string, unknown>;
        expect(row).to.include({ dossier_code: 'H01.2026.000123', form_id: 'sipas-survey', form_version: 1, comment: 'Cán bộ tận tình' });
        expect(JSON.parse(String(row.definition))).to.have.property('id', 'sipas-survey');
        // Its own tally, kept for the figures read over many units: eleven "5", all satisfied.
        expect([row.rated, row.satisfied, row.points].map(Number)).to.deep.equal([11, 11, 55]);
        expect(await ctx().db('survey_callbacks').pluck('phone')).to.deep.equal(['0912345678']);
        const hashes = (await ctx().db('survey_hits').pluck('client_hash')) as string[];
        expect(hashes[0]).to.match(/^[0-9a-f]{64}$/);
        const everything =
          JSON.stringify(await ctx().db('survey_answers').select()) + JSON.stringify(await ctx().db('audit_log').where('entity', 'survey_answer').select());
        expect(everything).to.not.include('127.0.0.1');
        expect(everything).to.not.include('0912345678');
        // The log tells the administrator an answer came in, by no one in particular.
        const log = await cast.admin.agent.get('/audit');
        expect(log.status).to.equal(200);
        expect(log.text).to.include(vi('audit.entities.survey_answer'));
      });

      it('takes one answer per dossier code: a second answer for it is a 422 saying so', async () => {
        const res = await answer(allRated('1', { dossierCode: 'H01.2026.000123' }));
        expect(res.status).to.equal(422);
        expect(res.text).to.include(vi('sipas.v.dossier_taken'));
        expect(await count('survey_answers')).to.equal(1);
      });

      it('pretends to a robot that filled the hidden field that all went well, and stores nothing', async () => {
        const res = await answer(allRated('5', { website: 'http://spam.example' }));
        expect(res.status).to.equal(303);
        expect(await count('survey_answers')).to.equal(1);
      });
    });

    describe('the results for the unit', () => {
      before(async () => {
        // Hand-counted with the first answer (eleven "5"): eleven "4" but one "Không ý kiến", eleven "2".
        expect((await answer(allRated('4', { a_courteous: 'na' }))).status).to.equal(303);
        expect((await answer(allRated('2', { comment: 'Phải chờ lâu' }))).status).to.equal(303);
      });

      it('computes the index as satisfied / answers with an opinion: (11 + 10) / 32 = 65.6%, average 117 / 32 = 3.66', async () => {
        const res = await cast.officer.agent.get(`/units/${nd}/satisfaction`);
        expect(res.status).to.equal(200);
        expect(res.text).to.include(vi('sipas.results.answers', { n: 3 }));
        expect(res.text).to.include(vi('sipas.results.index', { v: '65,6%' }));
        expect(res.text).to.include(vi('sipas.results.index_formula', { satisfied: 21, rated: 32 }));
        expect(res.text).to.include(vi('sipas.results.average', { v: '3,66' }));
        expect(res.text).to.include(vi('sipas.results.average_formula', { sum: 117, rated: 32 }));
        // The officials' aspect: courteous 5, na, 2 and guidance 5, 4, 2: 3 of 5 satisfied.
        expect(res.text).to.match(
          /id="aspect-officials"><th>[^<]+<\/th><td class="num">5<\/td><td class="num">1<\/td><td class="num">3,6<\/td><td class="num">60%<\/td>/,
        );
        expect(res.text).to.include('Phải chờ lâu');
        expect(res.text).to.include('0912345678');
      });

      it('shows the unit’s coordinator the figures but not the phone numbers', async () => {
        const res = await cast.coordinator.agent.get(`/units/${nd}/satisfaction`);
        expect(res.status).to.equal(200);
        expect(res.text).to.include(vi('sipas.results.index', { v: '65,6%' }));
        expect(res.text).to.not.include('0912345678');
      });

      it('does not exist for an officer of another unit, nor for a viewer (404)', async () => {
        const other = await ctx().userWith('officer', 'LCA-TU-PK');
        const agent = await ctx().signIn(other.username, other.password);
        expect((await agent.get(`/units/${nd}/satisfaction`)).status).to.equal(404);
        expect((await agent.get(`/api/v1/units/${nd}/satisfaction`)).status).to.equal(404);
        expect((await cast.viewer.agent.get(`/units/${nd}/satisfaction`)).status).to.equal(404);
      });

      it('exports the quarter to Excel and gives the same figures through the API', async () => {
        const x = await cast.leader.agent.get(`/units/${nd}/satisfaction/export.xlsx`);
        expect(x.status).to.equal(200);
        expect(x.headers['content-type']).to.include('spreadsheetml');
        const api = await cast.leader.agent.get(`/api/v1/units/${nd}/satisfaction?q=2026-Q4`);
        expect(api.status).to.equal(200);
        expect(api.body.data.summary.overall).to.include({ rated: 32, satisfied: 21, index: 65.6, average: 3.66 });
      });

      it('lists the answers per day, so that a flood stands out', async () => {
        const res = await cast.officer.agent.get(`/units/${nd}/satisfaction`);
        expect(res.text).to.match(/<td>10\/11\/2026<\/td><td class="num">3<\/td>/);
      });
    });

    describe('in the quality system', () => {
      const dashboardRow = async () => {
        const res = await cast.coordinator.agent.get('/api/v1/dashboard').query({ sort: 'name' });
        expect(res.status).to.equal(200);
        return (res.body as { data: Array<{ id: number; satisfactionIndex: number | null }> }).data.find((r) => r.id === nd)!;
      };
      const satisfactionItem = async () => {
        const res = await cast.officer.agent.get(`/api/v1/units/${nd}/readiness`);
        expect(res.status).to.equal(200);
        const d = (res.body as { data: { score: number; items: Array<{ key: string; status: string; informational?: boolean }> } }).data;
        return { score: d.score, item: d.items.find((i) => i.key === 'satisfaction')! };
      };
      after(() => ctx().clock.set('2026-11-10T03:00:00Z'));

      it('the dashboard shows "–" while the quarter of the answers is still running', async () => {
        expect((await dashboardRow()).satisfactionIndex).to.equal(null);
        const page = await cast.coordinator.agent.get('/dashboard');
        expect(page.text).to.include(vi('dashboard.col.satisfaction'));
        expect(page.text).to.include(`href="/units/${nd}/satisfaction">–</a>`);
      });

      it('once the quarter is over, shows its index (65.6) on the dashboard, sortable, and in its Excel export', async () => {
        ctx().clock.set('2027-01-05T03:00:00Z');
        expect((await dashboardRow()).satisfactionIndex).to.equal(65.6);
        const page = await cast.coordinator.agent.get('/dashboard').query({ sort: 'satisfaction', dir: 'desc' });
        expect(page.status).to.equal(200);
        expect(page.text).to.include(`href="/units/${nd}/satisfaction">65.6</a>`);
        const api = await cast.coordinator.agent.get('/api/v1/dashboard').query({ sort: 'satisfaction' });
        expect(api.body.meta).to.include({ sort: 'satisfaction', dir: 'asc' });
        const x = await cast.coordinator.agent
          .get('/dashboard/export.xlsx')
          .buffer(true)
          .parse((r, cb) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => cb(null, Buffer.concat(chunks)));
          });
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(x.body as ArrayBuffer);
        const ws = wb.worksheets[0]!;
        const row = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(2).value === 'Xã Nam Dong')!;
        expect(row.getCell(14).value).to.equal(65.6);
      });

      it('the readiness says opinions were given within twelve months, then not, without moving the score', async () => {
        const given = await satisfactionItem();
        expect(given.item).to.include({ status: 'met', informational: true });
        const page = await cast.officer.agent.get(`/units/${nd}/readiness`);
        expect(page.text).to.include(vi('dashboard.item.satisfaction'));
        expect(page.text).to.include(vi('dashboard.readiness.satisfaction.met', { date: '10/11/2026' }));
        ctx().clock.set('2027-11-20T03:00:00Z');
        const none = await satisfactionItem();
        expect(none.item).to.include({ status: 'not_met' });
        expect(none.score).to.equal(given.score);
        expect((await cast.officer.agent.get(`/units/${nd}/readiness`)).text).to.include(vi('dashboard.readiness.satisfaction.none'));
      });

      it('answers given before tallies were stored get theirs from the migration, with the same index', async () => {
        const before = (await ctx().db('survey_answers').where('unit_id', nd).orderBy('id').select('rated', 'satisfied', 'points')) as unknown[];
        await ctx().db('survey_answers').update({ rated: 0, satisfied: 0, points: 0 });
        await tallies.backfill(ctx().db);
        const after = (await ctx().db('survey_answers').where('unit_id', nd).orderBy('id').select('rated', 'satisfied', 'points')) as unknown[];
        expect(after).to.deep.equal(before);
        ctx().clock.set('2027-01-05T03:00:00Z');
        expect((await dashboardRow()).satisfactionIndex).to.equal(65.6);
      });

      it('a management review compiles the answers of its 12 months as customer satisfaction (9.3.2 c)', async () => {
        ctx().clock.set('2027-01-05T03:00:00Z');
        const res = await cast.officer.agent
          .post(`/units/${nd}/reviews`)
          .type('form')
          .send({ reviewDate: '2027-01-05', chairedBy: 'Chủ tịch UBND xã', _csrf: cast.officer.csrf });
        expect(res.status, res.text).to.equal(302);
        const id = Number(/\/reviews\/(\d+)/.exec(String(res.headers.location))![1]);
        const row = (await ctx().db('management_reviews').where('id', id).first('inputs_json')) as { inputs_json: string };
        expect(JSON.parse(row.inputs_json).satisfaction).to.deep.equal({ answers: 3, index: 65.6, average: 3.66 });
        const page = await cast.leader.agent.get(`/reviews/${id}`);
        expect(page.text).to.include(vi('reviews.in_satisfaction'));
        expect(page.text).to.match(/<table class="list in-satisfaction">[\s\S]*?<td class="num">3<\/td><td class="num">65.6%<\/td><td class="num">3.66<\/td>/);
      });
    });

    describe('the QR poster', () => {
      it('is an A4 PDF whose QR code, read from the printed page, opens the unit’s survey', async function () {
        this.timeout(30_000);
        const res = await cast.officer.agent
          .get(`/units/${nd}/satisfaction/poster.pdf`)
          .buffer(true)
          .parse((r, done) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => done(null, Buffer.concat(chunks)));
          });
        expect(res.status).to.equal(200);
        const pdf = res.body as Buffer;
        expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
        // The page as a printer would put it on paper, at 100 dpi.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poster-'));
        fs.writeFileSync(path.join(dir, 'p.pdf'), pdf);
        execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', path.join(dir, 'p.pdf'), path.join(dir, 'p')]);
        const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'p.png')));
        fs.rmSync(dir, { recursive: true, force: true });
        // A4 at 100 dpi: 827 × 1169 pixels.
        expect([png.width, png.height]).to.deep.equal([827, 1170]);
        const code = jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height);
        expect(code?.data).to.equal(`${ctx().config.baseUrl}/cong-khai/DNO-CJ-ND/khao-sat`);
      });

      it('does not exist for a viewer of the unit (404)', async () => {
        expect((await cast.viewer.agent.get(`/units/${nd}/satisfaction/poster.pdf`)).status).to.equal(404);
      });
    });

    describe('limits', () => {
      it('answers 429 with a Vietnamese page past the answers allowed from one address in an hour', async () => {
        ctx().clock.advance(2 * 3600_000);
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await answer(allRated('3'))).status);
        expect(statuses).to.deep.equal([303, 303, 303, 429]);
        const res = await answer(allRated('3'));
        expect(res.status).to.equal(429);
        expect(res.text).to.include(vi('errors.SURVEY_THROTTLED'));
        ctx().clock.advance(2 * 3600_000);
        expect((await answer(allRated('3'))).status).to.equal(303);
      });
    });
  },
  { PUBLIC_CACHE_SECONDS: '0', SURVEY_MAX_PER_ADDRESS_PER_HOUR: '3' },
);
