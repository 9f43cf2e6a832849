import { expect } from 'chai';
import request from 'supertest';
import { forEachDatabase, makeAgent, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { castRoles, signInCast, type CastRole, type Member } from '../fixtures/cast.ts';
import { send, viText, escapeHtml } from '../fixtures/http.ts';
import { accessWorld, fillPath, type Fixture } from '../fixtures/access-world.ts';
import { describeRow, expected, isScoped, mountedRoutes, publicRoutes, routeKey, routes, type Layer } from '../fixtures/access-table.ts';

/**
 * Every route of the app, for every role, on a unit inside the role's scope and on one outside
 * it. The rule of the product: what is outside your scope, or beyond your role, does not exist
 * for you (404, never 403, never the data). The table and its world live in
 * test/fixtures/access-table.ts and access-world.ts (the fuzz suite walks the same table).
 */

/**
 * Row counts of the catalog's tables, the sums of the versions that every save and life-cycle
 * step bumps, and the adopted TTHC: a write of any kind changes one of them (the test clock
 * stands still, so timestamps would not show it).
 */
async function catalogCounts(ctx: TestContext): Promise<string> {
  const out: string[] = [];
  for (const t of ['tthc', 'unit_tthc', 'procedures', 'procedure_revisions', 'quality_policies', 'quality_objectives', 'catalog_files']) {
    const row = (await ctx.db(t).first(ctx.db.raw('count(*) as n'))) as { n: unknown };
    out.push(`${t} ${Number(row.n)}`);
  }
  for (const t of ['tthc', 'procedure_revisions']) {
    const row = (await ctx.db(t).first(ctx.db.raw('sum(version) as v'))) as { v: unknown };
    out.push(`${t} versions ${Number(row.v)}`);
  }
  const adopted = (await ctx.db('unit_tthc').whereNull('dropped_at').first(ctx.db.raw('count(*) as n'))) as { n: unknown };
  out.push(`adopted ${Number(adopted.n)}`);
  return out.join('; ');
}

forEachDatabase('access: every route, every role, in and out of scope', (ctx) => {
  let cast: Record<CastRole, Member>;
  let f: Fixture;

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    cast = await signInCast(ctx(), 'acc');
    f = await accessWorld(ctx());
  });

  describe('the route table', () => {
    it('has a row for every route the app mounts (public routes apart)', () => {
      const mounted = mountedRoutes((ctx().built.app as unknown as { router: { stack: Layer[] } }).router.stack);
      const known = new Set([...routes.map(routeKey), ...publicRoutes]);
      expect(
        mounted.filter((r) => !known.has(r)),
        'routes without a row in the access table',
      ).to.deep.equal([]);
      expect(
        [...new Set(routes.map(routeKey))].filter((r) => !mounted.includes(r)),
        'rows for routes that do not exist',
      ).to.deep.equal([]);
    });

    for (const row of routes) {
      it(describeRow(row), async function () {
        this.timeout(60_000);
        const problems: string[] = [];
        for (const role of castRoles) {
          const m = cast[role];
          for (const where of isScoped(row) ? (['inside', 'outside'] as const) : (['inside'] as const)) {
            const u = f[where];
            const { url, made } = await fillPath(row, u, f, m);
            const res = await send(m.agent, row.method, url, { body: await row.body?.(u, f, made), csrf: m.csrf, file: row.file?.(u) });
            const want = expected(row, role, where);
            const label = `${role} ${row.method} ${url} (${where})`;
            if (res.status !== want) {
              problems.push(`${label}: expected ${want}, got ${res.status} ${res.text.slice(0, 200)}`);
              continue;
            }
            if (want === 404) {
              // "Does not exist": the page in Vietnamese, or the coded JSON error.
              if (url.startsWith('/api/')) {
                if ((res.body as { error?: { code?: string } }).error?.code !== 'NOT_FOUND') problems.push(`${label}: 404 without the NOT_FOUND body`);
              } else if (!res.text.includes(escapeHtml(viText('errors.NOT_FOUND')))) {
                problems.push(`${label}: 404 without the Vietnamese not-found page`);
              }
            }
            if (where === 'outside' && role === 'admin' && row.path.includes(':marker') && !res.text.includes(f.outside.cat.marker)) {
              // The same search finds the other province's records for the administrator, so an
              // empty answer for the others is the scope at work, not a search that matches nothing.
              problems.push(`${label}: the administrator's search does not find "${f.outside.cat.marker}"`);
            }
            if (where === 'outside' && role !== 'admin') {
              for (const leak of [f.outside.name, f.outside.code, 'Tỉnh Lai Châu', f.outside.cat.marker]) {
                if (res.text.includes(leak) || res.text.includes(escapeHtml(leak))) problems.push(`${label}: the answer shows "${leak}"`);
              }
            }
          }
        }
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });

  describe('without signing in', () => {
    for (const row of routes) {
      const api = row.path.startsWith('/api/');
      const what = api ? '401 in JSON' : row.method === 'GET' ? 'a redirect to the sign-in page' : '401';
      it(`${row.method} ${row.path} answers ${what}`, async () => {
        const { url, made } = await fillPath(row, f.inside, f);
        const body = await row.body?.(f.inside, f, made);
        const unitsBefore = await ctx().db('units').count({ n: '*' });
        const catalogBefore = await catalogCounts(ctx());
        let res: request.Response;
        if (api) {
          // An API client without credentials: no cookie, no CSRF token, no bearer token.
          res = await send(request(ctx().built.app), row.method, url, { body });
          expect(res.status, res.text).to.equal(401);
          expect(res.type).to.equal('application/json');
          expect((res.body as { error: { code: string } }).error.code).to.equal('UNAUTHENTICATED');
        } else if (row.method === 'GET') {
          res = await send(request(ctx().built.app), row.method, url);
          expect(res.status).to.equal(302);
          expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(url)}`);
        } else {
          // A browser form with a valid (anonymous) CSRF token still needs a session.
          const agent = makeAgent(ctx().built);
          res = await send(agent, row.method, url, { body, csrf: await agent.csrf() });
          expect(res.status).to.equal(401);
          expect(res.text).to.include(viText('errors.UNAUTHENTICATED'));
        }
        expect(res.text).not.to.include(f.inside.name);
        expect(await ctx().db('units').count({ n: '*' })).to.deep.equal(unitsBefore);
        expect(await catalogCounts(ctx()), 'the catalog is unchanged').to.deep.equal(catalogBefore);
      });
    }
  });

  describe('a unit outside the scope named in a form or a JSON body', () => {
    it('reads exactly as a unit that does not exist, and creates nothing', async () => {
      const m = cast.coordinator;
      const before = await ctx().db('units').count({ n: '*' });
      const answers: string[] = [];
      for (const parentId of [String(f.outside.id), '999999']) {
        const body = { code: `NGOAI-${parentId}`, name: 'Xã ngoài phạm vi', kind: 'commune', parentId };
        const page = await send(m.agent, 'POST', '/units', { body, csrf: m.csrf });
        expect(page.status).to.equal(422);
        expect(page.text).to.include(`<p class="error">${escapeHtml(viText('v.parent_unknown'))}</p>`);
        const api = await send(m.agent, 'POST', '/api/v1/units', { body, csrf: m.csrf });
        expect(api.status).to.equal(422);
        const { error } = api.body as { error: { code: string; fields: Record<string, string> } };
        answers.push(JSON.stringify({ code: error.code, fields: error.fields }));
      }
      expect(answers[0]).to.equal(answers[1]);
      expect(await ctx().db('units').count({ n: '*' })).to.deep.equal(before);
    });

    it('a move or merge naming a unit of the other province is refused as unknown', async () => {
      const m = cast.coordinator;
      const et = await ctx().unitId('DNO-CJ-ET');
      const move = await send(m.agent, 'POST', `/units/${et}/move`, { body: { parentCode: 'LCA' }, csrf: m.csrf });
      expect(move.status).to.equal(422);
      expect(move.text).to.include(escapeHtml(viText('v.parent_unknown')));
      const merge = await send(m.agent, 'POST', `/api/v1/units/${et}/merge`, { body: { sources: ['LCA-TU-PK'], date: '2025-07-01' }, csrf: m.csrf });
      expect(merge.status).to.equal(422);
      expect(merge.body).to.nested.include({ 'error.fields.sources': viText('v.merge_unknown', { code: 'LCA-TU-PK' }) });
      const pk = (await ctx().db('units').where('code', 'LCA-TU-PK').first('active_to', 'merged_into_id')) as Record<string, unknown>;
      expect(pk).to.deep.equal({ active_to: null, merged_into_id: null });
    });
  });

  describe('the links of a unit page', () => {
    it('every record the unit page links to opens for each role that sees the page', async function () {
      this.timeout(60_000);
      const problems: string[] = [];
      for (const role of castRoles) {
        const page = await cast[role].agent.get(`/units/${f.inside.id}`);
        expect(page.status, role).to.equal(200);
        const nav = /<nav class="unit-links"[^>]*>([\s\S]*?)<\/nav>/.exec(page.text)?.[1] ?? '';
        const links = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
        if (links.length < 8) problems.push(`${role}: only ${links.length} links`);
        for (const link of links) {
          const res = await cast[role].agent.get(link);
          if (res.status !== 200 && res.status !== 302) problems.push(`${role} ${link}: ${res.status}`);
        }
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  });

  describe('the tree each role sees', () => {
    it('an officer of a commune signs in and cannot see another province in the tree or the search', async () => {
      const officer = cast.officer.agent;
      const tree = await officer.get('/units');
      expect(tree.status).to.equal(200);
      expect(tree.text).to.include('Xã Nam Dong');
      for (const other of ['Tỉnh Lai Châu', 'Xã Phúc Khoa', 'LCA']) expect(tree.text).not.to.include(other);

      for (const q of ['phuc khoa', 'Lai Châu', 'LCA-TU-PK', 'LCA']) {
        const page = await officer.get('/units').query({ q, status: 'all' });
        expect(page.status).to.equal(200);
        expect(page.text).to.include(viText('units.no_results'));
        expect(page.text).not.to.include(`href="/units/${f.outside.id}"`);
        const api = await officer.get('/api/v1/units').query({ q, status: 'all' });
        expect(api.status).to.equal(200);
        expect(api.body).to.deep.include({ data: [] });
        expect((api.body as { meta: { total: number } }).meta.total).to.equal(0);
      }
    });

    it('an officer lists only the units of their commune through the API', async () => {
      const res = await cast.officer.agent.get('/api/v1/units').query({ status: 'all', pageSize: 200 });
      const codes = (res.body as { data: Array<{ code: string }> }).data.map((u) => u.code);
      expect(codes).to.include('DNO-CJ-ND');
      expect(codes.every((c) => c.startsWith('DNO-CJ-ND') || c.startsWith('ACC-'))).to.equal(true, codes.join(','));
      const direct = await cast.officer.agent.get(`/api/v1/units/${await ctx().unitId('DNO')}`);
      expect(direct.status, 'the province above the officer').to.equal(404);
    });

    it('a coordinator of a province sees its whole subtree and nothing of the other province', async () => {
      const res = await cast.coordinator.agent.get('/api/v1/units').query({ status: 'all', pageSize: 200 });
      const codes = (res.body as { data: Array<{ code: string }> }).data.map((u) => u.code);
      expect(codes).to.include.members(['DNO', 'DNO-CJ', 'DNO-CJ-ND', 'DNO-CJ-ET', 'DNO-SKHCN']);
      expect(codes.filter((c) => c.startsWith('LCA'))).to.deep.equal([]);
      const tree = await cast.coordinator.agent.get('/units');
      expect(tree.text).to.include('Tỉnh Đắk Nông');
      expect(tree.text).not.to.include('Tỉnh Lai Châu');
    });

    it('the administrator sees both provinces', async () => {
      const tree = await cast.admin.agent.get('/units');
      expect(tree.text).to.include('Tỉnh Đắk Nông');
      expect(tree.text).to.include('Tỉnh Lai Châu');
    });
  });

  describe('the audit log', () => {
    it("a coordinator's log holds the entries of units of their province and none of the other province", async () => {
      const s = ctx().built.services.units;
      const pk = await ctx().unitId('LCA-TU-PK');
      const nd = await ctx().unitId('DNO-CJ-ND');
      await s.setIsoState(ctx().admin, pk, { state: 'applying', reason: 'Nhật ký ngoài tỉnh LCA-PK-REASON' });
      await s.setIsoState(ctx().admin, nd, { state: 'applying', reason: 'Nhật ký trong tỉnh DNO-ND-REASON' });

      const api = await cast.coordinator.agent.get('/api/v1/audit').query({ pageSize: 200 });
      expect(api.status).to.equal(200);
      const entries = (api.body as { data: Array<{ unitId: number | null; entity: string }> }).data;
      expect(entries.some((e) => e.unitId === nd)).to.equal(true);
      const lcaIds = (await ctx().db('units').where('code', 'like', 'LCA%').select('id')).map((r: { id: number }) => Number(r.id));
      expect(entries.filter((e) => e.unitId === null || lcaIds.includes(e.unitId))).to.deep.equal([]);
      expect(JSON.stringify(api.body)).not.to.include('LCA-PK-REASON');

      const page = await cast.coordinator.agent.get('/audit').query({ pageSize: 200 });
      expect(page.status).to.equal(200);
      expect(page.text).to.include('DNO-ND-REASON');
      expect(page.text).not.to.include('LCA-PK-REASON');
      expect(page.text).not.to.include('Xã Phúc Khoa');

      const admin = await cast.admin.agent.get('/api/v1/audit').query({ pageSize: 200 });
      expect(JSON.stringify(admin.body)).to.include('LCA-PK-REASON');
    });

    it('a coordinator filtering the log on a unit of the other province gets nothing of it', async () => {
      const pk = await ctx().unitId('LCA-TU-PK');
      const api = await cast.coordinator.agent.get('/api/v1/audit').query({ entity: 'unit', entityId: pk });
      expect(api.body).to.deep.include({ data: [] });
      const page = await cast.coordinator.agent.get('/audit').query({ entity: 'unit', entityId: pk });
      expect(page.text).to.include(viText('audit.empty'));
    });
  });
});
