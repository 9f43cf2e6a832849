import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { forEachDatabase } from '../helpers/app.ts';
import { signInCast, type CastRole, type Member } from '../fixtures/cast.ts';
import { escapeHtml } from '../fixtures/http.ts';
import { arrangeDashboard, type Arranged } from '../fixtures/dashboard-arrange.ts';
import { Translator } from '../../src/lib/i18n.ts';
import { readinessOf, type UnitFacts } from '../../src/modules/dashboard/readiness.ts';

const tr = new Translator();
const vi = (key: string, params?: Record<string, string | number>) => escapeHtml(tr.t('vi', key, params));

interface ApiRow {
  id: number;
  name: string;
  [k: string]: unknown;
}

const binary = (r: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('readiness rules', () => {
  const c = { today: '2026-03-02', yearAgo: '2025-03-02', year: 2026, reviewMonths: 12 };
  const ready: UnitFacts = {
    unitId: 1,
    isoState: 'declared',
    isoStandard: '2015',
    declaredOn: '2025-09-15',
    adoptedTthc: 3,
    issuedProcedures: 3,
    reviewOverdue: 0,
    tthcWithoutProcedure: 0,
    lastInternalAudit: '2025-03-02',
    lastReview: '2025-03-02',
    openMajors: 0,
    overdueActions: 0,
    lastInspection: null,
    violationsThisYear: 0,
    yearlyReportSent: true,
    onTimeRate: null,
    satisfactionIndex: null,
    lastSurveyAnswer: '2026-02-20',
  };

  it('meets every item of a unit that did everything within twelve months (the day itself included)', () => {
    expect(readinessOf(ready, c)).to.include({ score: 100, met: 7, known: 7 });
    const late = readinessOf({ ...ready, lastInternalAudit: '2025-03-01' }, c);
    expect(late.items.find((i) => i.key === 'internal_audit')).to.include({ status: 'not_met', reason: 'old' });
  });

  it('scores met items over all seven: no review, an open major finding, no report and no declaration leave 3 of 7', () => {
    const r = readinessOf({ ...ready, lastReview: null, openMajors: 1, yearlyReportSent: false, isoState: 'applying' }, c);
    expect(r.items.filter((i) => i.status === 'not_met').map((i) => i.key)).to.deep.equal([
      'management_review',
      'no_open_major',
      'declaration',
      'yearly_report',
    ]);
    // Scope, procedures, internal audit met: 3 of 7 (43 %).
    expect(r).to.include({ score: 43, met: 3, known: 7 });
  });

  it('tells whether citizens gave their opinion within twelve months, without counting it in the score', () => {
    const none = readinessOf({ ...ready, lastSurveyAnswer: null }, c);
    expect(none.items.find((i) => i.key === 'satisfaction')).to.deep.include({ status: 'not_met', reason: 'none', informational: true });
    expect(none).to.include({ score: 100, met: 7, known: 7 });
    expect(readinessOf(ready, c).items.find((i) => i.key === 'satisfaction')).to.deep.include({ status: 'met', params: { date: '2026-02-20' } });
  });

  it('names what is missing first: a TTHC without procedure before a review overdue', () => {
    const r = readinessOf({ ...ready, tthcWithoutProcedure: 2, reviewOverdue: 1 }, c);
    expect(r.items.find((i) => i.key === 'procedures')).to.deep.include({ status: 'not_met', reason: 'missing', params: { n: 2 } });
  });
});

forEachDatabase('the province dashboard', (ctx) => {
  let cast: Record<CastRole, Member>;
  let a: Arranged;

  before(async function () {
    this.timeout(60_000);
    a = await arrangeDashboard(ctx());
    cast = await signInCast(ctx(), 'db');
  });

  const api = async (m: Member, query: Record<string, string | number> = {}) => {
    const res = await m.agent.get('/api/v1/dashboard').query(query);
    expect(res.status, res.text.slice(0, 400)).to.equal(200);
    return res.body as { data: ApiRow[]; meta: Record<string, unknown> };
  };

  describe('figures against hand-computed data', () => {
    it('has one row per commune-level unit of the province, with every figure of Nam Dong', async () => {
      const { data, meta } = await api(cast.coordinator, { sort: 'name' });
      expect(data.map((r) => r.name)).to.deep.equal(["Thị trấn Ea T'ling", 'Xã Nam Dong', 'Xã Quảng Sơn']);
      expect(meta).to.deep.include({ scope: 'province', asOf: '2026-03-02', total: 3, shown: 3 });
      expect(data.find((r) => r.id === a.nd)).to.deep.include({
        isoState: 'declared',
        isoStandard: '2015',
        declaredOn: '2025-09-15',
        validForCurrentScope: true,
        lastInternalAudit: '2025-11-10',
        lastManagementReview: '2025-05-10',
        openMajorFindings: 2,
        overdueCorrectiveActions: 1,
        lastInspection: '2026-02-10',
        violationsThisYear: 2,
        onTimeRate: 96,
        readiness: 57,
        unknown: [],
      });
    });

    it("Ea T'ling needs re-declaration and has nothing since 2024; Quảng Sơn meets every item", async () => {
      const { data } = await api(cast.coordinator);
      expect(data.find((r) => r.id === a.et)).to.deep.include({
        isoState: 'needs_redeclaration',
        validForCurrentScope: false,
        lastInternalAudit: '2024-12-01',
        lastManagementReview: null,
        openMajorFindings: 0,
        overdueCorrectiveActions: 0,
        lastInspection: null,
        violationsThisYear: 0,
        onTimeRate: null,
        readiness: 29,
      });
      expect(data.find((r) => r.id === a.qs)).to.deep.include({ readiness: 100, onTimeRate: 80, declaredOn: '2026-02-15' });
    });

    it('counts units per ISO state and the trend by month over the last twelve months', async () => {
      const { meta } = await api(cast.coordinator);
      expect(meta.byState).to.deep.equal({ not_started: 0, building: 0, applying: 0, declared: 2, needs_redeclaration: 1 });
      const trend = meta.trend as Array<{ month: string; audits: number; received: number; rate: number | null }>;
      expect(trend.map((m) => m.month)).to.deep.equal([
        '2025-04',
        '2025-05',
        '2025-06',
        '2025-07',
        '2025-08',
        '2025-09',
        '2025-10',
        '2025-11',
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
      ]);
      expect(trend.filter((m) => m.audits).map((m) => [m.month, m.audits])).to.deep.equal([
        ['2025-11', 1],
        ['2026-02', 1],
      ]);
      // January 2026: Nam Dong (406 + 30) and Quảng Sơn (2 + 6) over 454 + 10 = 444 / 464.
      expect(trend.filter((m) => m.rate !== null).map((m) => [m.month, m.received, m.rate])).to.deep.equal([
        ['2025-10', 100, 20],
        ['2026-01', 464, 95.7],
      ]);
    });
  });

  describe('sorting and filtering', () => {
    it('sorts by readiness, lowest first, unless told otherwise', async () => {
      expect((await api(cast.coordinator)).data.map((r) => r.id)).to.deep.equal([a.et, a.nd, a.qs]);
      expect((await api(cast.coordinator, { sort: 'majors', dir: 'desc' })).data.map((r) => r.id)[0]).to.equal(a.nd);
      expect((await api(cast.coordinator, { sort: 'audit', dir: 'asc' })).data.map((r) => r.id)).to.deep.equal([a.et, a.nd, a.qs]);
    });

    it('filters by ISO state, by readiness below a threshold, and by name typed without diacritics', async () => {
      expect((await api(cast.coordinator, { state: 'declared', sort: 'name' })).data.map((r) => r.id)).to.deep.equal([a.nd, a.qs]);
      expect((await api(cast.coordinator, { below: 60, sort: 'name' })).data.map((r) => r.id)).to.deep.equal([a.et, a.nd]);
      const found = await api(cast.coordinator, { q: 'quang son' });
      expect(found.data.map((r) => r.id)).to.deep.equal([a.qs]);
      expect(found.meta).to.include({ total: 3, shown: 1 });
    });

    it('refuses a sort or a state that does not exist', async () => {
      const res = await cast.coordinator.agent.get('/api/v1/dashboard').query({ sort: 'nonsense', state: 'done' });
      expect(res.status).to.equal(422);
      expect(Object.keys((res.body as { error: { fields: object } }).error.fields).sort()).to.deep.equal(['sort', 'state']);
    });
  });

  describe('the page', () => {
    it('shows each unit with its figures linked to the lists behind them, colour bands named in words', async () => {
      const page = await cast.coordinator.agent.get('/dashboard');
      expect(page.status).to.equal(200);
      for (const text of [
        'Xã Nam Dong',
        'Thị trấn Ea T&#39;ling',
        'Xã Quảng Sơn',
        '15/09/2025',
        '10/11/2025',
        '57% · ' + vi('dashboard.band.mid'),
        '29% · ' + vi('dashboard.band.low'),
      ]) {
        expect(page.text).to.include(text);
      }
      for (const href of [`/units/${a.nd}/checks`, `/units/${a.nd}/actions`, `/units/${a.nd}/reviews`, `/units/${a.nd}/readiness`, `/units/${a.nd}/on-time`])
        expect(page.text).to.include(`href="${href}"`);
      expect(page.text).to.include('<svg role="img"');
      expect(page.text).to.include('src="/static/dashboard.js"');
      expect(page.text).not.to.include('Phúc Khoa');
      // Rows come in the order asked for.
      const sorted = await cast.coordinator.agent.get('/dashboard').query({ sort: 'name', dir: 'desc' });
      expect(sorted.text.indexOf('Xã Quảng Sơn')).to.be.lessThan(sorted.text.indexOf('Xã Nam Dong'));
      const filtered = await cast.coordinator.agent.get('/dashboard').query({ state: 'needs_redeclaration' });
      expect(filtered.text).to.include('Ea T&#39;ling');
      expect(filtered.text).not.to.include(`href="/units/${a.nd}/readiness"`);
    });

    it('exports the rows shown to Excel', async () => {
      const res = await cast.coordinator.agent.get('/dashboard/export.xlsx').query({ sort: 'name' }).buffer(true).parse(binary);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.include('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.rowCount).to.equal(4);
      expect(ws.getRow(3).getCell(2).value).to.equal('Xã Nam Dong');
      expect(ws.getRow(3).getCell(9).value).to.equal(2);
      expect(ws.getRow(1).getCell(14).value).to.equal(tr.t('vi', 'dashboard.col.satisfaction'));
      // No survey answer in the last finished quarter.
      expect(ws.getRow(3).getCell(14).value).to.equal('–');
      expect(ws.getRow(3).getCell(15).value).to.equal(57);
    });

    it('the administrator sees the national overview, one line per province, and opens a province', async () => {
      const page = await cast.admin.agent.get('/dashboard');
      expect(page.status).to.equal(200);
      expect(page.text).to.include(`href="/dashboard?provinceId=${a.dno}"`);
      expect(page.text).to.include('Tỉnh Lai Châu');
      const { data, meta } = await api(cast.admin);
      expect(meta).to.include({ scope: 'national' });
      const dno = data.find((p) => p.id === a.dno)!;
      expect(dno).to.deep.include({ units: 3, declaredShare: 67, readiness: 62, openMajors: 2, overdueActions: 1, belowHalf: 1 });
      expect(data.find((p) => p.id === a.lca)).to.deep.include({ units: 1, openMajors: 1 });
      const lca = await api(cast.admin, { provinceId: a.lca });
      expect(lca.data.map((r) => r.id)).to.deep.equal([a.pk]);
    });

    it('is not found for a coordinator asking for another province, and for an officer at all', async () => {
      expect((await cast.coordinator.agent.get('/dashboard').query({ provinceId: a.lca })).status).to.equal(404);
      expect((await cast.coordinator.agent.get('/api/v1/dashboard').query({ provinceId: a.lca })).status).to.equal(404);
      expect((await cast.officer.agent.get('/dashboard')).status).to.equal(404);
      expect((await cast.officer.agent.get('/api/v1/dashboard')).status).to.equal(404);
    });
  });

  describe('readiness of a unit', () => {
    it('explains each item of Nam Dong and what to do next', async () => {
      const res = await cast.officer.agent.get(`/api/v1/units/${a.nd}/readiness`);
      expect(res.status).to.equal(200);
      const d = (res.body as { data: { score: number; met: number; known: number; items: Array<{ key: string; status: string; explanation: string }> } }).data;
      expect(d).to.include({ score: 57, met: 4, known: 7 });
      expect(Object.fromEntries(d.items.map((i) => [i.key, i.status]))).to.deep.equal({
        scope: 'met',
        procedures: 'not_met',
        internal_audit: 'met',
        management_review: 'met',
        no_open_major: 'not_met',
        declaration: 'met',
        yearly_report: 'not_met',
        satisfaction: 'not_met',
      });
      expect(d.items.find((i) => i.key === 'procedures')!.explanation).to.equal(tr.t('vi', 'dashboard.readiness.procedures.overdue', { n: 1, months: 12 }));
      const page = await cast.officer.agent.get(`/units/${a.nd}/readiness`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include(vi('dashboard.readiness.no_open_major.open', { n: 2 }));
      expect(page.text).to.include(vi('dashboard.readiness.declaration.met_on', { date: '15/09/2025' }));
    });

    it("is not found for a unit outside the caller's scope", async () => {
      expect((await cast.officer.agent.get(`/api/v1/units/${a.pk}/readiness`)).status).to.equal(404);
      expect((await cast.coordinator.agent.get(`/units/${a.pk}/readiness`)).status).to.equal(404);
    });
  });

  describe("the officer's home page", () => {
    it('the root address leads a signed-in user home', async () => {
      const res = await cast.officer.agent.get('/');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/home');
    });

    it('lists what is due this week and this month, the readiness of the unit, and shortcuts', async () => {
      const page = await cast.officer.agent.get('/home');
      expect(page.status).to.equal(200);
      const week = page.text.slice(page.text.indexOf('id="due-week"'), page.text.indexOf('id="due-month"'));
      const month = page.text.slice(page.text.indexOf('id="due-month"'), page.text.indexOf('id="home-readiness"'));
      // This week (2-8 March): the overdue action of 1 February and the check planned for 5 March.
      expect(week).to.include('01/02/2026');
      expect(week).to.include(vi('home.overdue'));
      expect(week).to.include('05/03/2026');
      // Later in March: the action due on the 10th, the draft review of the 20th, the audit of the programme.
      expect(month).to.include('10/03/2026');
      expect(month).to.include('20/03/2026');
      expect(month).to.include(vi('home.kinds.programme'));
      expect(week + month).not.to.include('15/02/2026');
      expect(page.text).to.include('57% · ' + vi('dashboard.band.mid'));
      expect(page.text).to.include(`href="/units/${a.nd}/on-time"`);
      expect(page.text).not.to.include('href="/dashboard"');
    });

    it("a coordinator's home links the dashboard and the import, and shows no readiness for the province itself", async () => {
      const page = await cast.coordinator.agent.get('/home');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('href="/dashboard"');
      expect(page.text).to.include('href="/on-time/import"');
      expect(page.text).not.to.include('id="home-readiness"');
      // Every planned check of the province within the month: Nam Dong's of 5 March.
      expect(page.text).to.include('05/03/2026');
    });
  });
});
