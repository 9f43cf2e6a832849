import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { forEachDatabase, type Agent, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml } from '../fixtures/http.ts';
import { insertAction, insertCheck, insertFinding, viActions } from '../fixtures/actions-data.ts';

interface Who {
  agent: Agent;
  csrf: string;
  id: number;
  username: string;
}

forEachDatabase('corrective actions: life cycle, closing rule, lists, API', (ctx) => {
  let c: TestContext;
  let nd: number;
  let et: number;
  let officer: Who;
  let leader: Who;
  let owner: Who;
  let coordinator: Who;
  let outsider: Who;
  let checkId: number;

  async function who(role: Parameters<TestContext['userWith']>[0], unit: string | null): Promise<Who> {
    const u = await c.userWith(role, unit);
    const agent = await c.signIn(u.username, u.password);
    return { agent, csrf: await csrfOfSignedIn(agent), id: u.user.id, username: u.username };
  }
  const api = (w: Who, method: 'get' | 'post' | 'put', url: string, body?: Record<string, unknown>) => {
    const req = w.agent[method](url).set('x-csrf-token', w.csrf);
    return body ? req.send(body) : req;
  };
  const form = (w: Who, url: string, body: Record<string, string>) =>
    w.agent
      .post(url)
      .type('form')
      .send({ ...body, _csrf: w.csrf });
  const actionBody = (extra: Record<string, unknown> = {}) => ({
    cause: 'Chưa phân công người lưu hồ sơ',
    action: 'Phân công cán bộ và lập danh mục hồ sơ',
    ownerId: owner.id,
    dueDate: '2026-04-15',
    ...extra,
  });
  const auditRows = async (entity: string, id: number) =>
    (await c.db('audit_log').where({ entity, entity_id: id }).orderBy('id').select('action', 'after')) as Array<{ action: string; after: string }>;

  before(async () => {
    c = ctx();
    await seedTree(c);
    nd = await c.unitId('DNO-CJ-ND');
    et = await c.unitId('DNO-CJ-ET');
    officer = await who('officer', 'DNO-CJ-ND');
    leader = await who('leader', 'DNO-CJ-ND');
    owner = await who('viewer', 'DNO-CJ-ND');
    coordinator = await who('coordinator', 'DNO');
    outsider = await who('officer', 'LCA-TU-PK');
    checkId = await insertCheck(c.db, nd, { checkDate: '2026-03-02' });
  });

  it('refuses an action due before the finding, naming the field, and records nothing', async () => {
    const finding = await insertFinding(c.db, checkId, 'minor');
    const res = await api(officer, 'post', `/api/v1/findings/${finding}/actions`, actionBody({ dueDate: '2026-03-01' }));
    expect(res.status).to.equal(422);
    expect(res.body.error.fields.dueDate).to.equal(viActions('v.actions_due_before', { date: '02/03/2026' }));
    const page = await form(officer, `/findings/${finding}/actions`, {
      cause: 'Nguyên nhân đã gõ',
      action: 'Hành động đã gõ',
      owner: owner.username,
      dueDate: '2026-02-28',
    });
    expect(page.status).to.equal(422);
    expect(page.text).to.include(escapeHtml(viActions('v.actions_due_before', { date: '02/03/2026' })));
    expect(page.text, 'the typed values are kept').to.include('Nguyên nhân đã gõ');
    expect(await c.db('corrective_actions').where('finding_id', finding).count({ n: '*' })).to.deep.equal([{ n: c.dialect === 'postgres' ? '0' : 0 }]);
  });

  it('refuses an owner who holds no role on the unit', async () => {
    const finding = await insertFinding(c.db, checkId, 'minor');
    const res = await api(officer, 'post', `/api/v1/findings/${finding}/actions`, actionBody({ ownerId: outsider.id }));
    expect(res.status).to.equal(422);
    expect(res.body.error.fields).to.have.property('ownerId');
    const page = await form(officer, `/findings/${finding}/actions`, { cause: 'x', action: 'y', owner: 'khong-co-ai', dueDate: '2026-04-01' });
    expect(page.status).to.equal(422);
    expect(page.text).to.include(escapeHtml(viActions('v.person_not_in_scope')));
  });

  it('follows open, in progress, done, reopened, done, verified, with each move in the audit log', async () => {
    const finding = await insertFinding(c.db, checkId, 'major');
    const created = await api(officer, 'post', `/api/v1/findings/${finding}/actions`, actionBody());
    expect(created.status, created.text).to.equal(201);
    const id = created.body.data.id as number;
    expect(created.body.data.status).to.equal('open');
    const move = (w: Who, to: string, note?: string) => api(w, 'post', `/api/v1/actions/${id}/transition`, { to, ...(note ? { note } : {}) });

    expect((await move(owner, 'done')).status, 'open cannot jump to done').to.equal(409);
    const notOwner = await move(leader, 'in_progress');
    expect(notOwner.status, 'a leader who is not the owner sees the action but does not do the work').to.equal(403);
    expect(notOwner.body.error.code).to.equal('ACTION_NOT_OWNER');
    expect((await move(owner, 'in_progress')).body.data.status).to.equal('in_progress');
    expect((await move(owner, 'done')).body.data.status).to.equal('done');
    const self = await move(owner, 'verified');
    expect(self.status, 'a viewer holds no right to verify at all').to.equal(404);
    const reopenBare = await move(leader, 'reopened');
    expect(reopenBare.status).to.equal(422);
    expect(reopenBare.body.error.fields.note).to.equal(viActions('v.actions_reopen_note'));
    const reopened = await move(leader, 'reopened', 'Hồ sơ tháng 3 vẫn chưa có trong danh mục');
    expect(reopened.body.data.status).to.equal('reopened');
    expect(reopened.body.data.verificationNote).to.equal('Hồ sơ tháng 3 vẫn chưa có trong danh mục');
    expect((await move(owner, 'in_progress')).body.data.status).to.equal('in_progress');
    expect((await move(owner, 'done')).body.data.status).to.equal('done');
    const verified = await move(leader, 'verified', 'Đã kiểm tra danh mục hồ sơ');
    expect(verified.body.data.status).to.equal('verified');
    expect(verified.body.data.moves).to.deep.equal([]);
    expect((await move(leader, 'reopened', 'muộn')).status, 'verified is the end').to.equal(409);

    const log = await auditRows('corrective_action', id);
    expect(log.map((r) => r.action)).to.deep.equal(['create', 'transition', 'transition', 'transition', 'transition', 'transition', 'transition']);
    expect(log.slice(1).map((r) => (JSON.parse(r.after) as { status: string }).status)).to.deep.equal([
      'in_progress',
      'done',
      'reopened',
      'in_progress',
      'done',
      'verified',
    ]);
  });

  it('never lets the owner verify their own action, even one who may verify others', async () => {
    const finding = await insertFinding(c.db, checkId, 'minor');
    const id = await insertAction(c.db, finding, leader.id, { status: 'done' });
    const res = await api(leader, 'post', `/api/v1/actions/${id}/transition`, { to: 'verified' });
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('ACTION_SELF_VERIFY');
    expect(res.body.error.message).to.equal(viActions('errors.ACTION_SELF_VERIFY'));
    const page = await form(leader, `/actions/${id}/transition`, { to: 'verified' });
    expect(page.status).to.equal(403);
    expect(page.text).to.include(escapeHtml(viActions('errors.ACTION_SELF_VERIFY')));
    expect((await c.db('corrective_actions').where('id', id).first('status')).status).to.equal('done');
    expect((await api(officer, 'post', `/api/v1/actions/${id}/transition`, { to: 'verified' })).body.data.status).to.equal('verified');
  });

  it('keeps a major finding open until every action is verified, and says which are not', async () => {
    const finding = await insertFinding(c.db, checkId, 'major');
    const none = await api(officer, 'post', `/api/v1/findings/${finding}/close`);
    expect(none.status, 'a major finding without any action').to.equal(422);
    const a1 = await insertAction(c.db, finding, owner.id, { status: 'verified' });
    const a2 = await insertAction(c.db, finding, owner.id, { status: 'done' });
    const refused = await form(officer, `/findings/${finding}/close`, {});
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include(escapeHtml(viActions('errors.FINDING_ACTIONS_UNVERIFIED', { n: 1, list: `#${a2} (Người dùng ${owner.username})` })));
    expect(refused.text).not.to.include(`#${a1} (`);
    expect((await c.db('check_findings').where('id', finding).first('status')).status).to.equal('open');
    await api(officer, 'post', `/api/v1/actions/${a2}/transition`, { to: 'verified' });
    const closed = await api(officer, 'post', `/api/v1/findings/${finding}/close`);
    expect(closed.status, closed.text).to.equal(200);
    expect(closed.body.data.status).to.equal('closed');
    expect((await api(officer, 'post', `/api/v1/findings/${finding}/close`)).status).to.equal(409);
    expect((await api(officer, 'post', `/api/v1/findings/${finding}/actions`, actionBody())).status, 'a closed finding takes no new action').to.equal(409);
    expect((await auditRows('finding', finding)).map((r) => r.action)).to.deep.equal(['close']);
  });

  it('closes a minor finding by hand whatever its actions', async () => {
    const finding = await insertFinding(c.db, checkId, 'minor');
    await insertAction(c.db, finding, owner.id, { status: 'in_progress' });
    const res = await form(officer, `/findings/${finding}/close`, {});
    expect(res.status).to.equal(302);
    const page = await officer.agent.get(`/findings/${finding}`);
    expect(page.text).to.include(viActions('actions.finding_statuses.closed'));
  });

  it('lets only managers record actions; a viewer reads, someone of another province finds nothing', async () => {
    const finding = await insertFinding(c.db, checkId, 'observation');
    expect((await api(owner, 'post', `/api/v1/findings/${finding}/actions`, actionBody())).status).to.equal(404);
    expect((await api(owner, 'get', `/api/v1/findings/${finding}`)).status).to.equal(200);
    expect((await api(outsider, 'get', `/api/v1/findings/${finding}`)).status).to.equal(404);
    const id = await insertAction(c.db, finding, owner.id);
    expect((await api(outsider, 'get', `/api/v1/actions/${id}`)).status).to.equal(404);
    expect((await api(outsider, 'post', `/api/v1/actions/${id}/transition`, { to: 'in_progress' })).status).to.equal(404);
    expect((await outsider.agent.get(`/findings/${finding}`)).status).to.equal(404);
    const list = await api(outsider, 'get', '/api/v1/actions');
    expect(list.body.data.map((a: { id: number }) => a.id)).not.to.include(id);
  });

  it('edits an action, keeping the due date rule, and refuses a stale version', async () => {
    const finding = await insertFinding(c.db, checkId, 'minor');
    const id = await insertAction(c.db, finding, owner.id);
    const bad = await form(officer, `/actions/${id}/edit`, {
      cause: 'Nguyên nhân mới',
      action: 'Hành động mới',
      owner: owner.username,
      dueDate: '2025-12-31',
      version: '1',
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Nguyên nhân mới');
    const ok = await form(officer, `/actions/${id}/edit`, {
      cause: 'Nguyên nhân mới',
      action: 'Hành động mới',
      owner: owner.username,
      dueDate: '2026-05-31',
      version: '1',
    });
    expect(ok.status).to.equal(302);
    const row = await c.db('corrective_actions').where('id', id).first('cause', 'due_date', 'version');
    expect(row).to.deep.include({ cause: 'Nguyên nhân mới', due_date: '2026-05-31' });
    expect((await api(officer, 'put', `/api/v1/actions/${id}`, actionBody({ version: 1 }))).status, 'saved over a newer version').to.equal(409);
  });

  it('lists overdue actions of the province in red with a label, filtered by status, severity and unit', async () => {
    const etCheck = await insertCheck(c.db, et, { checkDate: '2026-01-10' });
    const etFinding = await insertFinding(c.db, etCheck, 'major');
    const late = await insertAction(c.db, etFinding, coordinator.id, { dueDate: '2026-02-01', status: 'in_progress' });
    const doneLate = await insertAction(c.db, etFinding, coordinator.id, { dueDate: '2026-02-01', status: 'done' });
    const page = await coordinator.agent.get('/actions').query({ overdue: '1' });
    expect(page.status).to.equal(200);
    expect(page.text).to.match(
      new RegExp(`id="row-a-${late}" class=overdue[\\s\\S]*?<strong class="error overdue-label">${viActions('actions.overdue')}</strong>`),
    );
    expect(page.text, 'done work is not overdue').not.to.include(`row-a-${doneLate}"`);
    const byApi = await api(coordinator, 'get', '/api/v1/actions?overdue=1');
    expect(byApi.body.data.map((a: { id: number }) => a.id)).to.deep.equal([late]);
    expect(byApi.body.data[0].overdue).to.equal(true);
    expect((await api(coordinator, 'get', '/api/v1/actions?status=done')).body.data.map((a: { id: number }) => a.id)).to.include(doneLate);
    const ofNd = await api(coordinator, 'get', `/api/v1/actions?unit=${nd}`);
    expect(ofNd.body.data.map((a: { id: number }) => a.id)).not.to.include(late);
    const minor = await api(coordinator, 'get', '/api/v1/actions?severity=minor');
    expect(minor.body.data.every((a: { severity: string }) => a.severity === 'minor')).to.equal(true);
    // The officer of Nam Dong sees nothing of Ea T'ling.
    expect((await officer.agent.get('/actions').query({ overdue: '1' })).text).not.to.include(`row-a-${late}"`);
    // The same list, filtered alike, to Excel: one row per action, in Vietnamese.
    expect(page.text).to.include('href="/actions/export.xlsx?overdue=true"');
    const sheet = async (who: Who, q: Record<string, string>) => {
      const res = await who.agent
        .get('/actions/export.xlsx')
        .query(q)
        .buffer(true)
        .parse((r, cb) => {
          const parts: Buffer[] = [];
          r.on('data', (b: Buffer) => parts.push(b));
          r.on('end', () => cb(null, Buffer.concat(parts)));
        });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as ArrayBuffer);
      const rows: string[][] = [];
      wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
      return rows;
    };
    // What a user typed never becomes a formula in the file.
    await c.db('corrective_actions').where('id', late).update({ cause: '=HYPERLINK("http://x","bấm")' });
    const rows = await sheet(coordinator, { overdue: '1' });
    expect(rows[1]![4]).to.equal('\'=HYPERLINK("http://x","bấm")');
    expect(rows[0]).to.deep.equal([
      'Đơn vị',
      'Phát hiện',
      'Mức độ',
      'Đợt kiểm tra',
      'Phân tích nguyên nhân',
      'Hành động khắc phục',
      'Người thực hiện',
      'Hạn hoàn thành',
      'Trạng thái',
      'Quá hạn',
    ]);
    expect(rows.slice(1).map((r) => [r[7], r[8], r[9]])).to.deep.equal([['01/02/2026', 'Đang thực hiện', 'Quá hạn']]);
    expect((await sheet(officer, { overdue: '1' })).length, 'the officer of Nam Dong: the header row only').to.equal(1);
  });

  it('answers bad input with 422 or an empty list, never an error page', async () => {
    const finding = await insertFinding(c.db, checkId, 'minor');
    const id = await insertAction(c.db, finding, owner.id);
    for (const body of [
      { ...actionBody(), dueDate: '2026-13-01' },
      { ...actionBody(), cause: 'x'.repeat(4001) },
      { ...actionBody(), ownerId: 'abc' },
      { ...actionBody(), ownerId: 2 ** 40 },
      { ...actionBody(), cause: ['a', 'b'] },
      {},
    ]) {
      const res = await api(officer, 'post', `/api/v1/findings/${finding}/actions`, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).to.equal(422);
    }
    for (const body of [{ to: 123 }, { to: 'closed' }, {}, { to: 'in_progress', note: { a: 1 } }]) {
      expect((await api(officer, 'post', `/api/v1/actions/${id}/transition`, body)).status, JSON.stringify(body)).to.equal(422);
    }
    expect((await api(officer, 'post', '/api/v1/actions/99999999999/transition', { to: 'in_progress' })).status).to.equal(404);
    // A page leaves out a filter it cannot read; the API names it (422).
    for (const [q, field] of [
      ['page=-1', 'page'],
      ['status=open&status=done', 'status'],
      ['unit=abc', 'unit'],
      ['severity=fatal&overdue=maybe', 'severity'],
      ['page=99999999999', 'page'],
      ['pageSize=500', 'pageSize'],
    ]) {
      expect((await officer.agent.get(`/actions?${q}`)).status, q).to.equal(200);
      for (const list of ['findings', 'actions']) {
        const res = await api(officer, 'get', `/api/v1/${list}?${q}`);
        expect(res.status, `${list}?${q}`).to.equal(422);
        expect(res.body.error.fields, `${list}?${q}`).to.have.property(field!);
      }
    }
    const sized = await api(officer, 'get', '/api/v1/actions?pageSize=1');
    expect(sized.body.meta).to.include({ page: 1, pageSize: 1 });
    expect(sized.body.data).to.have.length(1);
    expect((await c.db('corrective_actions').where('finding_id', finding).select('id')).length).to.equal(1);
  });

  it('shows a unit its open findings and unfinished actions, and the API filters findings', async () => {
    const finding = await insertFinding(c.db, checkId, 'observation', 'i2');
    const page = await officer.agent.get(`/units/${nd}/actions`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include(`href="/findings/${finding}"`);
    const open = await api(officer, 'get', `/api/v1/findings?unit=${nd}&status=open&severity=observation`);
    expect(open.body.data.map((f: { id: number }) => f.id)).to.include(finding);
    expect(open.body.data.every((f: { status: string; severity: string }) => f.status === 'open' && f.severity === 'observation')).to.equal(true);
    const one = await api(officer, 'get', `/api/v1/findings/${finding}`);
    expect(one.body.data.itemText.vi).to.equal('Các bước được thực hiện như quy trình');
    const detail = await officer.agent.get(`/findings/${finding}`);
    expect(detail.text).to.include('Các bước được thực hiện như quy trình');
    // The unit's checks page shows what is still open, and how many actions are overdue.
    const late = await insertAction(c.db, finding, owner.id, { dueDate: '2026-01-15' });
    const overdue = Number((await api(officer, 'get', `/api/v1/actions?unit=${nd}&overdue=1&pageSize=1`)).body.meta.total);
    const checksPage = await officer.agent.get(`/units/${nd}/checks`);
    expect(checksPage.status).to.equal(200);
    const openWork = /<section class="card open-work"[\s\S]*?<\/section>/.exec(checksPage.text)![0];
    expect(openWork).to.include(`href="/findings/${finding}"`);
    expect(openWork).to.include(escapeHtml(viActions('checks.open_overdue', { n: overdue })));
    expect(openWork).to.include(`href="/units/${nd}/actions"`);
    await c.db('corrective_actions').where('id', late).update({ deleted_at: '2026-03-02T03:00:00.000Z' });
    // The owner field suggests the people of the unit (and above), not those of another province.
    expect(detail.text).to.include(`<option value="${owner.username}">`);
    expect(detail.text).to.include(`<option value="${coordinator.username}">`);
    expect(detail.text).not.to.include(`<option value="${outsider.username}">`);
  });
});
