import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { csrfOf, forEachDatabase, makeAgent, testPassword, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { alertOf, csrfOfSignedIn, escapeHtml, setCookies, viText } from '../fixtures/http.ts';

/**
 * A browser reduced to its cookie jar, for the tests that need to see, keep, swap or plant
 * cookies by hand (supertest's agent hides them, and never sends `Secure` ones over http).
 */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly app: Express,
    private readonly headers: Record<string, string> = {},
  ) {}

  private keep(res: request.Response): request.Response {
    for (const [name, line] of setCookies(res)) {
      const value = line.slice(name.length + 1, line.indexOf(';') === -1 ? undefined : line.indexOf(';'));
      const expired = /expires=Thu, 01 Jan 1970/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<request.Response> {
    return this.keep(await request(this.app).get(url).set(this.headers).set('Cookie', this.cookieHeader()).redirects(0));
  }

  async post(url: string, form: Record<string, string>): Promise<request.Response> {
    return this.keep(await request(this.app).post(url).set(this.headers).set('Cookie', this.cookieHeader()).type('form').send(form).redirects(0));
  }

  async signIn(username: string, password: string): Promise<request.Response> {
    const page = await this.get('/login');
    return this.post('/login', { username, password, _csrf: csrfOf(page.text) });
  }
}

const sid = 'isotrack.sid';
const noStack = (text: string) => {
  expect(text).not.to.match(/\bat [\w.<>]+ \(|node:internal|node_modules|\.ts:\d+|SyntaxError/);
};

async function unitName(ctx: TestContext, code: string): Promise<string> {
  return String(((await ctx.db('units').where('code', code).first('name')) as { name: string }).name);
}

forEachDatabase('security: CSRF, sessions, cookies, headers, sign-in throttling, errors, API tokens', (ctx) => {
  before(async () => seedTree(ctx()));

  describe('CSRF', () => {
    it('refuses a form sent without its CSRF token with 403 and changes nothing', async () => {
      const admin = await ctx().signIn('root', testPassword);
      const id = await ctx().unitId('DNO-CJ-ND');
      const res = await admin.post(`/units/${id}/edit`).type('form').send({ code: 'DNO-CJ-ND', name: 'Tên bị đổi lén', kind: 'commune' });
      expect(res.status).to.equal(403);
      expect(res.text).to.include(escapeHtml(viText('errors.CSRF_INVALID')));
      expect(res.text).to.include('<html lang="vi">');
      noStack(res.text);
      expect(await unitName(ctx(), 'DNO-CJ-ND')).to.equal('Xã Nam Dong');

      const count = await ctx().db('units').count({ n: '*' });
      const create = await admin.post('/units').type('form').send({ code: 'CSRF-1', name: 'Lén tạo', kind: 'province' });
      expect(create.status).to.equal(403);
      expect(await ctx().db('units').count({ n: '*' })).to.deep.equal(count);
    });

    it('refuses the API through a browser session without the CSRF header', async () => {
      const admin = await ctx().signIn('root', testPassword);
      const id = await ctx().unitId('DNO-CJ-ND');
      const res = await admin.patch(`/api/v1/units/${id}`).send({ name: 'Tên bị đổi lén' });
      expect(res.status).to.equal(403);
      expect((res.body as { error: { code: string } }).error.code).to.equal('CSRF_INVALID');
      expect(await unitName(ctx(), 'DNO-CJ-ND')).to.equal('Xã Nam Dong');
    });

    it("refuses a CSRF token taken from another person's session", async () => {
      const victim = await ctx().signIn('root', testPassword);
      const other = await ctx().userWith('coordinator', 'DNO', 'csrf-khac');
      const attacker = await ctx().signIn(other.username, other.password);
      const attackerToken = await csrfOfSignedIn(attacker);
      const victimToken = await csrfOfSignedIn(victim);
      const id = await ctx().unitId('DNO-CJ-ND');
      const res = await victim
        .post(`/units/${id}/edit`)
        .type('form')
        .send({ code: 'DNO-CJ-ND', name: 'Tên bị đổi lén', kind: 'commune', _csrf: attackerToken });
      expect(res.status).to.equal(403);
      expect(await unitName(ctx(), 'DNO-CJ-ND')).to.equal('Xã Nam Dong');
      // The very same request with the victim's own token goes through: the token made the difference.
      const own = await victim.post(`/units/${id}/edit`).type('form').send({ code: 'DNO-CJ-ND', name: 'Xã Nam Dong', kind: 'commune', _csrf: victimToken });
      expect(own.status).to.equal(302);
    });

    it("refuses another session's token even when its CSRF cookie is planted too (the token is bound to the session)", async () => {
      const victim = new Browser(ctx().built.app);
      expect((await victim.signIn('root', testPassword)).status).to.equal(302);
      const attacker = new Browser(ctx().built.app);
      const other = await ctx().userWith('coordinator', 'DNO', 'csrf-cay');
      expect((await attacker.signIn(other.username, other.password)).status).to.equal(302);
      const token = csrfOf((await attacker.get('/account')).text);
      const victimToken = csrfOf((await victim.get('/account')).text);
      const victimCookie = victim.cookies.get('isotrack.csrf')!;
      // Both the cookie and the field carry the attacker's token; only the session is the victim's.
      victim.cookies.set('isotrack.csrf', attacker.cookies.get('isotrack.csrf')!);
      const id = await ctx().unitId('DNO-CJ-ND');
      const res = await victim.post(`/units/${id}/edit`, { code: 'DNO-CJ-ND', name: 'Tên bị đổi lén', kind: 'commune', _csrf: token });
      expect(res.status).to.equal(403);
      expect(await unitName(ctx(), 'DNO-CJ-ND')).to.equal('Xã Nam Dong');
      victim.cookies.set('isotrack.csrf', victimCookie);
      const own = await victim.post(`/units/${id}/edit`, { code: 'DNO-CJ-ND', name: 'Xã Nam Dong', kind: 'commune', _csrf: victimToken });
      expect(own.status).to.equal(302);
    });

    it('accepts API calls with a bearer token and no CSRF token', async () => {
      const { token } = await ctx().built.services.users.createToken(ctx().admin, { name: 'Hệ thống tỉnh' });
      const res = await request(ctx().built.app)
        .post('/api/v1/units')
        .set('Authorization', `Bearer ${token}`)
        .send({ code: 'API-CSRF-1', name: 'Xã tạo qua API', kind: 'commune', parentId: await ctx().unitId('LCA') });
      expect(res.status, res.text).to.equal(201);
      expect((res.body as { data: { code: string } }).data.code).to.equal('API-CSRF-1');
    });
  });

  describe('sessions and cookies', () => {
    it('gives a new session id at sign-in, so an id planted before does not become the victim', async () => {
      const attacker = new Browser(ctx().built.app);
      const other = await ctx().userWith('viewer', 'LCA', 'ke-gian');
      expect((await attacker.signIn(other.username, other.password)).status).to.equal(302);
      const planted = attacker.cookies.get(sid)!;
      expect(planted).to.be.a('string');

      const victim = new Browser(ctx().built.app);
      victim.cookies.set(sid, planted);
      const page = await victim.get('/account');
      const res = await victim.post('/login', { username: 'root', password: testPassword, _csrf: csrfOf(page.text) });
      expect(res.status).to.equal(302);
      expect(victim.cookies.get(sid)).to.be.a('string').and.not.equal(planted);

      const me = await request(ctx().built.app).get('/api/v1/me').set('Cookie', `${sid}=${planted}`);
      expect(me.status, 'the planted id is not signed in as the victim').to.equal(401);
      const mine = await request(ctx().built.app)
        .get('/api/v1/me')
        .set('Cookie', `${sid}=${victim.cookies.get(sid)}`);
      expect((mine.body as { data: { username: string } }).data.username).to.equal('root');
    });

    it('sets no session cookie before sign-in', async () => {
      const res = await request(ctx().built.app).get('/login');
      expect(setCookies(res).has(sid)).to.equal(false);
    });

    it('marks the session and CSRF cookies HttpOnly and SameSite=Lax (not Secure over plain http)', async () => {
      const b = new Browser(ctx().built.app);
      const page = await b.get('/login');
      const csrfCookie = setCookies(page).get('isotrack.csrf');
      expect(csrfCookie)
        .to.match(/; HttpOnly/)
        .and.match(/; SameSite=Lax/)
        .and.not.match(/; Secure/);
      const res = await b.post('/login', { username: 'root', password: testPassword, _csrf: csrfOf(page.text) });
      const session = setCookies(res).get(sid);
      expect(session)
        .to.match(/; HttpOnly/)
        .and.match(/; SameSite=Lax/)
        .and.not.match(/; Secure/);
    });

    it('ends the session at sign-out', async () => {
      const b = new Browser(ctx().built.app);
      await b.signIn('root', testPassword);
      const old = b.cookies.get(sid)!;
      const page = await b.get('/account');
      expect((await b.post('/logout', { _csrf: csrfOf(page.text) })).headers.location).to.equal('/login?notice=signed_out');
      const me = await request(ctx().built.app).get('/api/v1/me').set('Cookie', `${sid}=${old}`);
      expect(me.status).to.equal(401);
    });
  });

  describe('headers', () => {
    it('sends a Content-Security-Policy that allows scripts from the app only, never inline', async () => {
      const res = await request(ctx().built.app).get('/login');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).to.include("script-src 'self'");
      expect(csp).to.include("object-src 'none'");
      expect(csp).to.include("frame-ancestors 'none'");
      expect(csp).not.to.include('unsafe-inline');
      expect(csp).not.to.include('unsafe-eval');
      expect(res.headers['x-powered-by']).to.equal(undefined);
    });

    it('serves pages without inline scripts or inline event handlers, which the policy would block', async () => {
      const admin = await ctx().signIn('root', testPassword);
      const id = await ctx().unitId('DNO-CJ-ND');
      for (const url of ['/units', `/units/${id}`, `/units/${id}/edit`, `/units/${id}/iso-state`, '/account', '/admin/users', '/audit']) {
        const page = await admin.get(url);
        expect(page.status, url).to.equal(200);
        expect(page.text, url).not.to.match(/<script(?![^>]*\ssrc=)[^>]*>/i);
        expect(page.text, url).not.to.match(/<[^>]+\son[a-z]+\s*=/i);
        expect(page.text, url).not.to.match(/javascript:/i);
      }
    });
  });

  describe('errors', () => {
    it('answers a malformed JSON body with 400 in JSON, without a stack trace', async () => {
      const { token } = await ctx().built.services.users.createToken(ctx().admin, { name: 'JSON hỏng' });
      const res = await request(ctx().built.app)
        .post('/api/v1/units')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send('{"code": "X", "name": ');
      expect(res.status).to.equal(400);
      expect(res.type).to.equal('application/json');
      expect((res.body as { error: { code: string; message: string } }).error).to.include({ code: 'BAD_REQUEST', message: viText('errors.BAD_REQUEST') });
      noStack(res.text);
    });

    it('answers a body over the limit with 413, for the API and for forms', async () => {
      const { token } = await ctx().built.services.users.createToken(ctx().admin, { name: 'Quá lớn' });
      const count = await ctx().db('units').count({ n: '*' });
      const api = await request(ctx().built.app)
        .post('/api/v1/units')
        .set('Authorization', `Bearer ${token}`)
        .send({ code: 'BIG-1', name: 'x', kind: 'commune', parentId: 1, padding: 'x'.repeat(1_200_000) });
      expect(api.status).to.equal(413);
      expect((api.body as { error: { code: string } }).error.code).to.equal('PAYLOAD_TOO_LARGE');
      noStack(api.text);

      const admin = await ctx().signIn('root', testPassword);
      const csrf = await csrfOfSignedIn(admin);
      const page = await admin
        .post('/units')
        .type('form')
        .send({ code: 'BIG-2', name: 'x'.repeat(300_000), kind: 'province', _csrf: csrf });
      expect(page.status).to.equal(413);
      expect(page.text).to.include(escapeHtml(viText('errors.PAYLOAD_TOO_LARGE')));
      noStack(page.text);
      expect(await ctx().db('units').count({ n: '*' })).to.deep.equal(count);
    });

    it('shows an unexpected error as a Vietnamese page with a request id and no stack trace', async () => {
      const units = ctx().built.services.units;
      const original = units.list;
      units.list = () => Promise.reject(new Error('bí mật nội bộ /srv/isotrack/src/secret.ts:42'));
      try {
        const admin = await ctx().signIn('root', testPassword);
        const page = await admin.get('/units');
        expect(page.status).to.equal(500);
        expect(page.text).to.include(escapeHtml(viText('errors.INTERNAL')));
        expect(page.text).to.include(String(page.headers['x-request-id']));
        expect(page.text).not.to.include('bí mật nội bộ');
        noStack(page.text);

        const { token } = await ctx().built.services.users.createToken(ctx().admin, { name: 'Lỗi' });
        const api = await request(ctx().built.app).get('/api/v1/units').set('Authorization', `Bearer ${token}`);
        expect(api.status).to.equal(500);
        expect((api.body as { error: { code: string; requestId: string } }).error).to.include({ code: 'INTERNAL', requestId: api.headers['x-request-id'] });
        expect(api.text).not.to.include('bí mật nội bộ');
        noStack(api.text);
      } finally {
        units.list = original;
      }
    });

    it('never answers 500 to odd ids and query values', async () => {
      const admin = await ctx().signIn('root', testPassword);
      const big = '99999999999';
      const probes = [
        `/units/${big}`,
        `/units/${big}/edit`,
        '/units/abc',
        '/units/-1',
        '/units/1.5',
        '/units/0x10',
        `/units/new?parentId=${big}`,
        `/units?parentId=${big}`,
        '/units?page=abc',
        '/units?kind=planet',
        '/units?q=%25_%5C',
        '/units?q=a&q=b',
        `/audit?entityId=${big}`,
        `/audit?userId=${big}`,
        '/audit?entity=planet',
        `/admin/users/${big}`,
        `/api/v1/units/${big}`,
        `/api/v1/units?parentId=${big}`,
        '/api/v1/units?pageSize=100000',
        `/api/v1/audit?entityId=${big}`,
        `/api/v1/audit?userId=${big}`,
        `/api/v1/users/${big}`,
      ];
      const bad: string[] = [];
      for (const url of probes) {
        const res = await admin.get(url);
        if (res.status >= 500) bad.push(`${url} -> ${res.status}`);
        noStack(res.text);
      }
      expect(bad).to.deep.equal([]);
    });
  });

  describe('API tokens', () => {
    it("lives from creation on the account page to revocation, and sees exactly its owner's scope", async () => {
      const officer = await ctx().userWith('officer', 'DNO-CJ-ND', 'can-bo-api');
      const agent = await ctx().signIn(officer.username, officer.password);
      const csrf = await csrfOfSignedIn(agent);
      const created = await agent.post('/account/tokens').type('form').send({ name: 'Cổng dịch vụ công', _csrf: csrf });
      expect(created.status).to.equal(201);
      expect(created.text).to.include(viText('account.token_once'));
      const token = /<code class="token" id="new-token">([^<]+)<\/code>/.exec(created.text)?.[1];
      expect(token).to.match(/^isot_/);

      // Shown once: the account page never shows it again, and the database keeps only a hash.
      expect((await agent.get('/account')).text).not.to.include(token!);
      const rows = (await ctx().db('api_tokens').where('user_id', officer.user.id)) as Array<{ id: number; token_hash: string; prefix: string }>;
      expect(rows).to.have.length(1);
      expect(rows[0]!.token_hash).not.to.include(token!);
      expect(JSON.stringify(rows)).not.to.include(token!);

      const api = (url: string) => request(ctx().built.app).get(url).set('Authorization', `Bearer ${token}`);
      const me = await api('/api/v1/me');
      expect(me.status).to.equal(200);
      expect((me.body as { data: { username: string } }).data.username).to.equal(officer.username);

      // The scope of the officer, no more.
      const list = await api('/api/v1/units?status=all&pageSize=200');
      const codes = (list.body as { data: Array<{ code: string }> }).data.map((u) => u.code);
      expect(codes).to.deep.equal(['DNO-CJ-ND']);
      expect((await api(`/api/v1/units/${await ctx().unitId('DNO-CJ-ND')}`)).status).to.equal(200);
      for (const url of [`/api/v1/units/${await ctx().unitId('LCA-TU-PK')}`, `/api/v1/units/${await ctx().unitId('DNO')}`, '/api/v1/users', '/api/v1/audit']) {
        expect((await api(url)).status, url).to.equal(404);
      }
      const write = await request(ctx().built.app)
        .patch(`/api/v1/units/${await ctx().unitId('DNO-CJ-ND')}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'Đổi tên qua API' });
      expect(write.status, 'an officer may not edit units').to.equal(404);
      // A token opens the API only, never the pages.
      const page = await request(ctx().built.app).get('/units').set('Authorization', `Bearer ${token}`);
      expect(page.status).to.equal(302);

      const revoke = await agent.post(`/account/tokens/${rows[0]!.id}/revoke`).type('form').send({ _csrf: csrf });
      expect(revoke.status).to.equal(302);
      const after = await api('/api/v1/me');
      expect(after.status).to.equal(401);
      expect(after.body).to.nested.include({ 'error.code': 'TOKEN_INVALID' });
    });

    it('refuses a made-up or malformed token with 401 TOKEN_INVALID', async () => {
      for (const header of ['Bearer isot_made-up-token-0000000000', 'Bearer short', 'Basic cm9vdDpwdw==']) {
        const res = await request(ctx().built.app).get('/api/v1/me').set('Authorization', header);
        expect(res.status, header).to.equal(401);
        expect(res.body, header).to.nested.include({ 'error.code': 'TOKEN_INVALID' });
      }
    });

    it("cannot revoke someone else's token", async () => {
      const { id, token } = await ctx().built.services.users.createToken(ctx().admin, { name: 'Của quản trị' });
      const viewer = await ctx().userWith('viewer', 'DNO', 'xem-token');
      const agent = await ctx().signIn(viewer.username, viewer.password);
      const csrf = await csrfOfSignedIn(agent);
      const res = await agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrf });
      expect(res.status).to.equal(404);
      expect((await request(ctx().built.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status).to.equal(200);
    });
  });

  // Last: these lock the test address, and each test starts after the previous window ran out.
  describe('sign-in throttling', () => {
    const windowMs = () => ctx().config.login.windowMs;
    beforeEach(() => ctx().clock.advance(windowMs() + 60_000));
    after(() => ctx().clock.advance(windowMs() + 60_000));

    const attempt = async (agent: ReturnType<typeof makeAgent>, username: string, password: string) => {
      const token = await agent.csrf();
      return agent.post('/login').type('form').send({ username, password, _csrf: token });
    };

    it('refuses even the right password with 429 and the same page after five failures for one user name', async () => {
      const u = await ctx().userWith('viewer', 'DNO', 'bi-khoa');
      const agent = makeAgent(ctx().built);
      expect(ctx().config.login.maxPerAccount).to.equal(5);
      for (let i = 0; i < 5; i++) {
        const res = await attempt(agent, u.username, `sai-mat-khau-${i}`);
        expect(res.status).to.equal(401);
        expect(alertOf(res.text)).to.equal(escapeHtml(viText('auth.failed')));
      }
      const locked = await attempt(agent, u.username, u.password);
      expect(locked.status).to.equal(429);
      expect(alertOf(locked.text)).to.equal(escapeHtml(viText('auth.throttled', { minutes: 15 })));
      expect(locked.text).to.include('<form method="post" action="/login"');
      expect(locked.text).to.include(`value="${u.username}"`);
      expect(setCookies(locked).has(sid)).to.equal(false);

      // The same user name typed differently is the same account.
      expect((await attempt(agent, `  ${u.username.toUpperCase()} `, u.password)).status).to.equal(429);
      // Other accounts are not locked by it.
      expect((await attempt(agent, 'root', testPassword)).status).to.equal(302);
    });

    it('lets the user in again once the window has passed on the clock', async () => {
      const u = await ctx().userWith('viewer', 'DNO', 'mo-khoa');
      const agent = makeAgent(ctx().built);
      for (let i = 0; i < 5; i++) await attempt(agent, u.username, 'sai-mat-khau');
      expect((await attempt(agent, u.username, u.password)).status).to.equal(429);
      ctx().clock.advance(windowMs() - 60_000);
      expect((await attempt(agent, u.username, u.password)).status, 'still inside the window').to.equal(429);
      ctx().clock.advance(61_000);
      expect((await attempt(agent, u.username, u.password)).status).to.equal(302);
    });

    it('says the same for a wrong user name as for a wrong password', async () => {
      const u = await ctx().userWith('viewer', 'DNO', 'cung-loi');
      const agent = makeAgent(ctx().built);
      const wrongUser = await attempt(agent, 'khong-ton-tai', u.password);
      const wrongPassword = await attempt(agent, u.username, 'sai-mat-khau');
      expect(wrongUser.status).to.equal(wrongPassword.status);
      expect(alertOf(wrongUser.text)).to.be.a('string').and.equal(alertOf(wrongPassword.text));
      // The whole page too, once the typed name and the form token are set aside.
      const strip = (html: string, name: string) => html.replace(/name="_csrf" value="[^"]+"/g, '').replace(`value="${name}"`, '');
      expect(strip(wrongUser.text, 'khong-ton-tai')).to.equal(strip(wrongPassword.text, u.username));
    });

    it('refuses an address after twenty failures across different user names, then lets it in after the window', async () => {
      expect(ctx().config.login.maxPerAddress).to.equal(20);
      const agent = makeAgent(ctx().built);
      for (let i = 0; i < 20; i++) {
        const res = await attempt(agent, `doan-mo-${i}`, 'sai-mat-khau');
        expect(res.status, `attempt ${i + 1}`).to.equal(401);
      }
      const locked = await attempt(agent, 'root', testPassword);
      expect(locked.status).to.equal(429);
      expect(alertOf(locked.text)).to.equal(escapeHtml(viText('auth.throttled', { minutes: 15 })));
      ctx().clock.advance(windowMs() + 1000);
      expect((await attempt(agent, 'root', testPassword)).status).to.equal(302);
    });
  });
});

forEachDatabase(
  'security behind an HTTPS proxy (TRUST_PROXY=true)',
  (ctx) => {
    it('marks the cookies Secure and sends HSTS', async () => {
      const b = new Browser(ctx().built.app, { 'X-Forwarded-Proto': 'https' });
      const page = await b.get('/login');
      expect(String(page.headers['strict-transport-security'])).to.include('max-age=');
      const csrfCookie = setCookies(page).get('__Host-isotrack.csrf');
      expect(csrfCookie)
        .to.match(/; Secure/)
        .and.match(/; HttpOnly/)
        .and.match(/; SameSite=Lax/)
        .and.match(/; Path=\//);
      const res = await b.post('/login', { username: 'root', password: testPassword, _csrf: csrfOf(page.text) });
      expect(res.status).to.equal(302);
      expect(setCookies(res).get(sid))
        .to.match(/; Secure/)
        .and.match(/; HttpOnly/)
        .and.match(/; SameSite=Lax/);
      const me = await b.get('/api/v1/me');
      expect((me.body as { data: { username: string } }).data.username).to.equal('root');
    });

    it('throttles by the client address the proxy reports, not by the proxy', async () => {
      const attempt = async (ip: string, username: string, password: string) => {
        const b = new Browser(ctx().built.app, { 'X-Forwarded-For': ip, 'X-Forwarded-Proto': 'https' });
        return b.signIn(username, password);
      };
      for (let i = 0; i < 20; i++) expect((await attempt('203.0.113.7', `doan-${i}`, 'sai-mat-khau')).status).to.equal(401);
      expect((await attempt('203.0.113.7', 'root', testPassword)).status).to.equal(429);
      // Another office behind the same proxy is not locked out.
      expect((await attempt('198.51.100.9', 'root', testPassword)).status).to.equal(302);
    });
  },
  { TRUST_PROXY: 'true' },
);
