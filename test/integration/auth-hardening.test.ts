import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { pino } from 'pino';
import request from 'supertest';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOf, forEachDatabase, makeAgent, testPassword, type Agent, type TestContext } from '../helpers/app.ts';

/** A real server on 127.0.0.1, so that parallel requests really overlap in the app. */
async function listen(built: BuiltApp): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(built.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/** Signed in on `/account` of this agent's app, or sent to the sign-in page. */
async function signedIn(agent: Agent): Promise<boolean> {
  const res = await agent.get('/account').redirects(0);
  if (res.status === 200) return true;
  expect(res.status).to.equal(302);
  expect(res.headers.location).to.match(/^\/login/);
  return false;
}

const meWith = (built: BuiltApp, token: string) => request(built.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);

// AUTH_CACHE_SECONDS=1: the test of a second app process waits out that cache.
forEachDatabase(
  'sign-in hardening',
  (ctx: () => TestContext) => {
    before(async () => seedTree(ctx()));
    const windowMs = () => ctx().config.login.windowMs;
    // Each test starts once the previous test's throttling window has passed on the clock.
    beforeEach(() => ctx().clock.advance(windowMs() + 60_000));

    describe('attempts arriving at once', () => {
      let server: { url: string; close(): Promise<void> };
      before(async () => {
        server = await listen(ctx().built);
      });
      after(async () => server.close());

      /** One agent on the real server with a sign-in form token; every attempt reuses it. */
      async function attempts(list: Array<{ username: string; password: string }>) {
        const agent = request.agent(server.url);
        const token = csrfOf((await agent.get('/login')).text);
        return Promise.all(
          list.map((a) =>
            agent
              .post('/login')
              .type('form')
              .redirects(0)
              .send({ ...a, _csrf: token }),
          ),
        );
      }

      it('checks at most five passwords of an account when a hundred attempts arrive at once, and keeps the right one out while locked', async () => {
        const u = await ctx().userWith('viewer', 'DNO', 'song-song');
        const limit = ctx().config.login.maxPerAccount;
        expect(limit).to.equal(5);
        const checksBefore = ctx().built.services.users.passwordChecks;
        const wrong = Array.from({ length: 99 }, (_, i) => ({ username: u.username, password: `sai-${i}` }));
        const res = await attempts([...wrong, { username: u.username, password: u.password }]);
        const counts = tally(res.slice(0, 99).map((r) => r.status));
        // A 401 is a wrong password that was checked; a 429 was refused before any check.
        expect(counts[401] ?? 0, JSON.stringify(counts)).to.be.at.most(limit);
        expect((counts[401] ?? 0) + (counts[429] ?? 0)).to.equal(99);
        expect(ctx().built.services.users.passwordChecks - checksBefore, 'passwords hashed').to.be.at.most(limit + 1);
        const failures = (await ctx().db('login_throttle').where('key', `acct:${u.username}`).first('failures')) as { failures: number };
        expect(Number(failures.failures)).to.be.at.most(limit);

        const late = await attempts([{ username: u.username, password: u.password }]);
        expect(late[0]?.status, 'the right password while the account is locked').to.equal(429);
      });

      it('checks at most twenty passwords from one address when sixty attempts on different accounts arrive at once', async () => {
        const limit = ctx().config.login.maxPerAddress;
        expect(limit).to.equal(20);
        const checksBefore = ctx().built.services.users.passwordChecks;
        const res = await attempts(Array.from({ length: 60 }, (_, i) => ({ username: `khach-${i}`, password: 'sai-mat-khau' })));
        const counts = tally(res.map((r) => r.status));
        expect(counts[401] ?? 0, JSON.stringify(counts)).to.be.at.most(limit);
        expect(ctx().built.services.users.passwordChecks - checksBefore, 'passwords hashed').to.be.at.most(limit);
        const late = await attempts([{ username: 'root', password: testPassword }]);
        expect(late[0]?.status, 'the right password from a locked address').to.equal(429);
      });

      it('lets a user sign in many times from one office address without being locked', async () => {
        for (let i = 0; i < 25; i++) {
          const [res] = await attempts([{ username: 'root', password: testPassword }]);
          expect(res?.status, `sign-in ${i + 1}`).to.equal(302);
        }
      });

      it('answers at most twenty wrong API tokens from one address, then refuses even a valid token until the window passes', async () => {
        const owner = await ctx().userWith('viewer', 'DNO', 'co-ma');
        const { token } = await ctx().built.services.users.createToken({ user: owner.user }, { name: 'Tích hợp' });
        const limit = ctx().config.login.maxPerAddress;
        const guesses = Array.from({ length: 50 }, (_, i) => `isot_doan-bua-${String(i).padStart(3, '0')}-xxxxxxxxxxxx`);
        const res = await Promise.all(guesses.map((g) => request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${g}`)));
        const counts = tally(res.map((r) => r.status));
        expect(counts[401] ?? 0, JSON.stringify(counts)).to.be.at.most(limit);
        expect(counts[429] ?? 0, JSON.stringify(counts)).to.equal(50 - (counts[401] ?? 0));
        const refused = res.find((r) => r.status === 429);
        expect((refused?.body as { error?: { code?: string; message?: string } }).error?.code).to.equal('TOKEN_THROTTLED');
        expect((refused?.body as { error?: { message?: string } }).error?.message).to.match(/phút/);

        const valid = await request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
        expect(valid.status, 'a valid token while the address is locked').to.equal(429);
        ctx().clock.advance(windowMs() + 1000);
        expect((await request(server.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status).to.equal(200);
      });
    });

    describe('a password change', () => {
      it('ends the other browser session at once but keeps this one, and keeps the API token when the box is left empty', async () => {
        const u = await ctx().userWith('viewer', 'DNO', 'doi-mk');
        const { token } = await ctx().built.services.users.createToken({ user: u.user }, { name: 'Báo cáo' });
        const here = await ctx().signIn(u.username, u.password);
        const elsewhere = await ctx().signIn(u.username, u.password);
        expect(await signedIn(elsewhere)).to.equal(true);

        const res = await here.form('/account/password', { current: u.password, password: 'mat-khau-moi-123', confirm: 'mat-khau-moi-123' });
        expect(res.status).to.equal(302);
        expect(await signedIn(here), 'the session that changed the password').to.equal(true);
        expect(await signedIn(elsewhere), 'another browser of the same user').to.equal(false);
        expect((await meWith(ctx().built, token)).status, 'API token, box not ticked').to.equal(200);
        const page = await here.get('/account');
        expect(page.text).to.include('name="revokeTokens"').and.include('Thu hồi mọi mã truy cập API');
      });

      it('revokes every API token of the user when the box is ticked', async () => {
        const u = await ctx().userWith('viewer', 'DNO', 'doi-mk-thu-hoi');
        const a = await ctx().built.services.users.createToken({ user: u.user }, { name: 'Một' });
        const b = await ctx().built.services.users.createToken({ user: u.user }, { name: 'Hai' });
        const here = await ctx().signIn(u.username, u.password);
        const res = await here.form('/account/password', {
          current: u.password,
          password: 'mat-khau-moi-123',
          confirm: 'mat-khau-moi-123',
          revokeTokens: 'on',
        });
        expect(res.status).to.equal(302);
        expect((await meWith(ctx().built, a.token)).status).to.equal(401);
        expect((await meWith(ctx().built, b.token)).status).to.equal(401);
        expect(await signedIn(here)).to.equal(true);
        expect((await here.get('/account')).text).to.include('Đã thu hồi');
      });

      it('signs the user out of another app process on the same database within the cache time', async function () {
        this.timeout(20_000);
        const u = await ctx().userWith('viewer', 'DNO', 'hai-tien-trinh');
        const other = buildApp({
          config: ctx().config,
          db: ctx().db,
          clock: ctx().clock,
          logger: pino({ level: 'silent' }),
          sessionSecret: 'test-secret-test-secret-test-secret-0123',
        });
        const there = makeAgent(other);
        const token = csrfOf((await there.get('/login')).text);
        expect((await there.post('/login').type('form').send({ username: u.username, password: u.password, _csrf: token })).status).to.equal(302);
        // Read twice, so the other process holds the session in its cache.
        expect(await signedIn(there)).to.equal(true);
        expect(await signedIn(there)).to.equal(true);

        const here = await ctx().signIn(u.username, u.password);
        const changedAt = Date.now();
        expect((await here.form('/account/password', { current: u.password, password: 'mat-khau-moi-123', confirm: 'mat-khau-moi-123' })).status).to.equal(302);
        const bound = ctx().config.authCacheMs + 2000;
        let out = false;
        while (!out && Date.now() - changedAt < bound) {
          out = !(await signedIn(there));
          if (!out) await new Promise((r) => setTimeout(r, 100));
        }
        expect(out, `still signed in on the other process ${bound} ms after the change`).to.equal(true);
        expect(await signedIn(here)).to.equal(true);
      });

      it('refuses a password change with a wrong current password and changes nothing', async () => {
        const u = await ctx().userWith('viewer', 'DNO', 'sai-mk-cu');
        const { token } = await ctx().built.services.users.createToken({ user: u.user }, { name: 'Giữ' });
        const here = await ctx().signIn(u.username, u.password);
        const elsewhere = await ctx().signIn(u.username, u.password);
        const res = await here.form('/account/password', {
          current: 'khong-dung',
          password: 'mat-khau-moi-123',
          confirm: 'mat-khau-moi-123',
          revokeTokens: 'on',
        });
        expect(res.status).to.equal(422);
        expect(res.text, 'the box stays ticked').to.match(/name="revokeTokens"[^>]*checked/);
        expect(await signedIn(elsewhere)).to.equal(true);
        expect((await meWith(ctx().built, token)).status).to.equal(200);
      });
    });

    describe('an administrator', () => {
      async function victim(name: string) {
        const u = await ctx().userWith('viewer', 'DNO', name);
        const { token } = await ctx().built.services.users.createToken({ user: u.user }, { name: 'Tích hợp' });
        const session = await ctx().signIn(u.username, u.password);
        return { ...u, token, session };
      }

      it('resetting a password ends every session of that user and revokes their API tokens', async () => {
        const v = await victim('bi-dat-lai');
        const admin = await ctx().signIn('root', testPassword);
        const res = await admin.form(`/admin/users/${v.user.id}/password`, { password: 'mat-khau-moi-123' });
        expect(res.status).to.equal(302);
        expect(await signedIn(v.session)).to.equal(false);
        expect((await meWith(ctx().built, v.token)).status).to.equal(401);
        expect(await signedIn(admin), 'the administrator stays signed in').to.equal(true);
      });

      it('deactivating a user ends their sessions and revokes their tokens, and reactivating brings neither back', async () => {
        const v = await victim('bi-khoa-tk');
        const admin = await ctx().signIn('root', testPassword);
        const off = await admin.form(`/admin/users/${v.user.id}`, { fullName: v.user.fullName, email: '' });
        expect(off.status).to.equal(302);
        expect(await signedIn(v.session)).to.equal(false);
        expect((await meWith(ctx().built, v.token)).status).to.equal(401);

        expect((await admin.form(`/admin/users/${v.user.id}`, { fullName: v.user.fullName, email: '', isActive: 'on' })).status).to.equal(302);
        expect(await signedIn(v.session), 'old session after reactivation').to.equal(false);
        expect((await meWith(ctx().built, v.token)).status, 'old token after reactivation').to.equal(401);
        const fresh = await ctx().signIn(v.username, v.password);
        expect(await signedIn(fresh)).to.equal(true);
      });
    });
  },
  { AUTH_CACHE_SECONDS: '1' },
);
