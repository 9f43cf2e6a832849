import { expect } from 'chai';
import { pino } from 'pino';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import type { FormDefinition, FormItem } from '../../src/plugins/contract.ts';
import { PluginRegistry, type PluginRecord } from '../../src/plugins/registry.ts';
import { internalAuditForm } from '../../plugins/iso-internal-audit/forms/internal-audit.ts';
import { forEachDatabase, makeAgent, testPassword, type Agent, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';
import { fmtTime } from '../../src/http/locals.ts';

const item = (id: string, ref: string, answer: FormItem['answer'], extra: Partial<FormItem> = {}): FormItem => ({
  id,
  ref,
  text: { vi: `Câu ${id}`, en: `Item ${id}` },
  answer,
  mandatory: false,
  weight: 0,
  ...extra,
});

/** A small form with one item of every answer type that can be typed, in two versions. */
function testForm(version: number): FormDefinition {
  return {
    id: 'kiem-tra-thu',
    version,
    kind: 'iso-check',
    appliesTo: 'unit',
    title: { vi: `Phiếu kiểm tra thử v${version}`, en: `Test check v${version}` },
    sections: [
      {
        id: 's1',
        title: { vi: 'Hồ sơ', en: 'Records' },
        items: [
          item('i-yes', '8.5.1', { type: 'yes-no-na' }, { mandatory: true, weight: 3, findings: [{ when: { equals: 'no' }, severity: 'major' }] }),
          item('i-yn2', '7.5', { type: 'yes-no-na' }, { mandatory: true, weight: 1, findings: [{ when: { equals: 'no' }, severity: 'minor' }] }),
        ],
      },
      {
        id: 's2',
        title: { vi: 'Khảo sát', en: 'Survey' },
        items: [
          item(
            'i-scale',
            '9.1.2',
            { type: 'scale', min: 1, max: 5 },
            { mandatory: true, weight: 2, findings: [{ when: { below: 3 }, severity: 'observation' }] },
          ),
          item('i-num', '9.1.3', { type: 'number', min: 0, max: 100 }),
          item('i-text', '7.4', { type: 'text' }, { findings: [{ when: { empty: true }, severity: 'observation' }] }),
          item('i-date', '9.3', { type: 'date' }, { findings: [{ when: { olderThanDays: 365 }, severity: 'minor' }] }),
          item('i-choice', '8.2', {
            type: 'choice',
            options: [
              { value: 'a', label: { vi: 'A', en: 'A' } },
              { value: 'b', label: { vi: 'B', en: 'B' } },
            ],
          }),
        ],
      },
    ],
  };
}

// Version 2 of the test form asks one more mandatory question; checks planned on version 1 never see it.
const formV2: FormDefinition = {
  ...testForm(2),
  sections: [
    ...testForm(2).sections,
    { id: 's3', title: { vi: 'Mới', en: 'New' }, items: [item('i-new', '10.2', { type: 'yes-no-na' }, { mandatory: true, weight: 1 })] },
  ],
};

function registry(): PluginRegistry {
  const record = (id: string, forms: FormDefinition[]): PluginRecord => ({
    id,
    dir: id,
    status: 'loaded',
    settings: {},
    forms,
    reminders: [],
    documents: [],
    migrationsApplied: [],
  });
  return new PluginRegistry([record('iso-internal-audit', [internalAuditForm]), record('kiem-tra-thu', [testForm(1), formV2])]);
}

interface Api {
  agent: Agent;
  token: string;
  userId: number;
  fullName: string;
}

forEachDatabase('checks: plan, answer, score, submit, findings', (ctx) => {
  let built: BuiltApp;
  let nd: number;
  let officer: Api;
  let inspector: Api;
  let viewer: Api;
  let outsider: Api;

  async function as(c: TestContext, role: Parameters<TestContext['userWith']>[0], unit: string): Promise<Api> {
    const u = await c.userWith(role, unit);
    const agent = makeAgent(built);
    const csrf = await agent.csrf();
    const login = await agent.post('/login').type('form').send({ username: u.username, password: testPassword, _csrf: csrf });
    expect(login.status).to.equal(302);
    return { agent, token: await csrfOfSignedIn(agent), userId: u.user.id, fullName: u.user.fullName };
  }

  const put = (who: Api, id: number, itemId: string, body: Record<string, unknown>) =>
    who.agent.put(`/api/v1/checks/${id}/answers/${itemId}`).set('x-csrf-token', who.token).send(body);
  const page = (who: Api, url: string, body: Record<string, string>) =>
    who.agent
      .post(url)
      .type('form')
      .send({ ...body, _csrf: who.token });

  async function plan(who: Api = officer, extra: Record<string, unknown> = {}): Promise<number> {
    const res = await who.agent
      .post(`/api/v1/units/${nd}/checks`)
      .set('x-csrf-token', who.token)
      .send({ formId: 'kiem-tra-thu', formVersion: 1, checkDate: '2026-03-02', kind: 'unannounced', auditorIds: [officer.userId, inspector.userId], ...extra });
    expect(res.status, res.text).to.equal(201);
    return (res.body as { data: { id: number } }).data.id;
  }

  const read = async (who: Api, id: number) => {
    const res = await who.agent.get(`/api/v1/checks/${id}`);
    expect(res.status, res.text).to.equal(200);
    return res.body as {
      data: {
        status: string;
        formVersion: number;
        answers: Array<{ itemId: string; value: string | null; note: string | null; answeredBy: number }>;
        score: { overall: number | null; sections: Record<string, number | null> };
        progress: { answered: number; mandatoryLeft: number; missing: string[] };
        findings: Array<{ itemId: string; severity: string; clauseRef: string }>;
      };
    };
  };

  before(async function () {
    this.timeout(60_000);
    const c = ctx();
    await seedTree(c);
    built = buildApp({
      config: c.config,
      db: c.db,
      clock: c.clock,
      logger: pino({ level: 'silent' }),
      sessionSecret: 'test-secret-test-secret-test-secret-0123',
      plugins: registry(),
    });
    nd = await c.unitId('DNO-CJ-ND');
    officer = await as(c, 'officer', 'DNO-CJ-ND');
    inspector = await as(c, 'inspector', 'DNO-CJ');
    viewer = await as(c, 'viewer', 'DNO');
    outsider = await as(c, 'coordinator', 'LCA');
  });

  it('plans a check from the page and keeps its own copy of the form version chosen', async () => {
    const form = await officer.agent.get(`/units/${nd}/checks/new`);
    expect(form.status).to.equal(200);
    expect(form.text).to.include('Phiếu kiểm tra thử v2');
    const res = await page(officer, `/units/${nd}/checks`, { form: 'kiem-tra-thu@1', checkDate: '2026-03-10', kind: 'planned', auditors: 'khong-ai-ca' });
    // The auditor field names an unknown user: the form says so and nothing is planned.
    expect(res.status).to.equal(422);
    expect(res.text).to.include(escapeHtml(viText('v.person_not_in_scope')));
    const ok = await page(officer, `/units/${nd}/checks`, { form: 'kiem-tra-thu@1', checkDate: '2026-03-10', kind: 'planned', auditors: '' });
    expect(ok.status).to.equal(302);
    const id = Number(/\/checks\/(\d+)/.exec(ok.headers.location as string)![1]);
    const shown = await officer.agent.get(`/checks/${id}`);
    expect(shown.text).to.include('Phiếu kiểm tra thử v1');
    expect(shown.text).not.to.include('Câu i-new');
    const stored = (await ctx().db('checks').where('id', id).first('form_json', 'form_version')) as { form_json: string; form_version: number };
    expect(Number(stored.form_version)).to.equal(1);
    expect(JSON.parse(stored.form_json)).to.deep.equal(testForm(1));
    const list = await viewer.agent.get(`/units/${nd}/checks`);
    expect(list.text).to.include('/checks/' + id);
  });

  it('refuses to plan with a form that is not installed', async () => {
    const res = await officer.agent.post(`/api/v1/units/${nd}/checks`).set('x-csrf-token', officer.token).send({ formId: 'khong-co', checkDate: '2026-03-02' });
    expect(res.status).to.equal(422);
    expect((res.body as { error: { fields: Record<string, string> } }).error.fields.form).to.equal(viText('v.form_unknown'));
  });

  it('a check outside the scope does not exist: reading, answering, planning and submitting all answer 404', async () => {
    const id = await plan();
    expect((await outsider.agent.get(`/api/v1/checks/${id}`)).status).to.equal(404);
    expect((await outsider.agent.get(`/checks/${id}`)).status).to.equal(404);
    expect((await put(outsider, id, 'i-yes', { value: 'yes' })).status).to.equal(404);
    expect((await outsider.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', outsider.token)).status).to.equal(404);
    expect(
      (await outsider.agent.post(`/api/v1/units/${nd}/checks`).set('x-csrf-token', outsider.token).send({ formId: 'kiem-tra-thu', checkDate: '2026-03-02' }))
        .status,
    ).to.equal(404);
    expect((await outsider.agent.get(`/units/${nd}/checks`)).status).to.equal(404);
    // A viewer of the province reads the check but may not answer it.
    expect((await viewer.agent.get(`/api/v1/checks/${id}`)).status).to.equal(200);
    expect((await put(viewer, id, 'i-yes', { value: 'yes' })).status).to.equal(404);
    expect((await read(officer, id)).data.answers).to.deep.equal([]);
  });

  it('refuses an answer that does not fit the item (422) and stores nothing', async () => {
    const id = await plan();
    const bad: Array<[string, unknown, string]> = [
      ['i-yes', 'maybe', 'v.answer_yes_no_na'],
      ['i-scale', 7, 'v.answer_scale'],
      ['i-scale', '2.5', 'v.answer_scale'],
      ['i-num', 'mười', 'v.not_a_number'],
      ['i-num', 150, 'v.answer_range'],
      ['i-date', '2026-02-30', 'v.date'],
      ['i-choice', 'c', 'v.choose'],
    ];
    for (const [itemId, value, key] of bad) {
      const res = await put(officer, id, itemId, { value });
      expect(res.status, `${itemId} = ${String(value)}`).to.equal(422);
      expect((res.body as { error: { fields: Record<string, string> } }).error.fields.value).to.equal(viText(key));
    }
    expect((await put(officer, id, 'i-unknown', { value: 'yes' })).status).to.equal(404);
    expect((await read(officer, id)).data.answers).to.deep.equal([]);
    // The same values in their right form are taken, a decimal comma included.
    expect((await put(officer, id, 'i-num', { value: '12,5' })).status).to.equal(200);
    expect((await read(officer, id)).data.answers.find((a) => a.itemId === 'i-num')?.value).to.equal('12.5');
  });

  it('scores per section and overall from the weights: yes 1, no 0, n/a left out, scales brought to 0-1', async () => {
    const id = await plan();
    expect((await read(officer, id)).data.score.overall).to.equal(null);
    await put(officer, id, 'i-yes', { value: 'yes' });
    await put(officer, id, 'i-yn2', { value: 'no' });
    await put(officer, id, 'i-scale', { value: 2 });
    // s1: (3x1 + 1x0) / 4 = 75%; s2: 2 x (2-1)/(5-1) / 2 = 25%; overall (3 + 0.5) / 6 = 58.3%.
    let d = (await read(officer, id)).data;
    expect(d.score.sections).to.deep.equal({ s1: 75, s2: 25 });
    expect(d.score.overall).to.equal(58.3);
    const shown = await officer.agent.get(`/checks/${id}`);
    expect(shown.text, 'a decimal comma in Vietnamese').to.include('58,3%');
    expect(shown.text).to.include('75%');
    // Not applicable leaves the item out of the score.
    const res = await put(officer, id, 'i-yn2', { value: 'na' });
    expect((res.body as { data: { score: { sections: Record<string, number> } } }).data.score.sections.s1).to.equal(100);
    d = (await read(officer, id)).data;
    expect(d.score.overall).to.equal(Math.round((3.5 / 5) * 1000) / 10);
  });

  it('shows progress as answered items and mandatory items left', async () => {
    const id = await plan();
    await put(officer, id, 'i-yes', { value: 'yes', note: 'Có sổ theo dõi' });
    await put(officer, id, 'i-num', { value: 3 });
    const d = (await read(officer, id)).data;
    expect(d.progress).to.deep.include({ answered: 2, mandatoryLeft: 2, missing: ['i-yn2', 'i-scale'] });
    expect(d.answers.find((a) => a.itemId === 'i-yes')?.note).to.equal('Có sổ theo dõi');
    const shown = await officer.agent.get(`/checks/${id}`);
    expect(shown.text).to.include(escapeHtml(viText('checks.progress', { answered: 2, items: 7, left: 2 })));
  });

  it('two auditors saving different items at once both keep their answers', async () => {
    const id = await plan();
    const results = await Promise.all([
      put(officer, id, 'i-yes', { value: 'yes' }),
      put(inspector, id, 'i-scale', { value: 4 }),
      put(officer, id, 'i-yn2', { value: 'no' }),
      put(inspector, id, 'i-text', { value: 'Ghi nhận tại bộ phận một cửa' }),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200, 200]);
    const answers = (await read(officer, id)).data.answers;
    expect(Object.fromEntries(answers.map((a) => [a.itemId, [a.value, a.answeredBy]]))).to.deep.equal({
      'i-yes': ['yes', officer.userId],
      'i-scale': ['4', inspector.userId],
      'i-yn2': ['no', officer.userId],
      'i-text': ['Ghi nhận tại bộ phận một cửa', inspector.userId],
    });
  });

  it('the same item saved by two: the later wins and its author is told whose answer it replaced', async () => {
    const id = await plan();
    const first = await put(officer, id, 'i-yes', { value: 'no' });
    expect((first.body as { data: { replaced: unknown } }).data.replaced).to.equal(null);
    ctx().clock.advance(60_000);
    const second = await put(inspector, id, 'i-yes', { value: 'yes' });
    expect(second.status).to.equal(200);
    expect((second.body as { data: { replaced: { userId: number; fullName: string; value: string } } }).data.replaced).to.deep.include({
      userId: officer.userId,
      fullName: officer.fullName,
      value: 'no',
    });
    const answer = (await read(officer, id)).data.answers.find((a) => a.itemId === 'i-yes');
    expect(answer).to.deep.include({ value: 'yes', answeredBy: inspector.userId });
    // The earlier author hears of it in the inbox: which item, by whom, what they had answered.
    const told = async () =>
      (await officer.agent.get('/api/v1/notifications').set('Accept', 'application/json')).body as {
        data: Array<{ title: string; body: string; link: string; source: string }>;
      };
    const notes = (await told()).data.filter((n) => n.source === 'checks/answer-replaced' && n.link === `/checks/${id}#i-i-yes`);
    expect(notes).to.have.length(1);
    expect(notes[0]!.title).to.match(/^Câu trả lời của bạn đã được thay: .*\(Xã Nam Dong, \d\d\/\d\d\/\d{4}\)$/);
    expect(notes[0]!.body).to.equal(`${inspector.fullName} đã trả lời lại câu “Câu i-yes”. Trước đó bạn trả lời “no”.`);
    await put(officer, id, 'i-yes', { value: 'no' });
    await put(inspector, id, 'i-yes', { value: 'yes' });
    expect(
      (await told()).data.filter((n) => n.link === `/checks/${id}#i-i-yes`),
      'once per item and day',
    ).to.have.length(1);
    expect(
      (await ctx().db('notifications').where({ user_id: inspector.userId, source: 'checks/answer-replaced' }).count({ n: '*' }))[0]!.n,
      'the inspector was replaced once too',
    ).to.satisfy((n: unknown) => Number(n) === 1);
    // Saving one's own answer again replaces nobody.
    const again = await put(inspector, id, 'i-yes', { value: 'na' });
    expect((again.body as { data: { replaced: unknown } }).data.replaced).to.equal(null);
    // Both at the very same moment: neither fails, and exactly one answer is kept.
    const both = await Promise.all([put(officer, id, 'i-scale', { value: 1 }), put(inspector, id, 'i-scale', { value: 5 })]);
    expect(both.map((r) => r.status)).to.deep.equal([200, 200]);
    const rows = await ctx().db('check_answers').where({ check_id: id, item_id: 'i-scale' });
    expect(rows).to.have.length(1);
  });

  it('saves a section from the page without JavaScript, only the items changed on it', async () => {
    const id = await plan();
    const shown = await officer.agent.get(`/checks/${id}`);
    expect(shown.text).to.include(`action="/checks/${id}/sections/s1"`);
    // Meanwhile the inspector answers i-yn2 through the API.
    await put(inspector, id, 'i-yn2', { value: 'no' });
    // The officer's stale page still shows i-yn2 empty; he only answers i-yes.
    const res = await page(officer, `/checks/${id}/sections/s1`, {
      'a.i-yes': 'yes',
      'was.i-yes': '',
      'wasn.i-yes': '',
      'n.i-yes': 'Đủ hồ sơ',
      'was.i-yn2': '',
      'wasn.i-yn2': '',
      'n.i-yn2': '',
    });
    expect(res.status).to.equal(302);
    const answers = (await read(officer, id)).data.answers;
    expect(answers.find((a) => a.itemId === 'i-yes')).to.deep.include({ value: 'yes', note: 'Đủ hồ sơ', answeredBy: officer.userId });
    expect(answers.find((a) => a.itemId === 'i-yn2')).to.deep.include({ value: 'no', answeredBy: inspector.userId });
    // A bad value on the page: shown again with the message, nothing saved.
    const bad = await page(officer, `/checks/${id}/sections/s2`, { 'a.i-num': 'abc', 'was.i-num': '', 'a.i-date': '2026-01-05', 'was.i-date': '' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include(escapeHtml(viText('v.not_a_number')));
    expect((await read(officer, id)).data.answers.map((a) => a.itemId).sort()).to.deep.equal(['i-yes', 'i-yn2']);
    // The officer now changes i-yn2 on that stale page: his answer wins, and the page says whose it replaced.
    const at = (await ctx().db('check_answers').where({ check_id: id, item_id: 'i-yn2' }).first('answered_at')) as { answered_at: string };
    const over = await page(officer, `/checks/${id}/sections/s1`, { 'a.i-yn2': 'yes', 'was.i-yn2': '', 'wasn.i-yn2': '', 'n.i-yn2': '' });
    expect(over.status).to.equal(200);
    expect(over.text).to.include(escapeHtml(viText('checks.replaced', { item: 'Câu i-yn2', name: inspector.fullName, at: fmtTime(at.answered_at) })));
    expect((await read(officer, id)).data.answers.find((a) => a.itemId === 'i-yn2')).to.deep.include({ value: 'yes', answeredBy: officer.userId });
  });

  it("links a unit's page to its checks", async () => {
    const res = await viewer.agent.get(`/units/${nd}`);
    expect(res.text).to.include(`href="/units/${nd}/checks"`);
  });

  it('refuses to submit while mandatory items are unanswered, and lists them', async () => {
    const id = await plan();
    await put(officer, id, 'i-yes', { value: 'yes' });
    const api = await officer.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', officer.token);
    expect(api.status).to.equal(422);
    expect((api.body as { error: { code: string; fields: Record<string, string> } }).error.code).to.equal('CHECK_INCOMPLETE');
    expect(Object.keys((api.body as { error: { fields: Record<string, string> } }).error.fields)).to.deep.equal(['i-yn2', 'i-scale']);
    const pg = await page(officer, `/checks/${id}/submit`, {});
    expect(pg.status).to.equal(422);
    expect(pg.text).to.include(escapeHtml(viText('checks.missing')));
    expect(pg.text).to.include('Câu i-yn2');
    expect(pg.text).to.include('Câu i-scale');
    const d = (await read(officer, id)).data;
    expect(d.status).to.equal('in_progress');
    expect(d.findings).to.deep.equal([]);
  });

  it('on submit raises findings from the answers as the form says, then locks the answers', async () => {
    const id = await plan();
    await put(officer, id, 'i-yes', { value: 'yes' });
    await put(officer, id, 'i-yn2', { value: 'no' });
    await put(inspector, id, 'i-scale', { value: 2 });
    await put(inspector, id, 'i-date', { value: '2024-12-01' });
    const res = await inspector.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', inspector.token);
    expect(res.status, res.text).to.equal(200);
    const d = (await read(officer, id)).data;
    expect(d.status).to.equal('submitted');
    expect(d.findings.map((f) => [f.itemId, f.severity, f.clauseRef])).to.deep.equal([
      ['i-yn2', 'minor', '7.5'],
      ['i-scale', 'observation', '9.1.2'],
      ['i-text', 'observation', '7.4'],
      ['i-date', 'minor', '9.3'],
    ]);
    const shown = await officer.agent.get(`/checks/${id}`);
    expect(shown.text).to.include(escapeHtml(viText('checks.severities.minor')));
    expect(shown.text).to.include('<code>9.1.2</code>');
    expect(shown.text).not.to.include(viText('checks.save_section'));

    const locked = await put(officer, id, 'i-yes', { value: 'no' });
    expect(locked.status).to.equal(409);
    expect((locked.body as { error: { code: string } }).error.code).to.equal('CHECK_LOCKED');
    const lockedPage = await page(officer, `/checks/${id}/sections/s1`, { 'a.i-yes': 'no', 'was.i-yes': 'yes' });
    expect(lockedPage.status).to.equal(409);
    expect((await officer.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', officer.token)).status).to.equal(409);
    expect((await read(officer, id)).data.answers.find((a) => a.itemId === 'i-yes')?.value).to.equal('yes');
    expect(await ctx().db('check_findings').where('check_id', id)).to.have.length(4);
    const logged = (await ctx().db('audit_log').where({ entity: 'check', entity_id: id }).orderBy('id').select('action', 'user_id')) as Array<{
      action: string;
      user_id: number;
    }>;
    expect(logged.map((e) => [e.action, Number(e.user_id)])).to.deep.equal([
      ['create', officer.userId],
      ['submit', inspector.userId],
    ]);
  });

  it('answers the bundled iso-internal-audit form and raises its major finding with the clause', async () => {
    const res = await officer.agent
      .post(`/api/v1/units/${nd}/checks`)
      .set('x-csrf-token', officer.token)
      .send({ formId: 'iso-internal-audit', checkDate: '2026-03-02' });
    expect(res.status, res.text).to.equal(201);
    const id = (res.body as { data: { id: number } }).data.id;
    const values: Record<string, string | number> = { 'c4-3-scope': 'no', 'c6-2-achieved': 100, 'c8-1-deviations': 0, 'c10-2-overdue': 2 };
    for (const s of internalAuditForm.sections) {
      for (const it of s.items.filter((i) => i.mandatory)) {
        const value = values[it.id] ?? ({ 'yes-no-na': 'yes', scale: 5, date: '2026-01-10', number: 0 } as Record<string, string | number>)[it.answer.type];
        const saved = await put(officer, id, it.id, { value });
        expect(saved.status, `${it.id}: ${saved.text}`).to.equal(200);
      }
    }
    expect((await read(officer, id)).data.progress.mandatoryLeft).to.equal(0);
    const submitted = await officer.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', officer.token);
    expect(submitted.status, submitted.text).to.equal(200);
    const findings = (await read(officer, id)).data.findings.map((f) => [f.itemId, f.severity, f.clauseRef]);
    expect(findings).to.deep.include(['c4-3-scope', 'major', '4.3']);
    expect(findings).to.deep.include(['c10-2-overdue', 'minor', internalAuditForm.sections.flatMap((s) => s.items).find((i) => i.id === 'c10-2-overdue')!.ref]);
  });
});
