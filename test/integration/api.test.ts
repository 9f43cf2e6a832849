import { expect } from 'chai';
import request from 'supertest';
import { csrfOf, forEachDatabase, testPassword, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';

/**
 * What the examples of docs/api.md cannot show well: paging through a whole list, tokens that
 * follow their owner's rights over time, CSRF on session calls, and errors that stay JSON.
 */

interface Caller {
  id: number;
  username: string;
  token: string;
}

async function callerWith(ctx: TestContext, role: 'admin' | 'coordinator' | 'officer', unitCode: string | null, username: string): Promise<Caller> {
  const users = ctx.built.services.users;
  const created = await users.create(ctx.admin, { username, fullName: `Người dùng ${username}`, password: testPassword });
  const user = await users.addRole(ctx.admin, created.id, { role, unitId: unitCode ? await ctx.unitId(unitCode) : undefined });
  const { token } = await users.createToken({ user }, { name: 'Kiểm thử' });
  return { id: user.id, username, token };
}

const bearer = (c: Caller) => `Bearer ${c.token}`;

forEachDatabase('the JSON API', (ctx) => {
  let admin: Caller;
  let officer: Caller;
  const api = () => request(ctx().built.app);

  before(async () => {
    await seedTree(ctx());
    admin = await callerWith(ctx(), 'admin', null, 'quantri2');
    officer = await callerWith(ctx(), 'officer', 'DNO-CJ', 'canbo.cujut');
  });

  describe('list filters', () => {
    it('answers 422 naming a query parameter a list does not know, on every list, instead of returning everything', async () => {
      const lists = [
        'units',
        'users',
        'tthc',
        'procedures',
        'checks',
        'findings',
        'actions',
        'documents',
        'inspections',
        'teams',
        'notifications',
        'dashboard',
      ];
      for (const list of lists) {
        const res = await api().get(`/api/v1/${list}?unitId=1&khongCo=2`).set('Authorization', bearer(admin));
        if (list === 'procedures' || list === 'documents') {
          // `unitId` is these lists' own filter; only the unknown one is named.
          expect(res.status, list).to.equal(422);
          expect(Object.keys(res.body.error.fields), list).to.deep.equal(['khongCo']);
          continue;
        }
        expect(res.status, list).to.equal(422);
        expect(Object.keys(res.body.error.fields).sort(), list).to.deep.equal(['khongCo', 'unitId']);
        expect(res.body.error.fields.unitId, list).to.contain('không được hỗ trợ');
      }
      const ok = await api().get('/api/v1/findings?unit=1').set('Authorization', bearer(admin));
      expect(ok.status).to.equal(200);
    });
  });

  describe('pagination', () => {
    it('pages through every unit once, with the same meta on every page', async () => {
      const total = (await ctx().db('units').whereNull('active_to')).length;
      expect(total).to.equal(7);
      const seen: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const res = await api().get(`/api/v1/units?pageSize=3&page=${page}`).set('Authorization', bearer(admin));
        expect(res.status).to.equal(200);
        expect(res.body.meta).to.deep.equal({ total, page, pageSize: 3, pages: 3 });
        expect(res.body.data).to.have.length(page < 3 ? 3 : 1);
        seen.push(...res.body.data.map((u: { code: string }) => u.code));
      }
      const all = (await ctx().db('units').pluck('code')) as string[];
      expect([...seen].sort()).to.deep.equal([...all].sort());
    });

    it('answers a page past the last one with no data and the real meta', async () => {
      const res = await api().get('/api/v1/units?pageSize=3&page=4').set('Authorization', bearer(admin));
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ data: [], meta: { total: 7, page: 4, pageSize: 3, pages: 3 } });
    });

    it('accepts a page size of 200 and refuses 201 or a page 0 with a field message', async () => {
      const ok = await api().get('/api/v1/units?pageSize=200').set('Authorization', bearer(admin));
      expect(ok.body.meta).to.deep.equal({ total: 7, page: 1, pageSize: 200, pages: 1 });
      const tooBig = await api().get('/api/v1/units?pageSize=201').set('Authorization', bearer(admin));
      expect(tooBig.status).to.equal(422);
      expect(tooBig.body.error.code).to.equal('VALIDATION_FAILED');
      expect(tooBig.body.error.fields).to.have.property('pageSize').that.is.a('string');
      const zero = await api().get('/api/v1/units?page=0').set('Authorization', bearer(admin));
      expect(zero.status).to.equal(422);
      expect(zero.body.error.fields).to.have.property('page');
    });

    it('pages through users and the audit log with the same meta', async () => {
      const users = (await ctx().db('users')).length;
      const u2 = await api().get('/api/v1/users?pageSize=2&page=2').set('Authorization', bearer(admin));
      expect(u2.body.meta).to.deep.equal({ total: users, page: 2, pageSize: 2, pages: Math.ceil(users / 2) });
      const entries = (await ctx().db('audit_log')).length;
      const a1 = await api().get('/api/v1/audit?pageSize=5').set('Authorization', bearer(admin));
      expect(a1.body.meta).to.deep.equal({ total: entries, page: 1, pageSize: 5, pages: Math.ceil(entries / 5) });
      expect(a1.body.data).to.have.length(5);
      const a2 = await api().get('/api/v1/audit?pageSize=5&page=2').set('Authorization', bearer(admin));
      const ids = [...a1.body.data, ...a2.body.data].map((e: { id: number }) => e.id);
      expect(new Set(ids).size, 'no entry on two pages').to.equal(ids.length);
      expect(ids, 'newest first').to.deep.equal([...ids].sort((x, y) => y - x));
    });
  });

  describe('tokens', () => {
    it("lets an officer's token list exactly what the officer sees when signed in", async () => {
      const byToken = await api().get('/api/v1/units').set('Authorization', bearer(officer));
      const agent = await ctx().signIn(officer.username, testPassword);
      const bySession = await agent.get('/api/v1/units');
      expect(byToken.status).to.equal(200);
      expect(byToken.body.data.map((u: { code: string }) => u.code).sort()).to.deep.equal(['DNO-CJ', 'DNO-CJ-ET', 'DNO-CJ-ND']);
      expect(byToken.body).to.deep.equal(bySession.body);
    });

    it("does not let an officer's token read the other province, its own province or any user", async () => {
      for (const code of ['LCA', 'LCA-TU-PK', 'DNO']) {
        const res = await api()
          .get(`/api/v1/units/${await ctx().unitId(code)}`)
          .set('Authorization', bearer(officer));
        expect(res.status, code).to.equal(404);
        expect(res.body.error.code).to.equal('NOT_FOUND');
      }
      const list = await api().get('/api/v1/units?q=lai+chau').set('Authorization', bearer(officer));
      expect(list.body).to.deep.equal({ data: [], meta: { total: 0, page: 1, pageSize: 50, pages: 1 } });
      for (const path of ['/api/v1/users', `/api/v1/users/${admin.id}`, '/api/v1/audit']) {
        const res = await api().get(path).set('Authorization', bearer(officer));
        expect(res.status, path).to.equal(404);
        expect(res.body.error.code).to.equal('NOT_FOUND');
      }
    });

    it("does not let an officer's token edit a unit it can read, but lets it set the ISO state", async () => {
      const nd = await ctx().unitId('DNO-CJ-ND');
      const edit = await api().patch(`/api/v1/units/${nd}`).set('Authorization', bearer(officer)).send({ name: 'Đổi tên' });
      expect(edit.status).to.equal(404);
      expect((await ctx().built.services.units.get(ctx().admin, nd)).name).to.equal('Xã Nam Dong');
      const state = await api()
        .put(`/api/v1/units/${nd}/iso-state`)
        .set('Authorization', bearer(officer))
        .send({ state: 'building', standard: '2015', reason: 'Bắt đầu xây dựng' });
      expect(state.status).to.equal(200);
      expect(state.body.data.isoState).to.equal('building');
    });

    it('takes a role away from the token as soon as it is taken from the owner', async () => {
      const temp = await callerWith(ctx(), 'officer', 'LCA', 'tam.laichau');
      const pk = await ctx().unitId('LCA-TU-PK');
      expect((await api().get(`/api/v1/units/${pk}`).set('Authorization', bearer(temp))).status).to.equal(200);
      const me = await api().get('/api/v1/me').set('Authorization', bearer(temp));
      const roleId = me.body.data.roles[0].id as number;
      const removed = await api().delete(`/api/v1/users/${temp.id}/roles/${roleId}`).set('Authorization', bearer(admin));
      expect(removed.status).to.equal(204);
      expect((await api().get(`/api/v1/units/${pk}`).set('Authorization', bearer(temp))).status).to.equal(404);
      const list = await api().get('/api/v1/units').set('Authorization', bearer(temp));
      expect(list.body.meta.total).to.equal(0);
    });

    it('accepts a token made on the account page until it is revoked there, then answers 401', async () => {
      const owner = await callerWith(ctx(), 'coordinator', 'LCA', 'dieuphoi.laichau');
      const agent = await ctx().signIn(owner.username, testPassword);
      const made = await agent.form('/account/tokens', { name: 'Cổng thông tin tỉnh' });
      expect(made.status).to.equal(201);
      const token = /id="new-token">([^<]+)</.exec(made.text)?.[1];
      expect(token, 'the new token is shown once').to.match(/^isot_\S+$/);

      const before = await api().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect(before.status).to.equal(200);
      expect(before.body.data.username).to.equal('dieuphoi.laichau');

      const listed = await ctx().built.services.users.listTokens({ user: before.body.data });
      const id = listed.find((t) => t.name === 'Cổng thông tin tỉnh')?.id;
      const revoked = await agent.form(`/account/tokens/${id}/revoke`, {});
      expect(revoked.status).to.equal(302);

      const after = await api().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect(after.status).to.equal(401);
      expect(after.type).to.equal('application/json');
      expect(after.body.error).to.include({ code: 'TOKEN_INVALID', message: 'Mã truy cập không hợp lệ hoặc đã bị thu hồi.' });
      // The owner's other token is untouched.
      expect((await api().get('/api/v1/me').set('Authorization', bearer(owner))).status).to.equal(200);
    });

    it('stops the tokens of a deactivated user', async () => {
      const leaving = await callerWith(ctx(), 'officer', 'DNO-SKHCN', 'nghiviec');
      expect((await api().get('/api/v1/me').set('Authorization', bearer(leaving))).status).to.equal(200);
      const off = await api().patch(`/api/v1/users/${leaving.id}`).set('Authorization', bearer(admin)).send({ isActive: false });
      expect(off.status).to.equal(200);
      expect(off.body.data.isActive).to.equal(false);
      const res = await api().get('/api/v1/me').set('Authorization', bearer(leaving));
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('TOKEN_INVALID');
    });

    it('opens only the API: a token sent to a page signs nobody in', async () => {
      const res = await api().get('/units').set('Authorization', bearer(admin));
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.match(/^\/login/);
    });
  });

  describe('round trips', () => {
    it('accepts back a unit exactly as it was read, and keeps it unchanged', async () => {
      const id = await ctx().unitId('DNO-CJ-ET');
      const read = await api().get(`/api/v1/units/${id}`).set('Authorization', bearer(admin));
      const back = await api().patch(`/api/v1/units/${id}`).set('Authorization', bearer(admin)).send(read.body.data);
      expect(back.status, back.text).to.equal(200);
      const { updatedAt: _a, ...before } = read.body.data;
      const { updatedAt: _b, ...after } = back.body.data;
      for (const [k, v] of Object.entries(after)) expect(before[k], k).to.deep.equal(v);
    });

    it('accepts back a user exactly as it was read, an e-mail of null included', async () => {
      const read = await api().get(`/api/v1/users/${officer.id}`).set('Authorization', bearer(admin));
      expect(read.body.data.email).to.equal(null);
      const back = await api().patch(`/api/v1/users/${officer.id}`).set('Authorization', bearer(admin)).send(read.body.data);
      expect(back.status, back.text).to.equal(200);
      expect(back.body.data).to.deep.equal(read.body.data);
    });
  });

  describe('CSRF', () => {
    const unitsNow = async () => (await ctx().db('units')).length;

    it('refuses an API write on a browser session without the CSRF header, and changes nothing', async () => {
      const agent = await ctx().signIn('quantri2', testPassword);
      const count = await unitsNow();
      const res = await agent.post('/api/v1/units').send({ code: 'CSRF-1', name: 'Xã Thử', kind: 'commune', parentId: await ctx().unitId('LCA') });
      expect(res.status).to.equal(403);
      expect(res.type).to.equal('application/json');
      expect(res.body.error.code).to.equal('CSRF_INVALID');
      expect(await unitsNow()).to.equal(count);
    });

    it("accepts the same write on a browser session with the page's CSRF token in x-csrf-token", async () => {
      const agent = await ctx().signIn('quantri2', testPassword);
      const token = csrfOf((await agent.get('/account')).text);
      const res = await agent
        .post('/api/v1/units')
        .set('x-csrf-token', token)
        .send({ code: 'CSRF-2', name: 'Xã Thử Hai', kind: 'commune', parentId: await ctx().unitId('LCA') });
      expect(res.status).to.equal(201);
      expect(res.body.data.code).to.equal('CSRF-2');
    });

    it('accepts the same write with a bearer token and no CSRF token', async () => {
      const res = await api()
        .post('/api/v1/units')
        .set('Authorization', bearer(admin))
        .send({ code: 'CSRF-3', name: 'Xã Thử Ba', kind: 'commune', parentId: await ctx().unitId('LCA') });
      expect(res.status).to.equal(201);
      expect(await ctx().db('units').where('code', 'CSRF-3').first('id')).to.not.equal(undefined);
    });
  });

  describe('errors', () => {
    const cases: Array<{ title: string; status: number; code: string; send: (c: { admin: Caller; officer: Caller }) => request.Test }> = [
      {
        title: 'GET of an unknown API path',
        status: 404,
        code: 'NOT_FOUND',
        send: ({ officer: o }) => request(ctx().built.app).get('/api/v1/khong-co/1').set('Authorization', bearer(o)),
      },
      {
        title: 'POST to an unknown API path',
        status: 404,
        code: 'NOT_FOUND',
        send: ({ admin: a }) => request(ctx().built.app).post('/api/v1/khong-co').set('Authorization', bearer(a)).send({ a: 1 }),
      },
      { title: 'GET of an unknown API path without a caller', status: 404, code: 'NOT_FOUND', send: () => request(ctx().built.app).get('/api/v1/khong-co') },
      {
        title: 'a method the path does not have',
        status: 404,
        code: 'NOT_FOUND',
        send: ({ admin: a }) => request(ctx().built.app).delete('/api/v1/units').set('Authorization', bearer(a)),
      },
      { title: 'an unknown path outside /api/v1 but under /api', status: 404, code: 'NOT_FOUND', send: () => request(ctx().built.app).get('/api/v2/units') },
      {
        title: 'a non-numeric id',
        status: 404,
        code: 'NOT_FOUND',
        send: ({ admin: a }) => request(ctx().built.app).get('/api/v1/units/abc').set('Authorization', bearer(a)),
      },
      { title: 'no caller', status: 401, code: 'UNAUTHENTICATED', send: () => request(ctx().built.app).get('/api/v1/audit') },
      {
        title: 'no caller on a write',
        status: 401,
        code: 'UNAUTHENTICATED',
        send: () => request(ctx().built.app).put('/api/v1/units/1/iso-state').send({ state: 'declared' }),
      },
      {
        title: 'a token too short to be one',
        status: 401,
        code: 'TOKEN_INVALID',
        send: () => request(ctx().built.app).get('/api/v1/me').set('Authorization', 'Bearer abc'),
      },
      {
        title: 'another scheme than Bearer',
        status: 401,
        code: 'TOKEN_INVALID',
        send: () => request(ctx().built.app).get('/api/v1/me').set('Authorization', 'Basic cm9vdDpwYXNz'),
      },
      {
        title: 'a body that is not JSON',
        status: 400,
        code: 'BAD_REQUEST',
        send: ({ admin: a }) =>
          request(ctx().built.app).post('/api/v1/units').set('Authorization', bearer(a)).set('Content-Type', 'application/json').send('{"code":'),
      },
      {
        title: 'a body over 1 MB',
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        send: ({ admin: a }) =>
          request(ctx().built.app)
            .post('/api/v1/units')
            .set('Authorization', bearer(a))
            .send({ name: 'x'.repeat(1_100_000) }),
      },
      {
        title: 'a POST with no body at all',
        status: 422,
        code: 'VALIDATION_FAILED',
        send: ({ admin: a }) => request(ctx().built.app).post('/api/v1/units').set('Authorization', bearer(a)),
      },
    ];
    for (const c of cases) {
      it(`answers ${c.title} with ${c.status} ${c.code} in JSON, never HTML`, async () => {
        const res = await c.send({ admin, officer });
        expect(res.status).to.equal(c.status);
        expect(res.type).to.equal('application/json');
        expect(res.text).to.not.match(/<html|<!doctype|<body/i);
        expect(res.text, 'no stack trace').to.not.match(/\bat .+\.ts:\d+/);
        expect(res.body.error.code).to.equal(c.code);
        expect(res.body.error.message)
          .to.be.a('string')
          .and.not.equal('')
          .and.not.match(/^errors\./);
        expect(res.body.error.requestId).to.equal(res.headers['x-request-id']);
      });
    }
  });
});
