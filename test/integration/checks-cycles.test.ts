import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { BuiltApp } from '../../src/app.ts';
import { internalAuditForm } from '../../plugins/iso-internal-audit/forms/internal-audit.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { buildChecksApp, issuedProcedure, person, viHtml, type Person } from '../fixtures/checks-setup.ts';

forEachDatabase('checks: scope, next cycle, trend, ISO state, province view', (ctx) => {
  let built: BuiltApp;
  let nd: number;
  let et: number;
  let officer: Person;
  let inspector: Person;
  let coordinator: Person;
  let outsider: Person;

  const put = (who: Person, id: number, itemId: string, body: Record<string, unknown>) =>
    who.agent.put(`/api/v1/checks/${id}/answers/${itemId}`).set('x-csrf-token', who.token).send(body);
  const formPost = (who: Person, url: string, body: Record<string, unknown>) =>
    who.agent
      .post(url)
      .type('form')
      .send({ ...body, _csrf: who.token });

  async function plan(unitId: number, extra: Record<string, unknown> = {}): Promise<number> {
    const res = await officer.agent
      .post(`/api/v1/units/${unitId}/checks`)
      .set('x-csrf-token', officer.token)
      .send({ formId: 'kiem-tra-chu-ky', formVersion: 1, checkDate: '2026-03-02', ...extra });
    expect(res.status, res.text).to.equal(201);
    return (res.body as { data: { id: number } }).data.id;
  }
  async function answerAndSubmit(id: number, q1: string, q2: string, q3?: number): Promise<void> {
    for (const [item, value] of [
      ['q1', q1],
      ['q2', q2],
      ['q3', q3],
    ] as const) {
      if (value !== undefined) expect((await put(officer, id, item, { value })).status).to.equal(200);
    }
    const res = await officer.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', officer.token);
    expect(res.status, res.text).to.equal(200);
  }

  before(async function () {
    this.timeout(60_000);
    const c = ctx();
    await seedTree(c);
    built = buildChecksApp(c);
    nd = await c.unitId('DNO-CJ-ND');
    et = await c.unitId('DNO-CJ-ET');
    officer = await person(c, built, 'officer', 'DNO');
    inspector = await person(c, built, 'inspector', 'DNO-CJ-ND');
    coordinator = await person(c, built, 'coordinator', 'DNO');
    outsider = await person(c, built, 'coordinator', 'LCA');
  });

  it("plans a check with the procedures in scope chosen from the unit's issued procedures", async () => {
    const issued = await issuedProcedure(ctx(), nd, 'QT-01');
    const draft = await issuedProcedure(ctx(), nd, 'QT-02', 'draft');
    const elsewhere = await issuedProcedure(ctx(), et, 'QT-ET');
    const form = await officer.agent.get(`/units/${nd}/checks/new`);
    expect(form.text).to.include(`name="procedureIds" value="${issued}"`);
    expect(form.text).not.to.include(`value="${draft}"`);
    for (const wrong of [draft, elsewhere]) {
      const bad = await formPost(officer, `/units/${nd}/checks`, {
        form: 'kiem-tra-chu-ky@1',
        checkDate: '2026-03-10',
        kind: 'planned',
        procedureIds: [String(issued), String(wrong)],
      });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include(viHtml('v.check_procedure_unknown'));
      // What was ticked stays ticked.
      expect(bad.text).to.include(`value="${issued}" checked`);
    }
    const ok = await formPost(officer, `/units/${nd}/checks`, {
      form: 'kiem-tra-chu-ky@1',
      checkDate: '2026-03-10',
      kind: 'planned',
      procedureIds: String(issued),
    });
    expect(ok.status).to.equal(302);
    const id = Number(/\/checks\/(\d+)/.exec(ok.headers.location as string)![1]);
    const d = (await officer.agent.get(`/api/v1/checks/${id}`)).body as { data: { procedures: Array<{ id: number; code: string }> } };
    expect(d.data.procedures).to.deep.equal([{ id: issued, code: 'QT-01', title: 'Quy trình QT-01' }]);
  });

  it('starts the next check from a submitted one: same unit, latest form version, scope and auditors, linked to it', async () => {
    const proc = await issuedProcedure(ctx(), et, 'QT-ET-2');
    const first = await plan(et, { auditorIds: [inspector.userId], procedureIds: [proc] });
    await answerAndSubmit(first, 'no', 'no', 2);
    const next = await officer.agent.get(`/checks/${first}/next`);
    expect(next.status).to.equal(200);
    expect(next.text).to.include('value="kiem-tra-chu-ky@2" selected');
    expect(next.text).to.include(`value="${inspector.username}"`);
    expect(next.text).to.include(`value="${proc}" checked`);
    expect(next.text).to.include(`name="previousCheckId" value="${first}"`);
    // Only planners find the way to the next cycle.
    expect((await inspector.agent.get(`/checks/${first}/next`)).status).to.equal(404);
    expect((await outsider.agent.get(`/checks/${first}/next`)).status).to.equal(404);
    const made = await formPost(officer, `/units/${et}/checks`, {
      form: 'kiem-tra-chu-ky@2',
      checkDate: '2026-09-10',
      kind: 'planned',
      auditors: inspector.username,
      procedureIds: String(proc),
      previousCheckId: String(first),
    });
    expect(made.status, made.text).to.equal(302);
    const second = Number(/\/checks\/(\d+)/.exec(made.headers.location as string)![1]);
    const row = (await ctx().db('checks').where('id', second).first('previous_check_id', 'form_version')) as {
      previous_check_id: number;
      form_version: number;
    };
    expect([Number(row.previous_check_id), Number(row.form_version)]).to.deep.equal([first, 2]);
    // A previous check of another unit is refused.
    const wrong = await formPost(officer, `/units/${nd}/checks`, {
      form: 'kiem-tra-chu-ky@2',
      checkDate: '2026-09-10',
      kind: 'planned',
      previousCheckId: String(first),
    });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.include(viHtml('v.check_previous_unknown'));
  });

  it('shows, once the next check is submitted, the findings new, repeated and resolved, and the score trend with its table', async () => {
    const unit = await ctx().unitId('DNO-SKHCN');
    const first = await plan(unit, { checkDate: '2025-03-02' });
    await answerAndSubmit(first, 'no', 'no', 1); // major q1, minor q2; score 0%
    const second = await plan(unit, { checkDate: '2026-03-02', previousCheckId: first });
    // Before it is submitted there is nothing to compare.
    expect((await officer.agent.get(`/checks/${second}`)).text).not.to.include(viHtml('checks.cycle.repeated'));
    await answerAndSubmit(second, 'no', 'yes', 5); // major q1 again; q2 resolved
    await officer.agent
      .post(`/api/v1/checks/${second}/findings`)
      .set('x-csrf-token', officer.token)
      .send({ severity: 'minor', clauseRef: '7.1.4', description: 'Phòng làm việc chật' });
    const page = await officer.agent.get(`/checks/${second}`);
    const part = (name: string) => new RegExp(`<ul class="diff-${name}">([\\s\\S]*?)</ul>`).exec(page.text)?.[1] ?? '';
    expect(part('repeated')).to.include('8.5.1');
    expect(part('resolved')).to.include('7.5');
    expect(part('added')).to.include('Phòng làm việc chật');
    expect(part('added')).not.to.include('8.5.1');
    const list = await officer.agent.get(`/units/${unit}/checks`);
    expect(list.text).to.include('<svg class="trend-chart"');
    expect(list.text).not.to.match(/<script(?![^>]*src=)/);
    const rows = [...list.text.matchAll(/<tr><td><a href="\/checks\/(\d+)">[^<]+<\/a><\/td><td>[^<]+<\/td><td>([\d.]+)%<\/td><\/tr>/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    // q1 weight 1, q2 weight 1, q3 weight 2: first 0%, second (0 + 1 + 2) / 4 = 75%.
    expect(rows).to.deep.equal([
      [first, 0],
      [second, 75],
    ]);
    expect((list.text.match(/<circle /g) ?? []).length).to.equal(2);
  });

  it('sets the unit to "applying" when an internal audit is submitted after procedures were issued, with its audit row', async () => {
    const pk = await ctx().unitId('DNO-CJ-ET');
    await ctx().db('units').where('id', pk).update({ iso_state: 'building' });
    const res = await officer.agent
      .post(`/api/v1/units/${pk}/checks`)
      .set('x-csrf-token', officer.token)
      .send({ formId: 'iso-internal-audit', checkDate: '2026-03-02' });
    const id = (res.body as { data: { id: number } }).data.id;
    for (const s of internalAuditForm.sections) {
      for (const it of s.items.filter((i) => i.mandatory)) {
        const value = ({ 'yes-no-na': 'yes', scale: 5, date: '2026-01-10', number: 0 } as Record<string, string | number>)[it.answer.type];
        expect((await put(officer, id, it.id, { value })).status).to.equal(200);
      }
    }
    expect((await officer.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', officer.token)).status).to.equal(200);
    const unit = (await ctx().db('units').where('id', pk).first('iso_state', 'iso_state_reason')) as { iso_state: string; iso_state_reason: string };
    expect(unit.iso_state).to.equal('applying');
    expect(unit.iso_state_reason).to.include('đánh giá nội bộ ngày 02/03/2026');
    const logged = (await ctx().db('audit_log').where({ entity: 'unit', entity_id: pk, action: 'iso_state' }).select('user_id')) as Array<{ user_id: number }>;
    expect(logged.map((l) => Number(l.user_id))).to.deep.equal([officer.userId]);
  });

  it('leaves the ISO state alone without an issued procedure, or for a check that is not an internal audit', async () => {
    const id = await plan(nd);
    await ctx().db('units').where('id', nd).update({ iso_state: 'building' });
    await answerAndSubmit(id, 'yes', 'yes');
    expect(((await ctx().db('units').where('id', nd).first('iso_state')) as { iso_state: string }).iso_state).to.equal('building');
    // DNO-CJ has no issued procedure: its internal audit changes nothing either.
    const cj = await ctx().unitId('DNO-CJ');
    const res = await officer.agent
      .post(`/api/v1/units/${cj}/checks`)
      .set('x-csrf-token', officer.token)
      .send({ formId: 'iso-internal-audit', checkDate: '2026-03-02' });
    const audit = (res.body as { data: { id: number } }).data.id;
    for (const it of internalAuditForm.sections.flatMap((s) => s.items).filter((i) => i.mandatory)) {
      await put(officer, audit, it.id, {
        value: ({ 'yes-no-na': 'yes', scale: 5, date: '2026-01-10', number: 0 } as Record<string, string | number>)[it.answer.type],
      });
    }
    expect((await officer.agent.post(`/api/v1/checks/${audit}/submit`).set('x-csrf-token', officer.token)).status).to.equal(200);
    expect(((await ctx().db('units').where('id', cj).first('iso_state')) as { iso_state: string }).iso_state).to.equal('not_started');
  });

  it('lists every check in scope for the province with filters and pages, and exports the same to .xlsx', async () => {
    const all = await coordinator.agent.get('/api/v1/checks');
    expect(all.status).to.equal(200);
    const body = all.body as { data: Array<{ unitCode: string; status: string; score: number | null; checkDate: string }>; meta: { total: number } };
    expect(body.meta.total).to.be.greaterThan(4);
    expect(body.data.every((c) => c.unitCode.startsWith('DNO'))).to.equal(true);
    const dates = body.data.map((c) => c.checkDate);
    expect([...dates].sort().reverse()).to.deep.equal(dates);
    // The outsider's province has none of them.
    expect(((await outsider.agent.get('/api/v1/checks')).body as { meta: { total: number } }).meta.total).to.equal(0);
    const filtered = (
      await coordinator.agent.get('/api/v1/checks?unit=DNO-SKHCN&status=submitted&scoreMin=50&scoreMax=100&from=2026-01-01&to=2026-12-31&form=kiem-tra-chu-ky')
    ).body as typeof body;
    expect(filtered.data.map((c) => [c.unitCode, c.score])).to.deep.equal([['DNO-SKHCN', 75]]);
    const page = await coordinator.agent.get('/checks?unit=DNO-SKHCN');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Sở Khoa học và Công nghệ');
    expect(page.text).to.include(viHtml('checks.province.total', { n: 2 }));
    // Bad filters: the form again with the message, no list.
    const bad = await coordinator.agent.get('/checks?unit=LCA-TU-PK&scoreMin=80&scoreMax=20&from=2026-05-01&to=2026-01-01');
    expect(bad.status).to.equal(422);
    for (const key of ['v.check_unit_unknown', 'v.check_score_order', 'v.date_order']) expect(bad.text, key).to.include(viHtml(key));
    expect(bad.text).not.to.include('Xã Phúc Khoa');
    expect((await coordinator.agent.get('/api/v1/checks?scoreMin=abc')).status).to.equal(422);
    const xlsx = await coordinator.agent
      .get('/checks/export.xlsx?unit=DNO-SKHCN')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).to.equal(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).to.equal(3);
    expect(ws.getRow(2).getCell(1).value).to.equal('DNO-SKHCN');
    expect(ws.getRow(2).getCell(7).value).to.equal(75);
  });

  it('pages the province list 50 at a time', async () => {
    const unit = await ctx().unitId('DNO-CJ-ND');
    const at = '2026-03-02T02:00:00.000Z';
    const form = JSON.stringify({ id: 'kiem-tra-chu-ky', version: 1, kind: 'iso-check', appliesTo: 'unit', title: { vi: 'x', en: 'x' }, sections: [] });
    await ctx().db.batchInsert(
      'checks',
      Array.from({ length: 60 }, (_, i) => ({
        unit_id: unit,
        form_id: 'kiem-tra-chu-ky',
        form_version: 1,
        form_json: form,
        check_date: `2024-${String((i % 12) + 1).padStart(2, '0')}-10`,
        kind: 'planned',
        status: 'planned',
        created_at: at,
        updated_at: at,
      })),
      30,
    );
    const p1 = (await coordinator.agent.get('/api/v1/checks?unit=DNO-CJ-ND&status=planned&to=2024-12-31')).body as {
      data: unknown[];
      meta: { total: number; pages: number };
    };
    expect([p1.data.length, p1.meta.total, p1.meta.pages]).to.deep.equal([50, 60, 2]);
    const p2 = (await coordinator.agent.get('/api/v1/checks?unit=DNO-CJ-ND&status=planned&to=2024-12-31&page=2')).body as { data: unknown[] };
    expect(p2.data.length).to.equal(10);
    const html = await coordinator.agent.get('/checks?unit=DNO-CJ-ND&status=planned&to=2024-12-31');
    expect(html.text).to.include('rel="next"');
    // The administrator's nation-wide list counts apart from the page: the same totals.
    const admin = await person(ctx(), built, 'admin', null);
    const everything = (await admin.agent.get('/api/v1/checks?page=2')).body as { data: unknown[]; meta: { total: number } };
    const inDb = Number(((await ctx().db('checks').count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n);
    expect([everything.meta.total, everything.data.length]).to.deep.equal([inDb, Math.min(50, inDb - 50)]);
  });
});
