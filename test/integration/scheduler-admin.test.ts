import { expect } from 'chai';
import request from 'supertest';
import type { BuiltApp } from '../../src/app.ts';
import type { Actor } from '../../src/lib/actor.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { csrfOfSignedIn } from '../fixtures/http.ts';
import { engines, freshDb, type TestDb } from '../helpers/databases.ts';
import { adminOf, person, registryWith, reminderApp, signInAs } from '../helpers/reminders.ts';

/** The reminders on the administrators' plugins page and API: last runs, outcome, counts, "run now". */
for (const dialect of engines()) {
  describe(`reminders on the plugins page [${dialect}]`, function () {
    let tdb: TestDb;
    let built: BuiltApp;
    let broken: BuiltApp;
    let admin: Actor;
    const clock = new ManualClock('2026-10-01T00:00:00Z');
    const row = (html: string, id: string) => {
      const from = html.indexOf(`<tr id="reminder-${id}">`);
      expect(from, `row of ${id}`).to.be.greaterThan(-1);
      return html.slice(from, html.indexOf('</tr>', from));
    };

    before(async function () {
      this.timeout(60_000);
      tdb = await freshDb(dialect);
      built = await reminderApp({ db: tdb.db, url: tdb.url, clock, env: { SCHEDULER_CATCH_UP_HOURS: '0.5' } });
      broken = await reminderApp({
        db: tdb.db,
        url: tdb.url,
        clock,
        env: { SCHEDULER_CATCH_UP_HOURS: '0.5' },
        registry: registryWith('hong', [
          {
            id: 'loi',
            title: { vi: 'Nhắc việc hỏng', en: 'Broken' },
            cron: '0 7 * * *',
            handler: async () => {
              throw new Error('bảng dữ liệu chưa có');
            },
          },
        ]),
      });
      admin = await adminOf(built);
      const dno = await built.services.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
      const nd = await built.services.units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id });
      await built.services.units.setIsoState(admin, nd.id, { state: 'needs_redeclaration', standard: '2015', reason: 'Sáp nhập từ ngày 01/07/2025' });
      await person(built, admin, 'hoa', 'Nguyễn Thị Hoa', 'officer', 'DNO-ND');
      await built.services.scheduler.tick(clock.now());
      await broken.services.scheduler.tick(clock.now());
    });
    after(async () => tdb?.drop());

    it("shows each reminder's last runs with their outcome and counts, and a failed run with its error", async () => {
      const page = (await (await signInAs(built, 'root')).get('/admin/plugins')).text;
      const audit = row(page, 'iso-internal-audit-internal-audit-due');
      expect(audit).to.match(
        /<li data-status="ok"><span class="state state-declared">Thành công<\/span>\s*01\/10\/2026 07:00\s*<small class="muted">1 thông báo: 1 mới, 0 đã gửi trước đó<\/small>/,
      );
      expect(row(page, 'iso-calendar-redeclaration-needed')).to.include('Chưa chạy lần nào.');
      const failed = row((await (await signInAs(broken, 'root')).get('/admin/plugins')).text, 'hong-loi');
      expect(failed).to.match(/<li data-status="failed"><span class="state state-needs_redeclaration">Lỗi<\/span>\s*01\/10\/2026 07:00/);
      expect(failed).to.include('<code class="run-error">bảng dữ liệu chưa có</code>');
    });

    it('runs a reminder at once from its "run now" button, and says how it went', async () => {
      const root = await signInAs(built, 'root');
      const page = (await root.get('/admin/plugins')).text;
      const csrf = await csrfOfSignedIn(root);
      expect(row(page, 'iso-calendar-redeclaration-needed')).to.match(
        /<form method="post" action="\/admin\/plugins\/iso-calendar\/reminders\/redeclaration-needed\/run" class="inline">\s*<button type="submit" name="_csrf" value="[^"]+">Chạy ngay<\/button>/,
      );
      clock.set('2026-10-01T02:15:00Z');
      const res = await root.post('/admin/plugins/iso-calendar/reminders/redeclaration-needed/run').type('form').send({ _csrf: csrf });
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.match(/^\/admin\/plugins\?ran=\d+#reminder-iso-calendar-redeclaration-needed$/);
      const after = (await root.get(res.headers.location as string)).text;
      // Nam Dong has an officer and no leader: one person to tell.
      expect(after).to.include('Đã chạy “Đơn vị cần công bố lại HTQLCL”: Thành công, 1 thông báo mới.');
      expect(row(after, 'iso-calendar-redeclaration-needed')).to.match(/Thành công<\/span>\s*01\/10\/2026 09:15 <small>\(chạy thủ công\)<\/small>/);
      const hoa = await signInAs(built, 'hoa');
      expect((await hoa.get('/notifications')).text).to.include(
        'Phạm vi HTQLCL của Xã Nam Dong đã thay đổi (Sáp nhập từ ngày 01/07/2025) từ ngày 01/10/2026; cần ban hành quyết định công bố lại.',
      );
    });

    it('refuses "run now" without the CSRF token, to anyone but an administrator, and for an unknown reminder', async () => {
      const root = await signInAs(built, 'root');
      expect((await root.post('/admin/plugins/iso-calendar/reminders/redeclaration-needed/run').type('form').send({})).status).to.equal(403);
      const csrf = await csrfOfSignedIn(root);
      expect((await root.post('/admin/plugins/iso-calendar/reminders/khong-co/run').type('form').send({ _csrf: csrf })).status).to.equal(404);
      const hoa = await signInAs(built, 'hoa');
      const hoasCsrf = await csrfOfSignedIn(hoa);
      const before = await tdb.db('scheduler_runs').count({ n: '*' });
      expect((await hoa.post('/admin/plugins/iso-calendar/reminders/redeclaration-needed/run').type('form').send({ _csrf: hoasCsrf })).status).to.equal(404);
      expect(await tdb.db('scheduler_runs').count({ n: '*' })).to.deep.equal(before);
    });

    it('serves the runs and the e-mail queue at /api/v1/plugins, and runs a reminder by POST', async () => {
      const { token } = await built.services.users.createToken(admin, { name: 'Điều hành' });
      const auth = { Authorization: `Bearer ${token}` };
      const res = await request(built.app).get('/api/v1/plugins').set(auth);
      const body = res.body as {
        data: Array<{ id: string; reminders: Array<{ id: string; lastRuns: Array<{ status: string; found: number; kind: string }> }> }>;
        mail: { configured: boolean };
      };
      const calendar = body.data.find((p) => p.id === 'iso-calendar')!;
      expect(calendar.reminders.find((r) => r.id === 'redeclaration-needed')!.lastRuns.map((r) => [r.kind, r.status, r.found])).to.deep.equal([
        ['manual', 'ok', 2],
      ]);
      expect(body.mail.configured).to.equal(false);
      clock.set('2026-10-01T03:00:00Z');
      const run = await request(built.app).post('/api/v1/plugins/iso-calendar/reminders/redeclaration-needed/run').set(auth);
      expect(run.status).to.equal(201);
      expect((run.body as { data: { status: string; delivered: number; duplicates: number } }).data).to.include({
        status: 'ok',
        found: 2,
        delivered: 0,
        duplicates: 1,
      });
    });
  });
}
