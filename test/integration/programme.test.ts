import { expect } from 'chai';
import { pino } from 'pino';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import type { FormDefinition } from '../../src/plugins/contract.ts';
import { PluginRegistry } from '../../src/plugins/registry.ts';
import { forEachDatabase, makeAgent, testPassword, type Agent, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml } from '../fixtures/http.ts';
import { findingsForm, insertCheck, viActions } from '../fixtures/actions-data.ts';

interface Who {
  agent: Agent;
  csrf: string;
}

const counterForm = { ...findingsForm, id: 'one-stop-shop', title: { vi: 'Kiểm tra bộ phận một cửa', en: 'One-stop shop check' } } as FormDefinition;

forEachDatabase('yearly audit programme: planned items, what was done, print', (ctx) => {
  let c: TestContext;
  let built: BuiltApp;
  let cj: number;
  let nd: number;
  let et: number;
  let coordinator: Who;
  let officer: Who;
  let viewer: Who;

  async function who(role: Parameters<TestContext['userWith']>[0], unit: string): Promise<Who> {
    const u = await c.userWith(role, unit);
    const agent = makeAgent(built);
    const token = await agent.csrf();
    const res = await agent.post('/login').type('form').send({ username: u.username, password: testPassword, _csrf: token });
    expect(res.status).to.equal(302);
    return { agent, csrf: await csrfOfSignedIn(agent) };
  }
  const form = (w: Who, url: string, body: Record<string, string>) =>
    w.agent
      .post(url)
      .type('form')
      .send({ ...body, _csrf: w.csrf });
  const items = async () =>
    (await c.db('audit_programme_items').orderBy('id').select('id', 'unit_id', 'planned_month', 'form_id')) as Array<{
      id: number;
      unit_id: number;
      planned_month: number;
      form_id: string;
    }>;

  before(async () => {
    c = ctx();
    await seedTree(c);
    const registry = new PluginRegistry([
      {
        id: 'iso-internal-audit',
        dir: '',
        status: 'loaded',
        settings: {},
        forms: [findingsForm as FormDefinition],
        reminders: [],
        documents: [],
        migrationsApplied: [],
      },
      { id: 'one-stop-shop', dir: '', status: 'loaded', settings: {}, forms: [counterForm], reminders: [], documents: [], migrationsApplied: [] },
    ]);
    built = buildApp({
      config: c.config,
      db: c.db,
      clock: c.clock,
      logger: pino({ level: 'silent' }),
      sessionSecret: 'test-secret-test-secret-test-secret-0123',
      plugins: registry,
    });
    cj = await c.unitId('DNO-CJ');
    nd = await c.unitId('DNO-CJ-ND');
    et = await c.unitId('DNO-CJ-ET');
    coordinator = await who('coordinator', 'DNO');
    officer = await who('officer', 'DNO-CJ-ND');
    viewer = await who('viewer', 'DNO-CJ');
  });

  it('plans items for the units of a district and matches each to the check done in its month', async () => {
    for (const body of <Array<Record<string, string>>>[
      { unitCode: 'DNO-CJ-ND', plannedMonth: '3', formId: 'iso-internal-audit', note: 'Đánh giá toàn bộ HTQLCL' },
      { unitCode: 'DNO-CJ-ET', plannedMonth: '3', formId: 'iso-internal-audit' },
      { unitCode: 'DNO-CJ-ND', plannedMonth: '6', formId: 'one-stop-shop' },
    ])
      expect((await form(coordinator, `/units/${cj}/programme/2026/items`, body)).status).to.equal(302);
    expect((await items()).map((i) => [i.unit_id, i.planned_month, i.form_id])).to.deep.equal([
      [nd, 3, 'iso-internal-audit'],
      [et, 3, 'iso-internal-audit'],
      [nd, 6, 'one-stop-shop'],
    ]);

    const done = await insertCheck(c.db, nd, { checkDate: '2026-03-20', score: 87 });
    await insertCheck(c.db, nd, { checkDate: '2026-04-02' }); // the wrong month
    await insertCheck(c.db, et, { checkDate: '2026-03-05', formId: 'one-stop-shop' }); // the wrong form
    const page = await viewer.agent.get(`/units/${cj}/programme/2026`);
    expect(page.status).to.equal(200);
    const rows = page.text.split('<tr id="item-').slice(1);
    expect(rows).to.have.length(3);
    expect(rows[0]).to.include(`<a href="/checks/${done}">${viActions('programme.done_link', { date: '20/03/2026' })}</a>`);
    expect(rows[0]).to.include('87%');
    expect(rows[1]).to.include(viActions('programme.not_done'));
    expect(rows[2]).to.include(viActions('programme.not_done'));
    expect(page.text, 'a viewer has no add form').not.to.include('/programme/2026/items"');

    const print = await viewer.agent.get(`/units/${cj}/programme/2026/print`);
    expect(print.status).to.equal(200);
    expect(print.text).to.include('<link rel="stylesheet" href="/static/print.css">');
    expect(print.text).to.include(viActions('programme.title', { year: 2026 }).toUpperCase());
    expect(print.text).to.include(viActions('programme.done_link', { date: '20/03/2026' }));
  });

  it('refuses a unit outside the programme, a month out of range and an unknown form, keeping the values', async () => {
    const before = await items();
    const outside = await form(officer, `/units/${nd}/programme/2026/items`, {
      unitCode: 'DNO-CJ-ET',
      plannedMonth: '13',
      formId: 'khong-co',
      note: 'Ghi chú đã gõ',
    });
    expect(outside.status).to.equal(422);
    expect(outside.text).to.include(escapeHtml(viActions('v.programme_unit_unknown')));
    expect(outside.text).to.include(escapeHtml(viActions('v.programme_month')));
    expect(outside.text).to.include(escapeHtml(viActions('v.programme_form_unknown')));
    expect(outside.text).to.include('Ghi chú đã gõ');
    expect(
      (await form(officer, `/units/${nd}/programme/2026/items`, { unitCode: 'LCA-TU-PK', plannedMonth: '2', formId: 'iso-internal-audit' })).status,
    ).to.equal(422);
    expect(await items()).to.deep.equal(before);
    expect((await viewer.agent.get(`/units/${cj}/programme/abcd`)).status).to.equal(404);
    expect(
      (await form(viewer, `/units/${cj}/programme/2026/items`, { unitCode: 'DNO-CJ-ND', plannedMonth: '2', formId: 'iso-internal-audit' })).status,
    ).to.equal(404);
  });

  it('removes an item with an audit row, and only from its own programme', async () => {
    const [first] = await items();
    expect((await form(officer, `/units/${nd}/programme/2026/items/${first!.id}/delete`, {})).status, 'the item is in the district programme').to.equal(404);
    expect((await form(coordinator, `/units/${cj}/programme/2026/items/${first!.id}/delete`, {})).status).to.equal(302);
    expect((await items()).map((i) => i.id)).not.to.include(first!.id);
    const log = await c.db('audit_log').where({ entity: 'audit_programme_item', entity_id: first!.id }).orderBy('id').select('action');
    expect(log.map((l: { action: string }) => l.action)).to.deep.equal(['create', 'delete']);
  });

  it("opens this year's programme from the unit link", async () => {
    const res = await viewer.agent.get(`/units/${cj}/programme`);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/units/${cj}/programme/2026`);
  });
});
