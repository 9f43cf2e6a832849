import { expect } from 'chai';
import { pino } from 'pino';
import request from 'supertest';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { csrfOf, forEachDatabase, makeAgent, testConfig, testPassword, type Agent } from '../helpers/app.ts';
import { freshDb, type TestDb } from '../helpers/databases.ts';
import { seedTree } from '../fixtures/tree.ts';
import { alertOf, csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';

/** The message shown under one field (`<p class="error" id="f-<name>-err">`), as it is in the HTML. */
function fieldError(html: string, name: string): string | undefined {
  return new RegExp(`<p class="error" id="f-${name}-err">([^<]*)</p>`).exec(html)?.[1];
}

/** The value an input carries back to the user, as it is in the HTML. */
function inputValue(html: string, name: string): string | undefined {
  return new RegExp(`<input id="f-${name}" name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1];
}

const msg = (key: string, params: Record<string, string | number> = {}) => escapeHtml(viText(key, params));

async function signInTo(built: BuiltApp, username: string, password: string): Promise<{ agent: Agent; status: number }> {
  const agent = makeAgent(built);
  // The token first: a request picks up the agent's cookies when it is created.
  const token = await agent.csrf();
  const res = await agent.post('/login').type('form').send({ username, password, _csrf: token });
  return { agent, status: res.status };
}

forEachDatabase('forms: errors shown again, rules refused clearly, input kept exact', (ctx) => {
  let admin: Agent;
  let csrf: string;
  const units = async () => (await ctx().db('units').count({ n: '*' }))[0];

  before(async () => {
    await seedTree(ctx());
    admin = await ctx().signIn('root', testPassword);
    csrf = await csrfOfSignedIn(admin);
  });
  const post = (url: string, data: Record<string, string>) =>
    admin
      .post(url)
      .type('form')
      .send({ ...data, _csrf: csrf });

  describe('the unit form', () => {
    it('comes back with 422, the typed values and a Vietnamese message under each wrong field', async () => {
      const before = await units();
      const res = await post('/units', {
        parentId: String(await ctx().unitId('DNO')),
        code: 'ma co dau cach',
        name: '   ',
        kind: 'hanh-tinh',
        placeName: 'Nơi "đặt" <tên>',
        activeFrom: '2025-02-30',
        activeTo: '',
      });
      expect(res.status).to.equal(422);
      expect(alertOf(res.text)).to.equal(msg('errors.VALIDATION_FAILED'));
      expect(fieldError(res.text, 'code')).to.equal(msg('v.code_format'));
      expect(fieldError(res.text, 'name')).to.equal(msg('v.required'));
      expect(fieldError(res.text, 'activeFrom')).to.equal(msg('v.date'));
      expect(res.text).to.include(`<p class="error">${msg('v.choose')}</p>`);
      expect(fieldError(res.text, 'placeName')).to.equal(undefined);
      expect(inputValue(res.text, 'code')).to.equal('ma co dau cach');
      expect(inputValue(res.text, 'placeName')).to.equal(escapeHtml('Nơi "đặt" <tên>'));
      expect(inputValue(res.text, 'activeFrom')).to.equal('2025-02-30');
      expect(res.text).to.match(/<input id="f-code"[^>]*aria-invalid=true/);
      // Still the child form of the same parent, with its hidden field.
      expect(res.text).to.include(`name="parentId" value="${await ctx().unitId('DNO')}"`);
      expect(await units()).to.deep.equal(before);
    });

    it('refuses an end date before the start date on the end date', async () => {
      const res = await post('/units', {
        parentId: String(await ctx().unitId('DNO')),
        code: 'NGAY-1',
        name: 'Xã Ngày',
        kind: 'commune',
        activeFrom: '2025-07-01',
        activeTo: '2025-06-30',
      });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'activeTo')).to.equal(msg('v.date_order'));
      expect(inputValue(res.text, 'name')).to.equal('Xã Ngày');
    });

    it('comes back with 422 on the edit page too, keeping the code as typed', async () => {
      const id = await ctx().unitId('DNO-CJ-ET');
      const res = await post(`/units/${id}/edit`, { code: 'DNO-CJ-ET', name: '', kind: 'town' });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'name')).to.equal(msg('v.required'));
      expect(inputValue(res.text, 'code')).to.equal('DNO-CJ-ET');
      expect(((await ctx().db('units').where('id', id).first('name')) as { name: string }).name).to.equal("Thị trấn Ea T'ling");
    });

    it('refuses a duplicate code with a clear message and stores nothing', async () => {
      const before = await units();
      const res = await post('/units', { parentId: String(await ctx().unitId('DNO')), code: 'DNO-CJ', name: 'Huyện trùng mã', kind: 'district' });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'code')).to.equal(msg('v.code_taken'));
      expect(inputValue(res.text, 'name')).to.equal('Huyện trùng mã');
      expect(await units()).to.deep.equal(before);

      const edit = await post(`/units/${await ctx().unitId('DNO-SKHCN')}/edit`, { code: 'LCA', name: 'Sở Khoa học và Công nghệ', kind: 'department' });
      expect(edit.status).to.equal(422);
      expect(fieldError(edit.text, 'code')).to.equal(msg('v.code_taken'));
    });

    it('refuses a 5,000-character name with the limit message and stores nothing', async () => {
      const before = await units();
      const res = await post('/units', { parentId: String(await ctx().unitId('LCA')), code: 'DAI-1', name: 'Đ'.repeat(5000), kind: 'commune' });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'name')).to.equal(msg('v.too_long', { n: 300 }));
      expect(await units()).to.deep.equal(before);
      expect(await ctx().db('units').where('code', 'DAI-1').first()).to.equal(undefined);
    });

    it('refuses an unknown parent on the form, and an impossible one as not found, never with a 500', async () => {
      const before = await units();
      const unknown = await post('/units', { parentId: '999999', code: 'CHA-1', name: 'Xã mồ côi', kind: 'commune' });
      expect(unknown.status).to.equal(422);
      expect(unknown.text).to.include(`<p class="error">${msg('v.parent_unknown')}</p>`);
      // Not a number a unit could have: the hidden field was tampered with, so the page is not found.
      for (const parentId of ['99999999999', 'abc']) {
        const res = await post('/units', { parentId, code: 'CHA-2', name: 'Xã mồ côi', kind: 'commune' });
        expect(res.status, parentId).to.equal(404);
        expect(res.text, parentId).to.include(msg('errors.NOT_FOUND'));
      }
      expect(await units()).to.deep.equal(before);
    });
  });

  describe('names as typed', () => {
    const name = `<script>alert(1)</script> Xã "Đắk" R'Lấp 🌾`;
    const place = '<img src=x onerror=alert(2)>';
    let id: number;

    it('stores HTML, quotes and emoji exactly as typed, in NFC', async () => {
      const res = await post('/units', {
        parentId: String(await ctx().unitId('LCA')),
        code: 'KY-TU-1',
        name: name.normalize('NFD'),
        kind: 'commune',
        placeName: place,
      });
      expect(res.status).to.equal(302);
      id = Number(/^\/units\/(\d+)\?notice=created$/.exec(String(res.headers.location))?.[1]);
      const row = (await ctx().db('units').where('id', id).first('name', 'place_name')) as { name: string; place_name: string };
      expect(row.name).to.equal(name.normalize('NFC'));
      expect(row.place_name).to.equal(place);
    });

    it('shows them escaped on every page that names the unit', async () => {
      const pages = [`/units/${id}`, `/units/${id}/edit`, `/units/${await ctx().unitId('LCA')}`, '/units?q=KY-TU-1', `/audit?entity=unit&entityId=${id}`];
      for (const url of pages) {
        const page = await admin.get(url);
        expect(page.status, url).to.equal(200);
        expect(page.text, url).not.to.include('<script>alert(1)</script>');
        expect(page.text, url).not.to.include('<img src=x');
        expect(page.text, url).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
      const show = await admin.get(`/units/${id}`);
      expect(show.text).to.include(escapeHtml(name));
      expect(show.text).to.include('&#34;Đắk&#34; R&#39;Lấp 🌾');
      expect(show.text).to.include(escapeHtml(place));
      const api = await admin.get(`/api/v1/units/${id}`);
      expect((api.body as { data: { name: string } }).data.name).to.equal(name);
    });
  });

  describe('rules refused with a clear message', () => {
    it('refuses to move a unit under its own descendant, or under itself', async () => {
      const cj = await ctx().unitId('DNO-CJ');
      const pathBefore = ((await ctx().db('units').where('id', cj).first('path')) as { path: string }).path;
      for (const parentCode of ['DNO-CJ-ND', 'DNO-CJ']) {
        const res = await post(`/units/${cj}/move`, { parentCode });
        expect(res.status, parentCode).to.equal(422);
        expect(fieldError(res.text, 'parentCode'), parentCode).to.equal(msg('v.move_into_subtree'));
        expect(inputValue(res.text, 'parentCode')).to.equal(parentCode);
      }
      expect(((await ctx().db('units').where('id', cj).first('path')) as { path: string }).path).to.equal(pathBefore);
    });

    it('refuses a move under a code that does not exist', async () => {
      const res = await post(`/units/${await ctx().unitId('DNO-CJ')}/move`, { parentCode: 'KHONG-CO' });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'parentCode')).to.equal(msg('v.parent_unknown'));
    });

    it('refuses to merge a unit into itself, or an unknown code, and keeps what was typed', async () => {
      const nd = await ctx().unitId('DNO-CJ-ND');
      const self = await post(`/units/${nd}/merge`, { sources: 'DNO-CJ-ND', date: '2025-07-01' });
      expect(self.status).to.equal(422);
      expect(self.text).to.include(`id="f-sources-err">${msg('v.merge_self')}</p>`);
      expect(self.text).to.include('>DNO-CJ-ND</textarea>');

      const unknown = await post(`/units/${nd}/merge`, { sources: 'KHONG-CO', date: '2025-07-01' });
      expect(unknown.status).to.equal(422);
      expect(unknown.text).to.include(`id="f-sources-err">${msg('v.merge_unknown', { code: 'KHONG-CO' })}</p>`);

      const badDate = await post(`/units/${nd}/merge`, { sources: 'DNO-CJ-ET', date: '01/07/2025' });
      expect(badDate.status).to.equal(422);
      expect(fieldError(badDate.text, 'date')).to.equal(msg('v.date'));

      const row = (await ctx().db('units').where('id', nd).first('active_to')) as { active_to: string | null };
      expect(row.active_to).to.equal(null);
    });

    it('refuses an ISO state without a reason', async () => {
      const res = await post(`/units/${await ctx().unitId('DNO-CJ-ND')}/iso-state`, { state: 'declared', standard: '2015', reason: '' });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'reason')).to.equal(msg('v.required'));
      expect(res.text).to.match(/value="declared" checked/);
    });

    it('answers an unknown unit with the Vietnamese 404 page, never a 500', async () => {
      for (const url of ['/units/999999', '/units/abc', '/units/0', '/units/-3', '/units/1e3', '/units/999999/edit', '/units/abc/move']) {
        const res = await admin.get(url);
        expect(res.status, url).to.equal(404);
        expect(res.text, url).to.include('<html lang="vi">');
        expect(res.text, url).to.include(msg('errors.NOT_FOUND'));
      }
      const posted = await post('/units/999999/edit', { code: 'X', name: 'X', kind: 'commune' });
      expect(posted.status).to.equal(404);
      const api = await admin.get('/api/v1/units/999999');
      expect(api.status).to.equal(404);
      expect(api.body).to.nested.include({ 'error.code': 'NOT_FOUND', 'error.message': viText('errors.NOT_FOUND') });
    });
  });

  describe('first-run setup (on a database of its own, with no user yet)', () => {
    let fresh: TestDb;
    let built: BuiltApp;
    const userCount = async () => Number(((await fresh.db('users').count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n);

    before(async function () {
      this.timeout(60_000);
      fresh = await freshDb(ctx().dialect);
      built = buildApp({
        config: testConfig(fresh.url),
        db: fresh.db,
        clock: new ManualClock('2026-03-02T02:00:00Z'),
        logger: pino({ level: 'silent' }),
        sessionSecret: 'setup-secret-setup-secret-setup-secret-01',
      });
    });
    after(async () => fresh?.drop());

    it('tells a visitor of the sign-in page that there is no administrator yet', async () => {
      const res = await request(built.app).get('/login');
      expect(res.text).to.include(msg('auth.needs_setup'));
    });

    it('answers a missing or wrong setup token with the 404 page', async () => {
      await built.services.users.issueSetupToken();
      for (const url of ['/setup', '/setup?token=sai', '/setup?token=khong-phai-ma-cai-dat-nao-ca-0123']) {
        const res = await request(built.app).get(url);
        expect(res.status, url).to.equal(404);
        expect(res.text, url).to.include(msg('errors.SETUP_CLOSED'));
      }
    });

    it('shows the form again with 422 when the two passwords differ, and creates nobody', async () => {
      const token = (await built.services.users.issueSetupToken())!;
      const agent = makeAgent(built);
      const page = await agent.get(`/setup?token=${token}`);
      expect(page.status).to.equal(200);
      const res = await agent
        .post('/setup')
        .type('form')
        .send({
          token,
          username: 'quan-tri',
          fullName: 'Trần Thị Quản Trị',
          password: 'mat-khau-dai-1',
          confirm: 'mat-khau-khac-2',
          _csrf: csrfOf(page.text),
        });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'confirm')).to.equal(msg('v.password_mismatch'));
      expect(inputValue(res.text, 'username')).to.equal('quan-tri');
      expect(inputValue(res.text, 'fullName')).to.equal('Trần Thị Quản Trị');
      expect(inputValue(res.text, 'password'), 'a password is never sent back').to.equal('');
      expect(await userCount()).to.equal(0);
    });

    it('creates the first administrator once, and the link then no longer works', async () => {
      const token = (await built.services.users.issueSetupToken())!;
      const agent = makeAgent(built);
      const page = await agent.get(`/setup?token=${token}`);
      const form = { token, username: 'quan-tri', fullName: 'Trần Thị Quản Trị', password: 'mat-khau-dai-1', confirm: 'mat-khau-dai-1' };
      const res = await agent
        .post('/setup')
        .type('form')
        .send({ ...form, _csrf: csrfOf(page.text) });
      expect(res.status).to.equal(302);
      expect(res.headers.location, 'signed in at once, to the start guide').to.equal('/home?notice=setup_done');
      expect((await agent.get('/admin/users')).status, 'the same browser is signed in').to.equal(200);
      const guide = async () => {
        const html = (await agent.get('/home')).text;
        const start = html.indexOf('id="start-guide"');
        return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start));
      };
      const first = await guide();
      expect(first).to.contain('Bắt đầu sử dụng');
      expect(first).to.match(/<li class="todo">[^]*?href="\/units\/new">Tạo tỉnh/);
      expect(first).to.match(/<li class="done">[^]*?href="\/admin\/plugins"/);
      const admin = { user: (await built.services.users.sessionUser(Number((await fresh.db('users').first('id')).id)))! };
      await built.services.units.create(admin, { code: 'LCA', name: 'Tỉnh Lai Châu', kind: 'province' });
      expect(await guide(), 'the step ticks itself once a province exists').to.match(/<li class="done">[^]*?href="\/units\/new">Tạo tỉnh/);
      expect(await userCount()).to.equal(1);
      const roles = await fresh.db('user_roles as r').join('users as u', 'u.id', 'r.user_id').where('u.username', 'quan-tri').select('r.role', 'r.unit_id');
      expect(roles).to.deep.equal([{ role: 'admin', unit_id: null }]);

      const signedIn = await signInTo(built, 'quan-tri', 'mat-khau-dai-1');
      expect(signedIn.status).to.equal(302);
      expect((await signedIn.agent.get('/admin/users')).status).to.equal(200);

      // A second use of the same link: refused, and nobody else becomes administrator.
      expect((await request(built.app).get(`/setup?token=${token}`)).status).to.equal(404);
      const again = makeAgent(built);
      const againToken = await again.csrf();
      const second = await again
        .post('/setup')
        .type('form')
        .send({ ...form, username: 'ke-thu-hai', _csrf: againToken });
      expect(second.status).to.equal(404);
      expect(second.text).to.include(msg('errors.SETUP_CLOSED'));
      expect(await userCount()).to.equal(1);
      expect(await built.services.users.issueSetupToken(), 'no new link once a user exists').to.equal(undefined);
    });
  });

  describe('own password', () => {
    it('refuses a wrong current password with 422 and a message on that field', async () => {
      const u = await ctx().userWith('viewer', 'DNO', 'doi-mat-khau');
      const agent = await ctx().signIn(u.username, u.password);
      const token = await csrfOfSignedIn(agent);
      const res = await agent
        .post('/account/password')
        .type('form')
        .send({ current: 'khong-dung-dau', password: 'mat-khau-moi-9', confirm: 'mat-khau-moi-9', _csrf: token });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'current')).to.equal(msg('v.password_wrong'));
      expect(res.text).not.to.include('khong-dung-dau');
      expect(res.text).not.to.include('mat-khau-moi-9');

      const short = await agent.post('/account/password').type('form').send({ current: u.password, password: 'ngan', confirm: 'ngan', _csrf: token });
      expect(short.status).to.equal(422);
      expect(fieldError(short.text, 'password')).to.equal(msg('v.too_short', { n: 8 }));

      const mismatch = await agent
        .post('/account/password')
        .type('form')
        .send({ current: u.password, password: 'mat-khau-moi-9', confirm: 'mat-khau-moi-0', _csrf: token });
      expect(mismatch.status).to.equal(422);
      expect(fieldError(mismatch.text, 'confirm')).to.equal(msg('v.password_mismatch'));

      expect((await signInTo(ctx().built, u.username, u.password)).status, 'the old password still works').to.equal(302);
    });

    it('changes it with the right current password; the new one signs in and the old one no longer does', async () => {
      const u = await ctx().userWith('viewer', 'DNO', 'doi-mat-khau-2');
      const agent = await ctx().signIn(u.username, u.password);
      const token = await csrfOfSignedIn(agent);
      const res = await agent
        .post('/account/password')
        .type('form')
        .send({ current: u.password, password: 'mat-khau-moi-9', confirm: 'mat-khau-moi-9', _csrf: token });
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/account?notice=password_changed');
      expect((await agent.get('/account?notice=password_changed')).text).to.include(msg('notices.password_changed'));
      // Only notices the app words are shown; anything else in the query string is not.
      for (const other of ['title', 'app.name', '__proto__', '<b>x</b>']) {
        expect((await agent.get(`/account?notice=${encodeURIComponent(other)}`)).text, other).not.to.include('class="notice"');
      }
      expect((await signInTo(ctx().built, u.username, 'mat-khau-moi-9')).status).to.equal(302);
      expect((await signInTo(ctx().built, u.username, u.password)).status).to.equal(401);
    });
  });

  describe('user administration', () => {
    let newId: number;
    const form = { username: 'nguoi-moi', fullName: 'Nguyễn Văn Mới', email: '', password: 'mat-khau-nguoi-moi', locale: 'vi' };

    it('creates a user who can then sign in', async () => {
      expect((await admin.get('/admin/users/new')).status).to.equal(200);
      const res = await post('/admin/users', form);
      expect(res.status).to.equal(302);
      newId = Number(/^\/admin\/users\/(\d+)\?notice=created$/.exec(String(res.headers.location))?.[1]);
      const page = await admin.get(`/admin/users/${newId}`);
      expect(page.text).to.include('Nguyễn Văn Mới');
      expect(page.text).to.include(msg('users.no_roles'));
      expect((await signInTo(ctx().built, 'nguoi-moi', form.password)).status).to.equal(302);
    });

    it('refuses a user name already taken (in any letter case) with 422, keeping what was typed', async () => {
      const before = await ctx().db('users').count({ n: '*' });
      const res = await post('/admin/users', { ...form, username: 'Nguoi-Moi', fullName: 'Người thứ hai' });
      expect(res.status).to.equal(422);
      expect(fieldError(res.text, 'username')).to.equal(msg('v.username_taken'));
      expect(inputValue(res.text, 'fullName')).to.equal('Người thứ hai');
      expect(inputValue(res.text, 'password')).to.equal('');
      expect(await ctx().db('users').count({ n: '*' })).to.deep.equal(before);

      const bad = await post('/admin/users', { ...form, username: 'Người Mới' });
      expect(bad.status).to.equal(422);
      expect(fieldError(bad.text, 'username')).to.equal(msg('v.username_format'));
    });

    it('adds a role on a unit, which then opens that unit to the user', async () => {
      const nd = await ctx().unitId('DNO-CJ-ND');
      const res = await post(`/admin/users/${newId}/roles`, { role: 'officer', unitCode: 'DNO-CJ-ND' });
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal(`/admin/users/${newId}?notice=role_added`);
      const page = await admin.get(`/admin/users/${newId}`);
      expect(page.text).to.include(msg('users.role_names.officer'));
      expect(page.text).to.include('Xã Nam Dong (DNO-CJ-ND)');
      const { agent } = await signInTo(ctx().built, 'nguoi-moi', form.password);
      expect((await agent.get(`/units/${nd}`)).status).to.equal(200);
      expect((await agent.get(`/units/${nd}/iso-state`)).status).to.equal(200);
    });

    it('refuses a role that is incomplete, misplaced or already held, with a message on the field', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ role: 'officer', unitCode: '' }, 'v.required'],
        [{ role: 'officer', unitCode: 'KHONG-CO' }, 'v.parent_unknown'],
        [{ role: 'admin', unitCode: 'DNO-CJ-ND' }, 'v.admin_no_unit'],
        [{ role: 'officer', unitCode: 'DNO-CJ-ND' }, 'v.role_exists'],
        [{ role: 'vua', unitCode: 'DNO-CJ-ND' }, 'v.choose'],
      ];
      for (const [data, key] of cases) {
        const res = await post(`/admin/users/${newId}/roles`, data);
        expect(res.status, key).to.equal(422);
        expect(res.text, key).to.include(`<p class="error">${msg(key)}</p>`);
        expect(alertOf(res.text), key).to.equal(msg('errors.VALIDATION_FAILED'));
      }
      expect(await ctx().db('user_roles').where('user_id', newId)).to.have.length(1);
    });

    it('removes a role, which closes the unit to the user at once', async () => {
      const { agent } = await signInTo(ctx().built, 'nguoi-moi', form.password);
      const role = (await ctx().db('user_roles').where('user_id', newId).first('id')) as { id: number };
      const res = await post(`/admin/users/${newId}/roles/${role.id}/delete`, {});
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal(`/admin/users/${newId}?notice=role_removed`);
      expect(await ctx().db('user_roles').where('user_id', newId)).to.have.length(0);
      expect((await agent.get(`/units/${await ctx().unitId('DNO-CJ-ND')}`)).status).to.equal(404);
    });

    it('deactivates a user, who is signed out at once and cannot sign in again', async () => {
      const { agent } = await signInTo(ctx().built, 'nguoi-moi', form.password);
      const res = await post(`/admin/users/${newId}`, { fullName: 'Nguyễn Văn Mới', email: '' });
      expect(res.status).to.equal(302);
      expect((await agent.get('/account')).status).to.equal(302);
      expect((await signInTo(ctx().built, 'nguoi-moi', form.password)).status).to.equal(401);
    });

    it('refuses to deactivate the last administrator, or to take away their role', async () => {
      const rootId = ctx().admin.user.id;
      const res = await post(`/admin/users/${rootId}`, { fullName: 'Quản trị', email: '' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include(`<p class="error">${msg('v.last_admin')}</p>`);
      const row = (await ctx().db('users').where('id', rootId).first('is_active')) as { is_active: unknown };
      expect(Boolean(row.is_active)).to.equal(true);

      const adminRole = (await ctx().db('user_roles').where({ user_id: rootId, role: 'admin' }).first('id')) as { id: number };
      const remove = await post(`/admin/users/${rootId}/roles/${adminRole.id}/delete`, {});
      expect(remove.status).to.equal(422);
      expect(remove.text).to.include(msg('errors.LAST_ADMIN'));
      expect(await ctx().db('user_roles').where({ user_id: rootId, role: 'admin' })).to.have.length(1);
      expect((await admin.get('/admin/users')).status, 'the administrator is still one').to.equal(200);
    });
  });
});
