import { expect } from 'chai';
import type { Knex } from 'knex';
import type { BuiltApp } from '../../src/app.ts';
import { createDb } from '../../src/db/knex.ts';
import type { Actor } from '../../src/lib/actor.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { slotsBetween } from '../../src/modules/scheduler/slots.ts';
import { runsOf } from '../../src/modules/scheduler/runs.repository.ts';
import { khaiSinhContent } from '../fixtures/catalog.ts';
import { engines, freshDb, type TestDb } from '../helpers/databases.ts';
import { startMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { adminOf, person, reminderApp, signInAs, smtpEnv } from '../helpers/reminders.ts';

/**
 * The issue's "done when": the bundled plugins' reminders over thirty days of slots, with every
 * reminder slot run exactly once and every notification in its inbox once and in the SMTP peer's
 * mailbox once. On PostgreSQL two app processes share the database (each with its own knex pool,
 * both woken at every slot, in turn or at the same moment); on SQLite one process runs it all.
 */
const start = new Date('2026-09-19T17:00:00Z'); // 00:00 on 20 September in Ha Noi
const end = new Date('2026-10-19T17:00:00Z'); // thirty days later
const env = {
  PLUGIN_ISO_INTERNAL_AUDIT_REVIEW_MONTH: '10',
  PLUGIN_ISO_CALENDAR_REPORT_DUE_DATE: '10-10',
  PLUGIN_ISO_CALENDAR_REPORT_DUE_DATES: 'LCA=10-15',
};

/** How many slots of each reminder fall in the thirty days (20 September to 19 October 2026). */
const expectedSlots: Record<string, number> = {
  'iso-internal-audit/internal-audit-due': 1, // 1 October
  'iso-internal-audit/management-review-due': 1, // 1 October (REVIEW_MONTH=10)
  'iso-calendar/qms-report-due': 30, // every day at 07:00
  'iso-calendar/redeclaration-needed': 5, // Mondays 21/9, 28/9, 5/10, 12/10, 19/10
  'iso-calendar/procedure-review-due': 1, // 1 October at 08:00
  'iso-calendar/corrective-actions-due': 21, // working days
  'iso-calendar/corrective-actions-overdue': 21,
  'discipline-inspection/conclusion-deadlines': 21,
};

for (const dialect of engines()) {
  const processes = dialect === 'postgres' ? 2 : 1;
  describe(`thirty days of reminders, ${processes} process${processes > 1 ? 'es' : ''} [${dialect}]`, function () {
    this.timeout(120_000);
    let tdb: TestDb;
    let second: Knex | undefined;
    let mailbox: Mailbox;
    const clock = new ManualClock(start);
    const apps: BuiltApp[] = [];
    let admin: Actor;
    const user: Record<string, number> = {};
    let ticks = 0;

    before(async function () {
      tdb = await freshDb(dialect);
      mailbox = await startMailbox();
      const options = { url: tdb.url, clock, env: { ...env, ...smtpEnv(mailbox.port) } };
      apps.push(await reminderApp({ db: tdb.db, ...options }));
      if (processes === 2) {
        second = createDb({ url: tdb.url, schema: tdb.schema });
        apps.push(await reminderApp({ db: second, ...options }));
      }
      const s = apps[0]!.services;
      admin = await adminOf(apps[0]!);
      const dno = await s.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
      const nd = await s.units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id });
      const et = await s.units.create(admin, { code: 'DNO-ET', name: "Thị trấn Ea T'ling", kind: 'town', parentId: dno.id });
      const sk = await s.units.create(admin, { code: 'DNO-SKHCN', name: 'Sở Khoa học và Công nghệ', kind: 'department', parentId: dno.id });
      await s.units.create(admin, { code: 'DNO-DS', name: 'Xã Đắk Sôr', kind: 'commune', parentId: dno.id }); // ISO not started
      const lca = await s.units.create(admin, { code: 'LCA', name: 'Tỉnh Lai Châu', kind: 'province' });
      const pk = await s.units.create(admin, { code: 'LCA-PK', name: 'Xã Phúc Khoa', kind: 'commune', parentId: lca.id });
      for (const [id, state] of [
        [nd.id, 'declared'],
        [et.id, 'declared'],
        [sk.id, 'declared'],
        [pk.id, 'applying'],
      ] as const) {
        await s.units.setIsoState(admin, id, { state, standard: '2015', reason: 'Công bố HTQLCL phù hợp TCVN ISO 9001:2015' });
      }
      user.hoa = await person(apps[0]!, admin, 'hoa', 'Nguyễn Thị Hoa', 'officer', 'DNO-ND');
      user.binh = await person(apps[0]!, admin, 'binh', 'Trần Văn Bình', 'leader', 'DNO-ND');
      user.lan = await person(apps[0]!, admin, 'lan', 'Vũ Thị Lan', 'officer', 'DNO-ET', { emailOff: true });
      user.minh = await person(apps[0]!, admin, 'minh', 'Đỗ Văn Minh', 'officer', 'DNO-SKHCN');
      user.khoa = await person(apps[0]!, admin, 'khoa', 'Lò Văn Khoa', 'officer', 'LCA-PK');
      user.son = await person(apps[0]!, admin, 'son', 'Y Sơn', 'officer', 'DNO-DS');
      // A procedure of Nam Dong issued on 1 June 2025: due for its yearly review by 1 October 2026.
      // Issuing it also changes the scope of the declared QMS: Nam Dong must re-declare.
      const officer = { user: (await s.users.sessionUser(user.hoa))! };
      const leader = { user: (await s.users.sessionUser(user.binh))! };
      const tthc = await s.catalog.tthc.create(admin, {
        provinceId: String(dno.id),
        level: 'commune',
        code: '1.001193',
        name: 'Đăng ký khai sinh',
        field: 'Hộ tịch',
        legalDays: '3',
      });
      const p = await s.catalog.procedures.create(officer, nd.id, khaiSinhContent(tthc.id));
      await s.catalog.lifecycle.submit(officer, p.id);
      await s.catalog.lifecycle.review(officer, p.id);
      await s.catalog.lifecycle.approve(leader, p.id);
      await s.catalog.lifecycle.issue(officer, p.id, { issueDate: '2025-06-01' });
      expect((await s.units.get(admin, nd.id)).isoState).to.equal('needs_redeclaration');
      // The hand-off notices of these steps (review, approve, issue) belong to the arrangement, not to the month of reminders.
      await tdb.db('notifications').where('source', 'like', 'handoffs/%').del();

      // Every slot of every reminder in the thirty days, in time order.
      const times = new Set<number>();
      for (const job of apps[0]!.services.scheduler.jobs) for (const t of slotsBetween(job.schedule, start, end)) times.add(t.getTime());
      const downFrom = Date.parse('2026-10-05T00:00:00Z');
      const backAt = Date.parse('2026-10-05T11:00:00Z');
      const order = [...times].filter((t) => t < downFrom || t >= backAt).sort((a, b) => a - b);
      // On 5 October every process is down from 07:00 to 18:00 in Ha Noi; they catch up when back.
      order.push(backAt);
      order.sort((a, b) => a - b);
      for (const [i, t] of order.entries()) {
        const at = new Date(t);
        clock.set(at);
        const [a, b] = i % 2 ? [apps.at(-1)!, apps[0]!] : [apps[0]!, apps.at(-1)!];
        if (i % 3 === 0) await Promise.all(apps.map((x) => x.services.scheduler.tick(at)));
        else {
          await a.services.scheduler.tick(at);
          await b.services.scheduler.tick(at);
        }
        // Half a minute later a process wakes again: nothing is due twice.
        if (i % 4 === 0) await apps.at(-1)!.services.scheduler.tick(new Date(t + 30_000));
        ticks++;
      }
    });
    after(async () => {
      await second?.destroy();
      await mailbox?.close();
      await tdb?.drop();
    });

    it('ran every slot of every reminder exactly once, all successfully', async () => {
      expect(ticks, 'distinct slot times, the three of the downtime replaced by one catch-up').to.equal(55);
      const jobs = apps[0]!.services.scheduler.jobs;
      expect(jobs.map((j) => j.id).sort()).to.deep.equal(Object.keys(expectedSlots).sort());
      for (const job of jobs) {
        const ledger = await runsOf(tdb.db, job.id);
        expect(ledger.length, job.id).to.equal(expectedSlots[job.id]);
        expect(
          ledger.map((r) => r.scheduledFor),
          job.id,
        ).to.deep.equal(slotsBetween(job.schedule, start, end).map((d) => d.toISOString()));
        expect(
          ledger.filter((r) => r.status !== 'ok').map((r) => `${r.scheduledFor} ${r.status} ${r.error}`),
          job.id,
        ).to.deep.equal([]);
      }
      expect((await runsOf(tdb.db, 'iso-calendar/redeclaration-needed')).map((r) => r.scheduledFor)).to.deep.equal(
        ['2026-09-21', '2026-09-28', '2026-10-05', '2026-10-12', '2026-10-19'].map((d) => `${d}T00:30:00.000Z`), // 07:30 in Ha Noi
      );
    });

    if (processes === 2) {
      it('shared the work between the two processes', async () => {
        const by = await tdb.db('scheduler_runs').distinct('claimed_by').pluck('claimed_by');
        expect(by.sort()).to.deep.equal(apps.map((a) => a.services.scheduler.instanceId).sort());
      });
    }

    it('caught up, when back at 18:00 on 5 October, the slots of that morning', async () => {
      const late = await tdb.db('scheduler_runs').where('started_at', '2026-10-05T11:00:00.000Z').orderBy('scheduled_for').pluck('scheduled_for');
      expect(late.length, 'three reminders at 07:00, one at 07:15, one at 07:30').to.equal(5);
      expect(new Set(late)).to.deep.equal(new Set(['2026-10-05T00:00:00.000Z', '2026-10-05T00:15:00.000Z', '2026-10-05T00:30:00.000Z']));
    });

    it('gave each person what the calendar holds for them, each notification once', async () => {
      const rows = (await tdb.db('notifications').select('user_id', 'source', 'dedupe_key')) as Array<{ user_id: number; source: string; dedupe_key: string }>;
      const per = (id: number) => {
        const out: Record<string, number> = {};
        for (const r of rows.filter((x) => Number(x.user_id) === id)) out[r.source] = (out[r.source] ?? 0) + 1;
        return out;
      };
      const cycle = { 'iso-internal-audit/internal-audit-due': 1, 'iso-internal-audit/management-review-due': 1, 'iso-calendar/qms-report-due': 2 };
      expect(per(user.hoa!)).to.deep.equal({ ...cycle, 'iso-calendar/redeclaration-needed': 5, 'iso-calendar/procedure-review-due': 1 });
      expect(per(user.binh!)).to.deep.equal({ 'iso-internal-audit/management-review-due': 1, 'iso-calendar/redeclaration-needed': 5 });
      for (const who of ['lan', 'minh', 'khoa']) expect(per(user[who]!), who).to.deep.equal(cycle);
      expect(per(user.son!), 'a commune that has not started its QMS').to.deep.equal({});
      expect(new Set(rows.map((r) => `${r.user_id} ${r.dedupe_key}`)).size).to.equal(rows.length);
      // Lai Châu reports by 15 October: its final reminder came on the 8th, not on the 3rd.
      const finals = await tdb
        .db('notifications')
        .where('dedupe_key', 'like', 'iso-calendar:qms-report:%:final')
        .orderBy('user_id')
        .select('user_id', 'created_at', 'due_date');
      expect(finals.map((f) => [Number(f.user_id), String(f.created_at).slice(0, 10), f.due_date])).to.deep.equal([
        [user.hoa, '2026-10-03', '2026-10-10'],
        [user.lan, '2026-10-03', '2026-10-10'],
        [user.minh, '2026-10-03', '2026-10-10'],
        [user.khoa, '2026-10-08', '2026-10-15'],
      ]);
    });

    it("put each notification in its recipient's inbox once, as the inbox shows it", async () => {
      const hoa = await signInAs(apps.at(-1)!, 'hoa');
      const res = await hoa.get('/api/v1/notifications?pageSize=100');
      const body = res.body as { data: Array<{ id: number; title: string }>; meta: { total: number; unread: number } };
      expect([body.meta.total, body.meta.unread, body.data.length]).to.deep.equal([10, 10, 10]);
      expect(new Set(body.data.map((n) => n.id)).size).to.equal(10);
      expect(body.data.map((n) => n.title)).to.include.members([
        'Đến hạn đánh giá nội bộ năm 2026',
        'Đến hạn họp xem xét của lãnh đạo năm 2026',
        'Hạn nộp báo cáo HTQLCL năm 2026: 10/10/2026',
        'Cần công bố lại HTQLCL',
        '1 quy trình đến hạn rà soát định kỳ',
      ]);
      const page = await hoa.get('/notifications');
      expect(page.text).to.match(/id="unread-count">10</);
    });

    it('e-mailed each notification once to each recipient who wants e-mail, and to nobody else', async () => {
      const wanted = (await tdb
        .db('notifications as n')
        .join('users as u', 'u.id', 'n.user_id')
        .where('u.email_notifications', true)
        .select('n.id', 'u.email', 'n.title_vi')) as Array<{ id: number; email: string; title_vi: string }>;
      expect(wanted.length).to.equal(24);
      const got = mailbox.mails.map((m) => [Number(m.headers.get('x-isotrack-notification')), m.to.join(','), m.subject]);
      expect(got.length).to.equal(24);
      expect(got.map((g) => g[0]).sort((a, b) => Number(a) - Number(b))).to.deep.equal(wanted.map((w) => Number(w.id)).sort((a, b) => a - b));
      expect(got.sort()).to.deep.equal(wanted.map((w) => [Number(w.id), w.email, w.title_vi]).sort());
      expect(mailbox.mails.some((m) => m.to.includes('lan@isotrack.test'))).to.equal(false);
      const review = mailbox.mails.find((m) => m.subject === '1 quy trình đến hạn rà soát định kỳ')!;
      expect(review.text).to.include('Kính gửi Nguyễn Thị Hoa,');
      expect(review.text).to.include(
        'Xã Nam Dong có 1 quy trình đang có hiệu lực chưa được rà soát trong 12 tháng, quá hạn rà soát sớm nhất từ ngày 01/06/2026: QT-01/ND-HT (Quy trình đăng ký khai sinh, rà soát gần nhất ngày 01/06/2025).',
      );
      expect(review.text).to.match(/Xem chi tiết: http:\/\/127\.0\.0\.1:3000\/units\/\d+\/catalog\?due=1/);
      expect(await tdb.db('notification_deliveries').whereNot('status', 'sent').count({ n: '*' })).to.deep.equal([{ n: dialect === 'postgres' ? '0' : 0 }]);
    });
  });
}
