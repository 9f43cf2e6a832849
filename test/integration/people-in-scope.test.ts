import { expect } from 'chai';
import type request from 'supertest';
import type { BuiltApp } from '../../src/app.ts';
import { forEachDatabase, type TestContext } from '../helpers/app.ts';
import { buildWorld, form, post, put, viHtml, viMsg, type World } from '../fixtures/inspections-world.ts';
import { buildChecksApp, person, type Person as CheckPerson } from '../fixtures/checks-setup.ts';
import { insertAction, insertCheck, insertFinding } from '../fixtures/actions-data.ts';

/**
 * Every field that names a person (check auditors, a team's leader and members, a corrective
 * action's owner) finds only people holding a role in scope, answers "not found" alike for an
 * unknown name, someone of another province and the administrator, and never shows the full name
 * of someone out of scope.
 */

const refusal = viMsg('v.person_not_in_scope');
/** The 422 body without its request id, which differs on every request. */
const bodyOf = (res: request.Response) => ({ ...(res.body as { error: Record<string, unknown> }).error, requestId: undefined });
const count = async (c: TestContext, table: string) => Number(((await c.db(table).count({ n: '*' }).first()) as { n: unknown }).n);

forEachDatabase('people named in a field are found only in scope', (ctx) => {
  let c: TestContext;
  let w: World;
  /** Someone of the other province (Lai Châu), and their full name that must never show. */
  let lcaInspector: { id: number; username: string; fullName: string };
  let lcaOfficer: { id: number; username: string; fullName: string };
  let rootId: number;

  before(async function () {
    this.timeout(60_000);
    c = ctx();
    w = await buildWorld(c);
    const a = await c.userWith('inspector', 'LCA', 'lca-thanh-tra');
    lcaInspector = { id: a.user.id, username: a.username, fullName: a.user.fullName };
    const b = await c.userWith('officer', 'LCA-TU-PK', 'lca-can-bo');
    lcaOfficer = { id: b.user.id, username: b.username, fullName: b.user.fullName };
    rootId = Number(((await c.db('users').where('username', 'root').first('id')) as { id: number }).id);
  });

  const outsiders = () => [lcaInspector.username, 'khong-co-ai', 'root'];
  const noLeak = (res: request.Response) => {
    for (const name of [lcaInspector.fullName, lcaOfficer.fullName]) expect(res.text, `${name} must not show`).not.to.include(name);
  };

  describe("a team's leader and members", () => {
    const team = (leader: string, members = '') => ({ unitId: w.dno, name: 'Tổ thử phạm vi', year: 2026, leader, members, units: 'DNO-CJ' });

    it('refuses a leader of another province, an unknown name and root with the same answer, and forms no team', async () => {
      const before = await count(c, 'inspection_teams');
      const bodies = [];
      for (const leader of outsiders()) {
        const res = await post(w.coordinator, '/api/v1/teams', team(leader));
        expect(res.status, leader).to.equal(422);
        noLeak(res);
        bodies.push(bodyOf(res));
      }
      expect(bodies[0]).to.deep.include({ code: 'VALIDATION_FAILED', fields: { leader: refusal } });
      expect(bodies[1]).to.deep.equal(bodies[0]);
      expect(bodies[2]).to.deep.equal(bodies[0]);
      const members = [];
      for (const m of outsiders()) {
        const res = await post(w.coordinator, '/api/v1/teams', team(w.inspector.username, `${w.member.username}, ${m}`));
        expect(res.status, m).to.equal(422);
        noLeak(res);
        members.push(bodyOf(res));
      }
      expect(members[0]).to.deep.include({ fields: { members: refusal } });
      expect(members[1]).to.deep.equal(members[0]);
      expect(members[2]).to.deep.equal(members[0]);
      expect(await count(c, 'inspection_teams')).to.equal(before);
    });

    it("marks the field on the page and keeps what was typed, without the outsider's full name", async () => {
      const res = await form(w.coordinator, '/teams', {
        unitId: String(w.dno),
        name: 'Tổ thử phạm vi',
        year: '2026',
        leader: lcaInspector.username,
        members: '',
        units: 'DNO-CJ',
      });
      expect(res.status).to.equal(422);
      expect(res.text).to.include(viHtml('v.person_not_in_scope'));
      expect(res.text).to.include(`value="${lcaInspector.username}"`);
      noLeak(res);
    });

    it("lets the other province's coordinator put nobody of Đắk Nông in a team, so that inspector never reads it", async () => {
      const res = await post(w.outsider, '/api/v1/teams', {
        unitId: await c.unitId('LCA'),
        name: 'Tổ Lai Châu',
        year: 2026,
        leader: w.inspector.username,
        members: w.member.username,
        units: 'LCA-TU-PK',
      });
      expect(res.status).to.equal(422);
      expect(bodyOf(res)).to.deep.include({ fields: { leader: refusal, members: refusal } });
      expect(res.text).not.to.include(w.inspector.fullName);
      expect(res.text).not.to.include(w.member.fullName);
      const seen = await w.inspector.agent.get('/api/v1/teams');
      expect(seen.text).not.to.include('Tổ Lai Châu');
    });

    it('forms a team with a leader and members of the province', async () => {
      const res = await post(w.coordinator, '/api/v1/teams', team(w.inspector.username, w.loneInspector.username));
      expect(res.status, res.text).to.equal(201);
      const names = (res.body.data.members as Array<{ fullName: string }>).map((m) => m.fullName);
      expect(names).to.have.members([w.inspector.fullName, w.loneInspector.fullName]);
    });

    it('hides a member of another province already stored in a team, and that member cannot read it', async () => {
      await c.db('inspection_team_members').insert({ team_id: w.teamId, user_id: lcaInspector.id, is_leader: false });
      for (const res of [
        await w.coordinator.agent.get(`/api/v1/teams/${w.teamId}`),
        await w.coordinator.agent.get(`/teams/${w.teamId}`),
        await w.coordinator.agent.get(`/teams/${w.teamId}/edit`),
        await w.coordinator.agent.get('/teams'),
      ]) {
        expect(res.status).to.equal(200);
        expect(res.text.includes(w.inspector.fullName) || res.text.includes(`value="${w.inspector.username}"`), 'the leader still shows').to.equal(true);
        noLeak(res);
        expect(res.text).not.to.include(lcaInspector.username);
      }
      const lca = await c.signIn(lcaInspector.username, 'mat-khau-thu-nghiem-1');
      expect((await lca.get(`/teams/${w.teamId}`)).status).to.equal(404);
      expect((await lca.get('/api/v1/teams')).text).not.to.include('Tổ kiểm tra công vụ số 1');
      await c.db('inspection_team_members').where({ team_id: w.teamId, user_id: lcaInspector.id }).delete();
    });
  });

  describe('the auditors of a check', () => {
    let app: BuiltApp;
    let officer: CheckPerson;
    let auditor: CheckPerson;
    let nd: number;
    before(async () => {
      app = buildChecksApp(c);
      officer = await person(c, app, 'officer', 'DNO-CJ-ND');
      auditor = await person(c, app, 'inspector', 'DNO-SKHCN');
      nd = w.nd;
    });
    const plan = (extra: Record<string, unknown>) =>
      officer.agent
        .post(`/api/v1/units/${nd}/checks`)
        .set('x-csrf-token', officer.token)
        .send({ formId: 'kiem-tra-chu-ky', formVersion: 1, checkDate: '2026-03-10', kind: 'planned', ...extra });

    it('refuses an auditor of another province, an unknown name and root alike, by name and by id, and plans nothing', async () => {
      const before = await count(c, 'checks');
      const byName = [];
      for (const n of outsiders()) {
        const res = await plan({ auditors: n });
        expect(res.status, n).to.equal(422);
        noLeak(res);
        byName.push(bodyOf(res));
      }
      expect(byName[0]).to.deep.include({ code: 'VALIDATION_FAILED', fields: { auditors: refusal } });
      expect(byName[1]).to.deep.equal(byName[0]);
      expect(byName[2]).to.deep.equal(byName[0]);
      const byId = [];
      for (const id of [lcaOfficer.id, 2 ** 31 - 1, rootId]) {
        const res = await plan({ auditorIds: [id] });
        expect(res.status, String(id)).to.equal(422);
        byId.push(bodyOf(res));
      }
      expect(byId[0]).to.deep.include({ fields: { auditorIds: refusal } });
      expect(byId[1]).to.deep.equal(byId[0]);
      expect(byId[2]).to.deep.equal(byId[0]);
      expect(await count(c, 'checks')).to.equal(before);
    });

    it('marks the auditors field on the page and keeps what was typed', async () => {
      const res = await officer.agent
        .post(`/units/${nd}/checks`)
        .type('form')
        .send({ form: 'kiem-tra-chu-ky@1', checkDate: '2026-03-10', kind: 'planned', auditors: lcaOfficer.username, _csrf: officer.token });
      expect(res.status).to.equal(422);
      expect(res.text).to.include(viHtml('v.person_not_in_scope'));
      expect(res.text).to.include(`value="${lcaOfficer.username}"`);
      noLeak(res);
    });

    it('plans a check with an auditor of another unit of the same province', async () => {
      const res = await plan({ auditors: auditor.username });
      expect(res.status, res.text).to.equal(201);
      const shown = await officer.agent.get(`/checks/${res.body.data.id}`);
      expect(shown.text).to.include(auditor.fullName);
    });
  });

  describe('the owner of a corrective action', () => {
    let finding: number;
    before(async () => {
      finding = await insertFinding(c.db, await insertCheck(c.db, w.nd), 'minor');
    });
    const body = (extra: Record<string, unknown>) => ({ cause: 'Chưa lưu hồ sơ', action: 'Lập danh mục hồ sơ', dueDate: '2026-04-30', ...extra });

    it('refuses an owner of another province, an unknown name and root alike, and records no action', async () => {
      const before = await count(c, 'corrective_actions');
      const byName = [];
      for (const n of [lcaOfficer.username, 'khong-co-ai', 'root']) {
        const res = await post(w.officerNd, `/api/v1/findings/${finding}/actions`, body({ owner: n }));
        expect(res.status, n).to.equal(422);
        noLeak(res);
        byName.push(bodyOf(res));
      }
      expect(byName[0]).to.deep.include({ code: 'VALIDATION_FAILED', fields: { owner: refusal } });
      expect(byName[1]).to.deep.equal(byName[0]);
      expect(byName[2]).to.deep.equal(byName[0]);
      const byId = [];
      for (const id of [lcaOfficer.id, 2 ** 31 - 1, rootId]) {
        const res = await post(w.officerNd, `/api/v1/findings/${finding}/actions`, body({ ownerId: id }));
        expect(res.status, String(id)).to.equal(422);
        byId.push(bodyOf(res));
      }
      expect(byId[0]).to.deep.include({ fields: { ownerId: refusal } });
      expect(byId[1]).to.deep.equal(byId[0]);
      expect(byId[2]).to.deep.equal(byId[0]);
      expect(await count(c, 'corrective_actions')).to.equal(before);
    });

    it('refuses an out-of-scope owner when an action is edited, and keeps the owner it had', async () => {
      const id = await insertAction(c.db, finding, w.leaderNd.userId);
      const res = await put(w.officerNd, `/api/v1/actions/${id}`, body({ ownerId: rootId, version: 1 }));
      expect(res.status).to.equal(422);
      expect(bodyOf(res)).to.deep.include({ fields: { ownerId: refusal } });
      expect(Number(((await c.db('corrective_actions').where('id', id).first('owner_id')) as { owner_id: number }).owner_id)).to.equal(w.leaderNd.userId);
    });

    it('marks the owner field on the page, keeps what was typed, and suggests nobody of another province', async () => {
      const res = await form(w.officerNd, `/findings/${finding}/actions`, { cause: 'x', action: 'y', owner: lcaOfficer.username, dueDate: '2026-04-30' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include(viHtml('v.person_not_in_scope'));
      expect(res.text).to.include(`value="${lcaOfficer.username}"`);
      noLeak(res);
    });

    it('gives an action to a leader of the unit', async () => {
      const res = await post(w.officerNd, `/api/v1/findings/${finding}/actions`, body({ owner: w.leaderNd.username }));
      expect(res.status, res.text).to.equal(201);
      expect(res.text).to.include(w.leaderNd.fullName);
    });
  });
});
