import { expect } from 'chai';
import type { BuiltApp } from '../../src/app.ts';
import type { Actor } from '../../src/lib/actor.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import type { NotificationDraft } from '../../src/plugins/contract.ts';
import { csrfOfSignedIn } from '../fixtures/http.ts';
import { engines, freshDb, type TestDb } from '../helpers/databases.ts';
import { startMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { adminOf, person, registryWith, reminderApp, signInAs, smtpEnv } from '../helpers/reminders.ts';

/**
 * The inbox and the e-mail of notifications, on a real SMTP peer. One reminder, `nhac/hop`,
 * sends what `next` holds to whoever the test says; the clock moves a day per sending.
 */
for (const dialect of engines()) {
  describe(`notifications: inbox and e-mail [${dialect}]`, function () {
    let tdb: TestDb;
    let mailbox: Mailbox;
    let built: BuiltApp;
    let admin: Actor;
    const clock = new ManualClock('2026-03-02T00:00:00Z');
    const unit: Record<string, number> = {};
    const user: Record<string, number> = {};
    let next: NotificationDraft[] = [];
    let day = 0;

    const draft = (role: 'officer' | 'leader' | 'viewer', unitId: number, key: string, vi: string, en = 'Report due'): NotificationDraft => ({
      recipient: { role, unitId },
      dedupeKey: key,
      link: `/units/${unitId}`,
      dueDate: '2026-03-15',
      title: { vi, en },
      body: { vi: `Nội dung: ${vi}. Đề nghị hoàn thành đúng hạn.`, en: `Details: ${en}.` },
    });
    /** Sends drafts through one run of the reminder (the next day at 07:00 in Ha Noi). */
    async function send(drafts: NotificationDraft[]) {
      next = drafts;
      day++;
      const at = new Date(Date.UTC(2026, 2, 2 + day, 0, 0));
      clock.set(at);
      return built.services.scheduler.tick(at);
    }

    before(async function () {
      this.timeout(60_000);
      tdb = await freshDb(dialect);
      mailbox = await startMailbox();
      built = await reminderApp({
        db: tdb.db,
        url: tdb.url,
        clock,
        env: { ...smtpEnv(mailbox.port), EMAIL_MAX_ATTEMPTS: '3', SCHEDULER_CATCH_UP_HOURS: '1' },
        registry: registryWith('nhac', [{ id: 'hop', title: { vi: 'Thử', en: 'Test' }, cron: '0 7 * * *', handler: async () => next }]),
      });
      admin = await adminOf(built);
      const units = built.services.units;
      const dno = await units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
      unit.nd = (await units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id })).id;
      unit.et = (await units.create(admin, { code: 'DNO-ET', name: "Thị trấn Ea T'ling", kind: 'town', parentId: dno.id })).id;
      user.hoa = await person(built, admin, 'hoa', 'Nguyễn Thị Hoa', 'officer', 'DNO-ND');
      user.binh = await person(built, admin, 'binh', 'Trần Văn Bình', 'leader', 'DNO-ND', { emailOff: true });
      user.an = await person(built, admin, 'an.pham', 'Phạm An', 'viewer', 'DNO-ND', { email: null });
      user.lan = await person(built, admin, 'lan', 'Vũ Thị Lan', 'officer', 'DNO-ET');
      await built.services.users.updatePreferences(
        { user: (await built.services.users.sessionUser(user.lan!))! },
        { fullName: 'Vũ Thị Lan', email: 'lan@isotrack.test', locale: 'en', emailNotifications: 'on' },
      );
    });
    after(async () => {
      await mailbox?.close();
      await tdb?.drop();
    });

    it("puts each notification in its recipient's inbox and e-mails those who want e-mail, in their language, once", async () => {
      const tick = await send([
        draft('officer', unit.nd!, 'bao-cao:nd', 'Hạn nộp báo cáo HTQLCL năm 2026: 15/03/2026'),
        draft('leader', unit.nd!, 'bao-cao:nd', 'Hạn nộp báo cáo HTQLCL năm 2026: 15/03/2026'),
        draft('viewer', unit.nd!, 'bao-cao:nd', 'Hạn nộp báo cáo HTQLCL năm 2026: 15/03/2026'),
        draft('officer', unit.et!, 'bao-cao:et', 'Hạn nộp báo cáo năm 2026', 'QMS report for 2026 due on 15/03/2026'),
      ]);
      expect(tick.runs.map((r) => [r.status, r.found, r.delivered])).to.deep.equal([['ok', 4, 4]]);
      expect(tick.mail).to.deep.equal({ sent: 2, retrying: 0, failed: 0, skipped: 0 });
      const got = mailbox.mails.map((m) => [m.to.join(','), m.subject]);
      expect(got).to.have.deep.members([
        ['hoa@isotrack.test', 'Hạn nộp báo cáo HTQLCL năm 2026: 15/03/2026'],
        ['lan@isotrack.test', 'QMS report for 2026 due on 15/03/2026'],
      ]);
      const hoa = mailbox.mails.find((m) => m.to[0] === 'hoa@isotrack.test')!;
      expect(hoa.text).to.include('Kính gửi Nguyễn Thị Hoa,');
      expect(hoa.text).to.include('Nội dung: Hạn nộp báo cáo HTQLCL năm 2026: 15/03/2026. Đề nghị hoàn thành đúng hạn.');
      expect(hoa.text).to.include('Hạn: 15/03/2026');
      expect(hoa.text).to.include(`Xem chi tiết: http://127.0.0.1:3000/units/${unit.nd}`);
      expect(hoa.headers.get('from')).to.equal('isotrack <nhac-viec@isotrack.test>');
      const lan = mailbox.mails.find((m) => m.to[0] === 'lan@isotrack.test')!;
      expect(lan.text).to.include('Dear Vũ Thị Lan,');
      // The same drafts again (a rerun, another process): nothing new anywhere.
      const again = await send(next);
      expect(again.runs.map((r) => [r.found, r.delivered, r.duplicates])).to.deep.equal([[4, 0, 4]]);
      expect(mailbox.mails).to.have.length(2);
      const inboxes = await tdb.db('notifications').where('source', 'nhac/hop').orderBy('user_id').pluck('user_id');
      expect(inboxes.map(Number)).to.deep.equal([user.hoa, user.binh, user.an, user.lan]);
    });

    it('shows the inbox newest first with the unread count in the header of every page', async () => {
      await send([draft('officer', unit.nd!, 'muc-tieu:nd', 'Cập nhật kết quả mục tiêu chất lượng')]);
      const hoa = await signInAs(built, 'hoa');
      const page = await hoa.get('/notifications');
      expect(page.status).to.equal(200);
      const titles = [...page.text.matchAll(/<strong class="title">(?:<span[^>]*>Mới<\/span> )?([^<]+)<\/strong>/g)].map((m) => m[1]);
      expect(titles).to.deep.equal(['Cập nhật kết quả mục tiêu chất lượng', 'Hạn nộp báo cáo HTQLCL năm 2026: 15/03/2026']);
      expect(page.text).to.include('2 thông báo, 2 chưa đọc.');
      expect(page.text).to.include('Hạn: 15/03/2026');
      const units = await hoa.get('/units');
      expect(units.text).to.match(/id="unread-count">2<span class="sr"> chưa đọc<\/span>/);
      const binh = await signInAs(built, 'binh');
      expect((await binh.get('/units')).text).to.match(/id="unread-count">1</);
    });

    it('marks one notification read, opens another at its link, then marks all read', async () => {
      const hoa = await signInAs(built, 'hoa');
      const csrf = await csrfOfSignedIn(hoa);
      const [newest, older] = (await tdb.db('notifications').where('user_id', user.hoa).orderBy('id', 'desc').pluck('id')).map(Number);
      const read = await hoa.post(`/notifications/${older}/read`).type('form').send({ _csrf: csrf, back: '/notifications?unread=1' });
      expect([read.status, read.headers.location]).to.deep.equal([302, '/notifications?unread=1']);
      const unreadOnly = await hoa.get('/notifications?unread=1');
      expect(unreadOnly.text).to.include(`id="notification-${newest}"`);
      expect(unreadOnly.text).not.to.include(`id="notification-${older}"`);
      expect((await hoa.get('/units')).text).to.match(/id="unread-count">1</);
      const open = await hoa.get(`/notifications/${newest}/open`);
      expect([open.status, open.headers.location]).to.deep.equal([302, `/units/${unit.nd}`]);
      expect((await hoa.get('/units')).text).not.to.include('id="unread-count"');
      await send([draft('officer', unit.nd!, 'a:1', 'Một'), draft('officer', unit.nd!, 'a:2', 'Hai')]);
      expect((await hoa.get('/units')).text).to.match(/id="unread-count">2</);
      const all = await hoa.post('/notifications/read-all').type('form').send({ _csrf: csrf });
      expect(all.status).to.equal(302);
      const after = await hoa.get('/notifications');
      expect(after.text).to.include('4 thông báo, 0 chưa đọc.');
      expect(after.text).not.to.include('id="unread-count"');
      expect(after.text).not.to.include('id="read-all"');
    });

    it("refuses marking read without the CSRF token, and treats another user's notification as not existing", async () => {
      const binh = await signInAs(built, 'binh');
      const hoasId = Number((await tdb.db('notifications').where('user_id', user.hoa).first('id')).id);
      expect((await binh.post(`/notifications/${hoasId}/read`).type('form').send({})).status).to.equal(403);
      const csrf = await csrfOfSignedIn(binh);
      expect((await binh.post(`/notifications/${hoasId}/read`).type('form').send({ _csrf: csrf })).status).to.equal(404);
      expect((await binh.get(`/notifications/${hoasId}/open`)).status).to.equal(404);
      expect((await binh.post(`/api/v1/notifications/${hoasId}/read`).set('x-csrf-token', csrf)).status).to.equal(404);
      const page = await binh.get('/notifications');
      expect(page.text).not.to.include('Cập nhật kết quả mục tiêu chất lượng');
    });

    it("serves a user's own inbox at /api/v1/notifications, paginated, and marks read by POST with a token", async () => {
      const token = (await built.services.users.createToken({ user: (await built.services.users.sessionUser(user.binh!))! }, { name: 'Ứng dụng' })).token;
      await send([draft('leader', unit.nd!, 'api:1', 'Thông báo thứ hai'), draft('leader', unit.nd!, 'api:2', 'Thông báo thứ ba')]);
      const auth = { Authorization: `Bearer ${token}` };
      const page1 = await (await signInAs(built, 'binh')).get('/api/v1/notifications?pageSize=2').set(auth);
      const body = page1.body as { data: Array<{ id: number; title: string; read: boolean; dueDate: string; link: string }>; meta: Record<string, number> };
      expect(page1.status).to.equal(200);
      expect(body.meta).to.deep.equal({ total: 3, page: 1, pageSize: 2, pages: 2, unread: 3 });
      expect(body.data.map((n) => [n.title, n.read, n.dueDate])).to.deep.equal([
        ['Thông báo thứ ba', false, '2026-03-15'],
        ['Thông báo thứ hai', false, '2026-03-15'],
      ]);
      const { default: request } = await import('supertest');
      const marked = await request(built.app).post(`/api/v1/notifications/${body.data[0]!.id}/read`).set(auth);
      expect([marked.status, (marked.body as { data: { read: boolean } }).data.read]).to.deep.equal([200, true]);
      const unread = await request(built.app).get('/api/v1/notifications?unread=1').set(auth);
      expect((unread.body as { data: Array<{ title: string }> }).data.map((n) => n.title)).to.deep.equal([
        'Thông báo thứ hai',
        'Hạn nộp báo cáo HTQLCL năm 2026: 15/03/2026',
      ]);
      const all = await request(built.app).post('/api/v1/notifications/read-all').set(auth);
      expect(all.body).to.deep.equal({ data: { marked: 2 } });
      expect((await request(built.app).get('/api/v1/notifications')).status).to.equal(401);
      expect((await request(built.app).get('/api/v1/notifications?pageSize=1000').set(auth)).status).to.equal(422);
    });

    it('counts the unread badge with one query per page drawn, and none for redirects or the API', async () => {
      const hoa = await signInAs(built, 'hoa');
      const seen: string[] = [];
      const listen = (q: { sql: string }) => {
        if (/notifications/.test(q.sql)) seen.push(q.sql);
      };
      tdb.db.on('query', listen);
      try {
        await hoa.get('/units');
        expect(seen.map((sql) => sql.replace(/["`]/g, '').replace(/\$\d+/g, '?'))).to.deep.equal([
          'select count(*) as n from notifications where user_id = ? and read_at is null',
        ]);
        seen.length = 0;
        await hoa.get('/');
        await hoa.get('/api/v1/me');
        expect(seen).to.deep.equal([]);
      } finally {
        tdb.db.removeListener('query', listen);
      }
    });

    it('retries an e-mail the server refused for now, with back-off, and shows the failure to administrators meanwhile', async () => {
      mailbox.refuseNext(1, 451);
      const before = mailbox.mails.length;
      const first = await send([draft('officer', unit.nd!, 'thu-lai:1', 'Nhắc lại sau khi máy chủ thư bận')]);
      expect(first.mail).to.deep.equal({ sent: 0, retrying: 1, failed: 0, skipped: 0 });
      const row = await tdb
        .db('notification_deliveries as d')
        .join('notifications as n', 'n.id', 'd.notification_id')
        .where('n.dedupe_key', 'nhac:thu-lai:1')
        .first('d.*');
      expect([row.status, Number(row.attempts), row.next_attempt_at]).to.deep.equal(['pending', 1, new Date(clock.now().getTime() + 60_000).toISOString()]);
      expect(row.last_error).to.match(/451/);
      const root = await signInAs(built, 'root');
      const adminPage = await root.get('/admin/plugins');
      expect(adminPage.text).to.match(
        /<tr data-status="pending"><td>Nhắc lại sau khi máy chủ thư bận<\/td><td>hoa@isotrack.test<\/td><td class="num">1<\/td>\s*<td>Thử lại lúc \d\d\/03\/2026 07:01<\/td>/,
      );
      clock.advance(59_000);
      expect((await built.services.scheduler.tick()).mail.sent, 'before the back-off is over').to.equal(0);
      clock.advance(1_000);
      expect((await built.services.scheduler.tick()).mail.sent).to.equal(1);
      expect(mailbox.mails.slice(before).map((m) => m.subject)).to.deep.equal(['Nhắc lại sau khi máy chủ thư bận']);
      const sent = await tdb.db('notification_deliveries').where('id', row.id).first();
      expect([sent.status, Number(sent.attempts), sent.sent_at]).to.deep.equal(['sent', 2, clock.now().toISOString()]);
    });

    it('gives an e-mail up when the server refuses it for good or after the last attempt, and says so on the admin page', async () => {
      mailbox.refuseNext(1, 550);
      await send([draft('officer', unit.nd!, 'bo:1', 'Hộp thư không tồn tại')]);
      mailbox.refuseNext(3, 451);
      await send([draft('officer', unit.et!, 'bo:2', 'Máy chủ thư bận mãi', 'Mail server always busy')]);
      for (const wait of [60_000, 120_000]) {
        clock.advance(wait);
        await built.services.scheduler.tick();
      }
      const rows = await tdb
        .db('notification_deliveries as d')
        .join('notifications as n', 'n.id', 'd.notification_id')
        .whereIn('n.dedupe_key', ['nhac:bo:1', 'nhac:bo:2'])
        .orderBy('d.id')
        .select('d.status', 'd.attempts');
      expect(rows.map((r) => [r.status, Number(r.attempts)])).to.deep.equal([
        ['failed', 1],
        ['failed', 3],
      ]);
      const page = await (await signInAs(built, 'root')).get('/admin/plugins');
      expect(page.text).to.match(
        /<tr data-status="failed"><td>Hộp thư không tồn tại<\/td><td>hoa@isotrack.test<\/td><td class="num">1<\/td>\s*<td>Đã dừng gửi<\/td>\s*<td><code>[^<]*550/,
      );
      expect(page.text).to.match(/không gửi được 2,/);
    });

    it('skips an e-mail still waiting when its recipient turns e-mail off', async () => {
      mailbox.refuseNext(1, 451);
      const before = mailbox.mails.length;
      await send([draft('officer', unit.nd!, 'tat:1', 'Người nhận đã tắt thư')]);
      await built.services.users.updatePreferences(
        { user: (await built.services.users.sessionUser(user.hoa!))! },
        { fullName: 'Nguyễn Thị Hoa', email: 'hoa@isotrack.test', locale: 'vi', emailNotifications: '' },
      );
      clock.advance(60_000);
      expect((await built.services.scheduler.tick()).mail).to.deep.equal({ sent: 0, retrying: 0, failed: 0, skipped: 1 });
      expect(mailbox.mails.length).to.equal(before);
      expect(await tdb.db('notifications').where('dedupe_key', 'nhac:tat:1').first('id')).to.not.equal(undefined);
    });

    it('keeps notifications in the app only when no SMTP server is configured', async () => {
      const inAppOnly = await reminderApp({
        db: tdb.db,
        url: tdb.url,
        clock,
        registry: registryWith('chi-trong-app', [
          {
            id: 'hop',
            title: { vi: 'Thử', en: 'Test' },
            cron: '0 7 * * *',
            handler: async () => [draft('officer', unit.et!, 'khong-thu:1', 'Chỉ trong ứng dụng')],
          },
        ]),
      });
      const before = mailbox.mails.length;
      const { runs, mail } = await inAppOnly.services.scheduler.tick(new Date('2026-03-20T00:00:00Z'));
      expect(runs.map((r) => r.delivered)).to.deep.equal([1]);
      expect(mail.sent).to.equal(0);
      const n = await tdb.db('notifications').where('dedupe_key', 'chi-trong-app:khong-thu:1').first('id');
      expect(await tdb.db('notification_deliveries').where('notification_id', n.id)).to.deep.equal([]);
      expect(mailbox.mails.length).to.equal(before);
      const page = await (await signInAs(inAppOnly, 'root')).get('/admin/plugins');
      expect(page.text).to.include('Chưa cấu hình máy chủ thư (SMTP_URL hoặc SMTP_HOST): thông báo chỉ hiện trong ứng dụng.');
    });
  });
}
