import { expect } from 'chai';
import { pino } from 'pino';
import request from 'supertest';
import { buildApp } from '../../src/app.ts';
import { seedDemo } from '../../src/cli/demo-seed.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { engines, freshDb } from '../helpers/databases.ts';
import { forEachDatabase, makeAgent, testConfig } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';

const logger = pino({ level: 'silent' });
const secret = 'test-secret-test-secret-test-secret-0123';

forEachDatabase('health, language, request ids and the audit log', (ctx) => {
  before(async () => seedTree(ctx()));

  it('answers /healthz with 200 while the database is reachable', async () => {
    const res = await request(ctx().built.app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok', database: 'up' });
  });

  it('shows the pages in English once the user picks it, and Vietnamese by default', async () => {
    const agent = await ctx().signIn('root', 'mat-khau-thu-nghiem-1');
    expect((await agent.get('/units')).text).to.contain('Cây đơn vị');
    await agent.form('/lang', { lang: 'en', back: '/units' });
    const en = await agent.get('/units');
    expect(en.text).to.contain('lang="en"');
    expect(en.text).not.to.contain('Cây đơn vị');
    await agent.form('/lang', { lang: 'vi', back: '/units' });
    expect((await agent.get('/units')).text).to.contain('Cây đơn vị');
  });

  it('comes back to the same address, its query included, after the language is switched', async () => {
    const agent = await ctx().signIn('root', 'mat-khau-thu-nghiem-1');
    const page = await agent.get('/audit?action=iso_state&from=01/03/2026');
    const back = /name="back" value="([^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    expect(back).to.equal('/audit?action=iso_state&from=01/03/2026');
    const res = await agent.form('/lang', { lang: 'en', back: back! });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/audit?action=iso_state&from=01/03/2026');
    await agent.form('/lang', { lang: 'vi', back: '/units' });
  });

  it('gives every response a request id and quotes it on the error page', async () => {
    const agent = await ctx().signIn('root', 'mat-khau-thu-nghiem-1');
    const res = await agent.get('/units/999999');
    expect(res.status).to.equal(404);
    const id = res.headers['x-request-id'] as string;
    expect(id).to.match(/^[\w-]{8,}$/);
    expect(res.text).to.contain(id);
    expect(res.text).to.contain('Không tìm thấy');
  });

  it('lets an administrator browse the audit log of one unit and of one user', async () => {
    const agent = await ctx().signIn('root', 'mat-khau-thu-nghiem-1');
    const nd = await ctx().unitId('DNO-CJ-ND');
    await agent.form(`/units/${nd}/iso-state`, { state: 'building', standard: '2015', reason: 'Khởi động xây dựng HTQLCL' });
    const perRecord = await agent.get(`/audit?entity=unit&entityId=${nd}`);
    expect(perRecord.status).to.equal(200);
    expect(perRecord.text).to.contain('Khởi động xây dựng HTQLCL');
    expect(perRecord.text).to.contain('Trạng thái ISO');
    const rootId = (await ctx().db('users').where('username', 'root').first('id')) as { id: number };
    const perUser = await agent.get(`/audit?userId=${rootId.id}`);
    expect(perUser.text).to.contain('Xã Nam Dong');
  });

  it('signs a user out at once when an administrator resets their password', async () => {
    const officer = await ctx().userWith('officer', 'DNO-CJ-ND');
    const agent = await ctx().signIn(officer.username, officer.password);
    expect((await agent.get('/units')).status).to.equal(200);
    const admin = await ctx().signIn('root', 'mat-khau-thu-nghiem-1');
    expect((await admin.form(`/admin/users/${officer.user.id}/password`, { password: 'mat-khau-moi-hoan-toan' })).status).to.equal(302);
    const after = await agent.get('/units');
    expect(after.status).to.equal(302);
    expect(after.headers.location).to.match(/^\/login/);
  });

  it('filters the audit log by the entities of every module, not only units and users', async () => {
    const agent = await ctx().signIn('root', 'mat-khau-thu-nghiem-1');
    for (const entity of ['procedure', 'tthc', 'check', 'quality_objective']) {
      expect((await agent.get(`/audit?entity=${entity}&entityId=1`)).status, entity).to.equal(200);
    }
    expect((await agent.get('/audit?entity=<script>')).status).to.equal(422);
  });
});

for (const dialect of engines()) {
  describe(`health when the database is gone [${dialect}]`, () => {
    it('answers /healthz with 503', async () => {
      const tdb = await freshDb(dialect);
      const built = buildApp({ config: testConfig(tdb.url), db: tdb.db, clock: new ManualClock(), logger, sessionSecret: secret });
      await tdb.drop();
      const res = await request(built.app).get('/healthz');
      expect(res.status).to.equal(503);
      expect(res.body.database).to.equal('down');
    });
  });

  describe(`demo data [${dialect}]`, () => {
    it('loads Đắk Nông before and after the 2025 merger, with one account per role that can sign in', async function () {
      this.timeout(60_000);
      const tdb = await freshDb(dialect);
      try {
        const config = testConfig(tdb.url);
        const clock = new ManualClock('2026-11-22T02:00:00Z');
        const accounts = await seedDemo(tdb.db, clock, config);
        expect(accounts.map((a) => a.role)).to.include.members(['admin', 'coordinator', 'officer', 'inspector', 'leader', 'viewer']);
        const built = buildApp({ config, db: tdb.db, clock, logger, sessionSecret: secret });
        const officer = accounts.find((a) => a.role === 'officer')!;
        const agent = makeAgent(built);
        const token = await agent.csrf();
        const login = await agent.post('/login').type('form').send({ username: officer.username, password: officer.password, _csrf: token });
        expect(login.status).to.equal(302);
        const namDong = (await tdb.db('units').where('code', 'DNO-NAMDONG').first('id')) as { id: number };
        const page = await agent.get(`/units/${namDong.id}`);
        expect(page.text).to.contain('Hình thành từ việc sáp nhập');
        expect(page.text).to.contain('Xã Đắk Drông');
        expect(page.text).to.contain('Cần công bố lại');
        // Every account opens what its header and Nam Dong's page link to, and the records are there.
        const problems: string[] = [];
        for (const a of accounts) {
          const who = makeAgent(built);
          const csrf = await who.csrf();
          const signed = await who.post('/login').type('form').send({ username: a.username, password: a.password, _csrf: csrf });
          expect(signed.headers.location, a.username).to.equal('/');
          const home = await who.get('/home');
          expect(home.status, `${a.username} /home`).to.equal(200);
          const nav = /<header class="top">([\s\S]*?)<\/header>/.exec(home.text)?.[1] ?? '';
          const unitPage = await who.get(`/units/${namDong.id}`);
          const records = /<nav class="unit-links"[^>]*>([\s\S]*?)<\/nav>/.exec(unitPage.text)?.[1] ?? '';
          // The header draws its links twice (a bar for wide screens, a menu for phones): each once.
          const links = [...new Set([...`${nav}${records}`.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!))];
          if (links.length < 10) problems.push(`${a.username}: only ${links.length} links`);
          for (const link of links) {
            const res = await who.get(link);
            if (res.status !== 200 && res.status !== 302) problems.push(`${a.username} ${link}: ${res.status}`);
          }
        }
        expect(problems, problems.join('\n')).to.deep.equal([]);
        const officerChecks = await agent.get('/checks');
        expect(officerChecks.text, 'the demo has checks of Nam Dong').to.match(/href="\/checks\/\d+"/);
        const concluded = (await tdb.db('inspections').where('status', 'concluded').select('id')) as Array<{ id: number }>;
        expect(concluded, 'the demo has a concluded spot check of Nam Dong').to.have.length(1);
        expect((await agent.get(`/inspections/${concluded[0]!.id}`)).status, 'its unit reads it').to.equal(200);
        const officerDocs = await agent.get(`/units/${namDong.id}/documents`);
        expect(officerDocs.text, 'the demo has documents of Nam Dong').to.match(/href="\/documents\/\d+"/);
        const laiChau = (await tdb.db('units').where('code', 'LCA').first('id')) as { id: number };
        expect((await agent.get(`/units/${laiChau.id}`)).status).to.equal(404);
        const district = (await tdb.db('units').where('code', 'DNO-CUJUT').first('active_to')) as { active_to: string };
        expect(district.active_to).to.equal('2025-07-01');
        let refused = false;
        try {
          await seedDemo(tdb.db, clock, config);
        } catch {
          refused = true;
        }
        expect(refused, 'a second load is refused').to.equal(true);
      } finally {
        await tdb.drop();
      }
    });
  });
}
