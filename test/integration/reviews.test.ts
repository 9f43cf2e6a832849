import { expect } from 'chai';
import { forEachDatabase, type Agent, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml } from '../fixtures/http.ts';
import { insertAction, insertCheck, insertFinding, viActions } from '../fixtures/actions-data.ts';

interface Who {
  agent: Agent;
  csrf: string;
  id: number;
}

forEachDatabase('management reviews: inputs compiled from the data, decisions, final', (ctx) => {
  let c: TestContext;
  let nd: number;
  let officer: Who;
  let leader: Who;
  let outsider: Who;
  let auditId: number;

  async function who(role: Parameters<TestContext['userWith']>[0], unit: string): Promise<Who> {
    const u = await c.userWith(role, unit);
    const agent = await c.signIn(u.username, u.password);
    return { agent, csrf: await csrfOfSignedIn(agent), id: u.user.id };
  }
  const form = (w: Who, url: string, body: Record<string, string>) =>
    w.agent
      .post(url)
      .type('form')
      .send({ ...body, _csrf: w.csrf });
  const reviewIdOf = (location: string) => Number(/\/reviews\/(\d+)/.exec(location)![1]);

  before(async () => {
    c = ctx();
    await seedTree(c);
    nd = await c.unitId('DNO-CJ-ND');
    officer = await who('officer', 'DNO-CJ-ND');
    leader = await who('leader', 'DNO-CJ-ND');
    outsider = await who('officer', 'LCA-TU-PK');
    // Within the 12 months before 2026-03-02: an internal audit and a one-stop-shop check; before them, one too old.
    auditId = await insertCheck(c.db, nd, { checkDate: '2025-11-20', score: 82.5 });
    const counter = await insertCheck(c.db, nd, { checkDate: '2026-02-10', score: 90, formId: 'one-stop-shop' });
    await insertCheck(c.db, nd, { checkDate: '2025-02-01', score: 40 });
    await insertCheck(c.db, nd, { checkDate: '2026-02-20', score: null, status: 'in_progress' });
    const major = await insertFinding(c.db, auditId, 'major');
    const minor = await insertFinding(c.db, auditId, 'minor', 'i2');
    await insertFinding(c.db, counter, 'observation');
    await c.db('check_findings').where('id', minor).update({ status: 'closed', closed_at: '2026-01-05T02:00:00.000Z' });
    await insertAction(c.db, major, officer.id, { status: 'verified', dueDate: '2025-12-31' });
    await insertAction(c.db, major, officer.id, { status: 'in_progress', dueDate: '2026-02-01' });
    await insertAction(c.db, minor, officer.id, { status: 'open', dueDate: '2026-04-01' });
    const at = '2026-01-01T00:00:00.000Z';
    await c.db('quality_objectives').insert([
      { unit_id: nd, year: 2026, objective: '100% hồ sơ giải quyết đúng hạn', target: '100%', actual: '98%', achieved: false, created_at: at, updated_at: at },
      { unit_id: nd, year: 2026, objective: 'Không có phản ánh, kiến nghị', target: '0', actual: null, achieved: null, created_at: at, updated_at: at },
      { unit_id: nd, year: 2025, objective: 'Mục tiêu năm trước', target: '1', actual: '1', achieved: true, created_at: at, updated_at: at },
    ]);
    // On-time figures: a quarter within the 12 months, and one that starts before them.
    await c.db('on_time_figures').insert([
      {
        unit_id: nd,
        period_start: '2025-10-01',
        period_end: '2025-12-31',
        received: 120,
        early: 30,
        on_time: 84,
        late: 6,
        apologies: 6,
        source: 'form',
        created_at: at,
        updated_at: at,
      },
      {
        unit_id: nd,
        period_start: '2025-01-01',
        period_end: '2025-03-31',
        received: 50,
        early: 0,
        on_time: 10,
        late: 40,
        apologies: 40,
        source: 'form',
        created_at: at,
        updated_at: at,
      },
    ]);
    const [p] = (await c
      .db('procedures')
      .insert({
        unit_id: nd,
        code: 'QT-01',
        title: 'Đăng ký khai sinh',
        kind: 'tthc',
        status: 'issued',
        revision_no: 2,
        search_text: 'qt-01',
        created_at: at,
        updated_at: at,
      })
      .returning('id')) as Array<{ id: number } | number>;
    const pid = typeof p === 'number' ? p : Number(p!.id);
    await c.db('procedure_revisions').insert([
      {
        procedure_id: pid,
        revision_no: 1,
        status: 'superseded',
        code: 'QT-01',
        title: 'Đăng ký khai sinh',
        kind: 'tthc',
        issue_date: '2024-05-01',
        created_at: at,
        updated_at: at,
      },
      {
        procedure_id: pid,
        revision_no: 2,
        status: 'issued',
        code: 'QT-01',
        title: 'Đăng ký khai sinh',
        kind: 'tthc',
        issue_date: '2025-09-15',
        created_at: at,
        updated_at: at,
      },
      {
        procedure_id: pid,
        revision_no: 3,
        status: 'withdrawn',
        code: 'QT-01',
        title: 'Đăng ký khai sinh (bản bãi bỏ)',
        kind: 'tthc',
        withdrawn_at: '2026-01-20T03:00:00.000Z',
        created_at: at,
        updated_at: at,
      },
    ]);
  });

  it('compiles the inputs of the last 12 months when the record is made, and keeps them as they were', async () => {
    const res = await form(officer, `/units/${nd}/reviews`, {
      reviewDate: '2026-03-02',
      chairedBy: 'Chủ tịch UBND xã',
      attendees: 'Lãnh đạo UBND, các công chức',
    });
    expect(res.status, res.text).to.equal(302);
    const id = reviewIdOf(res.headers.location as string);
    const row = await c.db('management_reviews').where('id', id).first('inputs_json', 'status');
    expect(row.status).to.equal('draft');
    const inputs = JSON.parse(row.inputs_json);
    expect(inputs.period).to.deep.equal({ from: '2025-03-03', to: '2026-03-02' });
    expect(
      inputs.checks.map((x: { date: string; score: number; internalAudit: boolean; findings: number }) => [x.date, x.score, x.internalAudit, x.findings]),
    ).to.deep.equal([
      ['2026-02-10', 90, false, 1],
      ['2025-11-20', 82.5, true, 2],
    ]);
    expect(inputs.findings).to.deep.equal({ major: { open: 1, closed: 0 }, minor: { open: 0, closed: 1 }, observation: { open: 1, closed: 0 } });
    expect(inputs.actions).to.deep.equal({ byStatus: { open: 1, in_progress: 1, done: 0, verified: 1, reopened: 0 }, overdue: 1, total: 3 });
    expect(inputs.objectives.year).to.equal(2026);
    expect(inputs.objectives.items.map((o: { objective: string; achieved: boolean | null }) => [o.objective, o.achieved])).to.deep.equal([
      ['100% hồ sơ giải quyết đúng hạn', false],
      ['Không có phản ánh, kiến nghị', null],
    ]);
    expect(inputs.scope.changes.map((x: { code: string; change: string; day: string }) => [x.code, x.change, x.day])).to.deep.equal([
      ['QT-01', 'issued', '2025-09-15'],
      ['QT-01', 'withdrawn', '2026-01-20'],
    ]);
    expect(inputs.onTime).to.deep.equal({ received: 120, early: 30, onTime: 84, late: 6, apologies: 6, periods: 1, rate: 95 });
    // Nobody answered the satisfaction survey in those months.
    expect(inputs.satisfaction).to.equal(null);

    const page = await leader.agent.get(`/reviews/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text, 'a decimal comma in Vietnamese').to.include('82,5%');
    expect(page.text).to.match(/<tr class="in-overdue"><td class=error>[^<]+<\/td><td class="num error">1<\/td>/);
    expect(page.text).to.include(viActions('reviews.in_achieved_values.no'));
    expect(page.text).to.include(viActions('reviews.in_no_satisfaction'));
    expect(page.text).to.match(/<table class="list in-ontime">[\s\S]*?<td class="num">120<\/td>[\s\S]*?<td class="num">95%<\/td>/);

    // A later change to the data does not rewrite the record.
    await c.db('check_findings').where('check_id', auditId).update({ status: 'closed' });
    const again = JSON.parse((await c.db('management_reviews').where('id', id).first('inputs_json')).inputs_json);
    expect(again.findings.major).to.deep.equal({ open: 1, closed: 0 });
    await c.db('check_findings').where('check_id', auditId).where('severity', 'major').update({ status: 'open' });
  });

  it('refuses a review date that is not a day, keeping what was typed', async () => {
    const before = await c.db('management_reviews').count({ n: '*' });
    const res = await form(officer, `/units/${nd}/reviews`, { reviewDate: '2026-02-30', chairedBy: 'Chủ tịch đã gõ' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Chủ tịch đã gõ');
    expect(await c.db('management_reviews').count({ n: '*' })).to.deep.equal(before);
  });

  it('saves decisions on a draft, makes it final only with decisions, then locks it', async () => {
    const res = await form(officer, `/units/${nd}/reviews`, { reviewDate: '2026-03-01' });
    const id = reviewIdOf(res.headers.location as string);
    expect((await form(leader, `/reviews/${id}`, { decisions: 'Không được' })).status, 'a leader reads but does not write the record').to.equal(404);
    const empty = await form(officer, `/reviews/${id}`, { attendees: 'Đã gõ', decisions: '', op: 'final' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.include('Đã gõ');
    expect(
      (await form(officer, `/reviews/${id}`, { attendees: 'Ông A, bà B', decisions: 'Bổ sung nhân lực cho bộ phận một cửa', chairedBy: 'Chủ tịch' })).status,
    ).to.equal(302);
    expect(
      (
        await form(officer, `/reviews/${id}`, {
          attendees: 'Ông A, bà B',
          decisions: 'Bổ sung nhân lực cho bộ phận một cửa',
          chairedBy: 'Chủ tịch',
          op: 'final',
        })
      ).status,
    ).to.equal(302);
    const page = await officer.agent.get(`/reviews/${id}`);
    expect(page.text).to.include(viActions('reviews.statuses.final'));
    expect(page.text).not.to.include(`action="/reviews/${id}"`);
    const locked = await form(officer, `/reviews/${id}`, { decisions: 'Sửa sau khi chốt' });
    expect(locked.status).to.equal(409);
    expect(locked.text).to.include(escapeHtml(viActions('errors.REVIEW_FINAL')));
    expect((await c.db('management_reviews').where('id', id).first('decisions')).decisions).to.equal('Bổ sung nhân lực cho bộ phận một cửa');
    const log = (await c.db('audit_log').where({ entity: 'management_review', entity_id: id }).orderBy('id').select('action')) as Array<{ action: string }>;
    expect(log.map((l) => l.action)).to.deep.equal(['create', 'update', 'finalise']);
  });

  it('counts the scope changes since the last review, and hides the reviews of another province', async () => {
    const res = await form(officer, `/units/${nd}/reviews`, { reviewDate: '2026-06-30' });
    const inputs = JSON.parse(
      (
        await c
          .db('management_reviews')
          .where('id', reviewIdOf(res.headers.location as string))
          .first('inputs_json')
      ).inputs_json,
    );
    expect(inputs.scope.since).to.equal('2026-03-02');
    expect(inputs.scope.changes).to.deep.equal([]);
    expect((await outsider.agent.get(`/units/${nd}/reviews`)).status).to.equal(404);
    expect((await outsider.agent.get(`/reviews/${reviewIdOf(res.headers.location as string)}`)).status).to.equal(404);
    const list = await leader.agent.get(`/units/${nd}/reviews`);
    expect(list.text).to.include('30/06/2026');
    expect(list.text).not.to.include(`/units/${nd}/reviews/new`);
  });
});
