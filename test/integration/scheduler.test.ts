import { expect } from 'chai';
import type { Knex } from 'knex';
import type { BuiltApp } from '../../src/app.ts';
import { createDb } from '../../src/db/knex.ts';
import type { Actor } from '../../src/lib/actor.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { AppError } from '../../src/kernel/errors.ts';
import type { NotificationDraft, ReminderContext, ReminderDefinition } from '../../src/plugins/contract.ts';
import { claim, runsOf } from '../../src/modules/scheduler/runs.repository.ts';
import { engines, freshDb, type TestDb } from '../helpers/databases.ts';
import { adminOf, person, registryWith, reminderApp } from '../helpers/reminders.ts';

const title = { vi: 'Nhắc việc thử', en: 'Test reminder' };

/** A draft to the officers of a unit, with the key given. */
function toOfficers(unitId: number, key: string, text = 'Nhắc việc thử nghiệm'): NotificationDraft {
  return { recipient: { role: 'officer', unitId }, title: { vi: text, en: 'Test' }, link: `/units/${unitId}`, dedupeKey: key };
}

function reminder(id: string, cron: string, handler: (ctx: ReminderContext) => Promise<NotificationDraft[]>): ReminderDefinition {
  return { id, title, cron, handler };
}

for (const dialect of engines()) {
  describe(`scheduler [${dialect}]`, function () {
    let tdb: TestDb;
    let second: Knex;
    const clock = new ManualClock('2026-03-02T00:00:00Z');
    let base: BuiltApp;
    let admin: Actor;
    const unit: Record<string, number> = {};
    const user: Record<string, number> = {};

    /** An app (a "process") with one plugin of the given reminders, on the shared database. */
    const app = (pluginId: string, reminders: ReminderDefinition[], env: Record<string, string> = {}, db: Knex = tdb.db) =>
      reminderApp({ db, url: tdb.url, clock, registry: registryWith(pluginId, reminders), env: { SCHEDULER_CATCH_UP_HOURS: '2', ...env } });
    const inboxOf = async (userId: number, source?: string) => {
      const q = tdb.db('notifications').where('user_id', userId).orderBy('id');
      if (source) q.where('source', source);
      return (await q.select('dedupe_key', 'title_vi', 'link', 'source')) as Array<{ dedupe_key: string; title_vi: string; link: string; source: string }>;
    };

    before(async function () {
      this.timeout(60_000);
      tdb = await freshDb(dialect);
      second = createDb({ url: tdb.url, schema: tdb.schema });
      base = await app('base', []);
      admin = await adminOf(base);
      const units = base.services.units;
      const dno = await units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
      const cj = await units.create(admin, { code: 'DNO-CJ', name: 'Huyện Cư Jút', kind: 'district', parentId: dno.id });
      const nd = await units.create(admin, { code: 'DNO-CJ-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: cj.id });
      const et = await units.create(admin, { code: 'DNO-CJ-ET', name: "Thị trấn Ea T'ling", kind: 'town', parentId: cj.id });
      Object.assign(unit, { dno: dno.id, cj: cj.id, nd: nd.id, et: et.id });
      user.nd = await person(base, admin, 'can-bo-nd', 'Nguyễn Thị Hoa', 'officer', 'DNO-CJ-ND');
      user.cj = await person(base, admin, 'can-bo-cj', 'Trần Văn Bình', 'officer', 'DNO-CJ');
      user.gone = await person(base, admin, 'can-bo-cu', 'Lê Văn Cũ', 'officer', 'DNO-CJ-ND');
      await base.services.users.update(admin, user.gone, { fullName: 'Lê Văn Cũ', isActive: '' });
    });
    after(async () => {
      await second?.destroy();
      await tdb?.drop();
    });

    it('runs a slot when its time comes in Viet Nam, once, however often the clock ticks', async () => {
      let calls = 0;
      const a = await app('hang-ngay', [
        reminder('sang', '0 7 * * *', async (ctx) => {
          calls++;
          return [toOfficers(unit.nd!, `sang:${ctx.scheduledFor.toISOString()}`)];
        }),
      ]);
      const s = a.services.scheduler;
      expect((await s.tick(new Date('2026-03-02T23:59:59Z'))).runs, '06:59:59 in Ha Noi').to.deep.equal([]);
      const at7 = await s.tick(new Date('2026-03-03T00:00:00Z'));
      expect(at7.runs.map((r) => [r.jobId, r.scheduledFor, r.kind, r.status, r.found, r.delivered])).to.deep.equal([
        ['hang-ngay/sang', '2026-03-03T00:00:00.000Z', 'slot', 'ok', 1, 1],
      ]);
      for (const t of ['2026-03-03T00:00:30Z', '2026-03-03T00:05:00Z', '2026-03-03T01:59:00Z']) expect((await s.tick(new Date(t))).runs, t).to.deep.equal([]);
      expect(calls).to.equal(1);
      expect((await inboxOf(user.nd!, 'hang-ngay/sang')).map((n) => n.title_vi)).to.deep.equal(['Nhắc việc thử nghiệm']);
    });

    it('catches up the slots missed while no process ran, oldest first, only within the bound', async () => {
      const slots: string[] = [];
      const a = await app(
        'moi-gio',
        [
          reminder('gio', '0 * * * *', async (ctx) => {
            slots.push(ctx.scheduledFor.toISOString());
            return [];
          }),
        ],
        { SCHEDULER_CATCH_UP_HOURS: '5' },
      );
      // The first tick, at 08:00 in Ha Noi, finds the last five hours unrun.
      const first = await a.services.scheduler.tick(new Date('2026-03-03T01:00:00Z'));
      expect(first.runs.map((r) => r.scheduledFor.slice(11, 13))).to.deep.equal(['21', '22', '23', '00', '01']);
      // Then down for eleven hours; back at 19:20 in Ha Noi.
      const back = await a.services.scheduler.tick(new Date('2026-03-03T12:20:00Z'));
      expect(back.runs.map((r) => r.scheduledFor)).to.deep.equal(['08', '09', '10', '11', '12'].map((h) => `2026-03-03T${h}:00:00.000Z`));
      expect(slots).to.deep.equal([...first.runs, ...back.runs].map((r) => r.scheduledFor));
      expect((await runsOf(tdb.db, 'moi-gio/gio')).map((r) => r.scheduledFor.slice(11, 13))).to.deep.equal([
        '21',
        '22',
        '23',
        '00',
        '01',
        '08',
        '09',
        '10',
        '11',
        '12',
      ]);
    });

    it('with catching up turned off, still runs the slot of the minute when the tick comes a few seconds late, and skips older ones', async () => {
      const a = await app('khong-bu', [reminder('dung-gio', '0 16 * * *', async () => [])], { SCHEDULER_CATCH_UP_HOURS: '0' });
      const late = await a.services.scheduler.tick(new Date('2026-03-03T09:00:20Z'));
      expect(late.runs.map((r) => r.scheduledFor)).to.deep.equal(['2026-03-03T09:00:00.000Z']);
      // Down over the next day's slot: back at 16:30, the 16:00 slot is gone.
      expect((await a.services.scheduler.tick(new Date('2026-03-04T09:30:00Z'))).runs).to.deep.equal([]);
    });

    it('runs a slot once when two processes on the same database tick at the same moment', async () => {
      let calls = 0;
      const handler = async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 100));
        return [toOfficers(unit.nd!, 'hai-tien-trinh:1')];
      };
      const one = await app('hai', [reminder('cung-luc', '0 8 * * *', handler)]);
      const two = await app('hai', [reminder('cung-luc', '0 8 * * *', handler)], {}, second);
      const at = new Date('2026-03-03T01:00:00Z');
      const [r1, r2] = await Promise.all([one.services.scheduler.tick(at), two.services.scheduler.tick(at)]);
      expect(r1.runs.length + r2.runs.length).to.equal(1);
      expect(calls).to.equal(1);
      const ledger = await runsOf(tdb.db, 'hai/cung-luc');
      expect(ledger.map((r) => [r.scheduledFor, r.status])).to.deep.equal([['2026-03-03T01:00:00.000Z', 'ok']]);
      expect([one.services.scheduler.instanceId, two.services.scheduler.instanceId]).to.include(ledger[0]!.claimedBy);
      expect(await inboxOf(user.nd!, 'hai/cung-luc')).to.have.length(1);
    });

    it('lets exactly one of two processes claim a slot when both try at the same moment', async () => {
      const slots = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2026, 3, 1, 0, i)).toISOString());
      const results = await Promise.all(
        slots.flatMap((slot) =>
          [tdb.db, second].map((db, p) =>
            claim(db, { jobId: 'tranh/chap', scheduledFor: slot, kind: 'slot', by: `process-${p}`, at: slot }).then((id) => ({ slot, p, id })),
          ),
        ),
      );
      const winners = results.filter((r) => r.id !== undefined);
      expect(winners.map((w) => w.slot).sort()).to.deep.equal(slots);
      expect((await runsOf(tdb.db, 'tranh/chap')).map((r) => [r.scheduledFor, r.claimedBy])).to.deep.equal(
        winners.sort((x, y) => x.slot.localeCompare(y.slot)).map((w) => [w.slot, `process-${w.p}`]),
      );
    });

    it('stops a handler at its time limit, records the time-out, and delivers nothing from it', async () => {
      let signal: AbortSignal | undefined;
      const a = await app(
        'cham',
        [
          reminder('treo', '0 9 * * *', async (ctx) => {
            signal = ctx.signal;
            await new Promise((r) => setTimeout(r, 1500));
            return [toOfficers(unit.nd!, 'qua-gio:1')];
          }),
        ],
        { SCHEDULER_RUN_TIMEOUT_MS: '200' },
      );
      const started = Date.now();
      const { runs } = await a.services.scheduler.tick(new Date('2026-03-03T02:00:00Z'));
      expect(Date.now() - started).to.be.below(1200);
      expect(runs.map((r) => [r.status, r.error])).to.deep.equal([['timeout', 'the handler did not finish within 200 ms']]);
      expect(signal?.aborted).to.equal(true);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await inboxOf(user.nd!, 'cham/treo')).to.deep.equal([]);
    });

    it('records a failing handler with its error and still runs the next reminder', async () => {
      const a = await app('loi', [
        reminder('hong', '0 10 * * *', async () => {
          throw new Error('không đọc được danh sách đơn vị');
        }),
        reminder('lanh', '0 10 * * *', async () => [toOfficers(unit.nd!, 'sau-loi:1')]),
      ]);
      const { runs } = await a.services.scheduler.tick(new Date('2026-03-03T03:00:00Z'));
      expect(runs.map((r) => [r.jobId, r.status, r.error])).to.deep.equal([
        ['loi/hong', 'failed', 'không đọc được danh sách đơn vị'],
        ['loi/lanh', 'ok', null],
      ]);
      expect(await inboxOf(user.nd!, 'loi/lanh')).to.have.length(1);
    });

    it('refuses malformed notifications with the reason, and delivers the well-formed ones', async () => {
      const a = await app('sai', [
        reminder('lien-ket', '0 11 * * *', async () => [
          toOfficers(unit.nd!, 'dung:1', 'Thông báo đúng mẫu'),
          { ...toOfficers(unit.nd!, 'sai:1'), link: '//trang-la.example/lua-dao' },
          { ...toOfficers(unit.nd!, ''), title: { vi: 'Thiếu khóa', en: 'No key' } },
        ]),
      ]);
      const [run] = (await a.services.scheduler.tick(new Date('2026-03-03T04:00:00Z'))).runs;
      expect(run?.status).to.equal('failed');
      expect(run?.error).to.match(/^2 notification\(s\) refused: #2 \(sai:1\): link a path inside the app.* \| #3 \(\): dedupeKey/);
      expect([run?.found, run?.delivered]).to.deep.equal([3, 1]);
      expect((await inboxOf(user.nd!, 'sai/lien-ket')).map((n) => n.title_vi)).to.deep.equal(['Thông báo đúng mẫu']);
    });

    it('never gives a person the same key twice, across runs and slots', async () => {
      const a = await app('trung', [reminder('tuan', '0 12 * * *', async () => [toOfficers(unit.nd!, 'cung-khoa:2026-W10')])]);
      const first = await a.services.scheduler.tick(new Date('2026-03-03T05:00:00Z'));
      const next = await a.services.scheduler.tick(new Date('2026-03-04T05:00:00Z'));
      expect([...first.runs, ...next.runs].map((r) => [r.found, r.delivered, r.duplicates])).to.deep.equal([
        [1, 1, 0],
        [1, 0, 1],
      ]);
      expect(await inboxOf(user.nd!, 'trung/tuan')).to.have.length(1);
    });

    it('gives a role on a unit to its active holders, or to the nearest unit above that has one', async () => {
      const a = await app('vai-tro', [
        reminder('chuc-danh', '0 13 * * *', async () => [
          toOfficers(unit.nd!, 'vai-tro:nd'),
          toOfficers(unit.et!, 'vai-tro:et'),
          { recipient: { role: 'leader', unitId: unit.nd! }, title, dedupeKey: 'vai-tro:lanh-dao' },
          { recipient: { userId: user.gone! }, title, dedupeKey: 'vai-tro:nghi-viec' },
        ]),
      ]);
      const [run] = (await a.services.scheduler.tick(new Date('2026-03-03T06:00:00Z'))).runs;
      expect([run?.status, run?.found, run?.delivered]).to.deep.equal(['ok', 4, 2]);
      expect((await inboxOf(user.nd!, 'vai-tro/chuc-danh')).map((n) => n.dedupe_key)).to.deep.equal(['vai-tro:vai-tro:nd']);
      // Ea T'ling has no officer of its own: the district's officer hears of it, not Nam Dong's.
      expect((await inboxOf(user.cj!, 'vai-tro/chuc-danh')).map((n) => n.dedupe_key)).to.deep.equal(['vai-tro:vai-tro:et']);
      expect(await inboxOf(user.gone!)).to.deep.equal([]);
    });

    it('marks a run left "running" by a process that stopped as failed, and does not run it again', async () => {
      let calls = 0;
      const a = await app('dung', [
        reminder('giua-chung', '0 14 * * *', async () => {
          calls++;
          return [];
        }),
      ]);
      const at = '2026-03-03T07:00:00.000Z';
      await tdb.db('scheduler_runs').insert({
        job_id: 'dung/giua-chung',
        scheduled_for: at,
        kind: 'slot',
        status: 'running',
        claimed_by: 'may-chu-khac:1',
        started_at: at,
        created_at: at,
        updated_at: at,
      });
      const later = await a.services.scheduler.tick(new Date('2026-03-03T09:30:00Z'));
      expect(later.abandoned).to.equal(1);
      expect(calls).to.equal(0);
      expect((await runsOf(tdb.db, 'dung/giua-chung')).map((r) => [r.status, r.error])).to.deep.equal([
        ['failed', 'abandoned: the process running it stopped before it finished'],
      ]);
    });

    it('runs a reminder now when asked, logged, apart from its slots, and refuses a second request at the same instant', async () => {
      const keys: string[] = [];
      const a = await app('chay-ngay', [
        reminder('bay-gio', '0 15 * * *', async (ctx) => {
          keys.push(ctx.scheduledFor.toISOString());
          return [toOfficers(unit.nd!, `chay-ngay:${ctx.scheduledFor.toISOString()}`)];
        }),
      ]);
      clock.set('2026-03-03T07:45:00Z');
      const run = await a.services.scheduler.runNow('chay-ngay', 'bay-gio', admin);
      expect([run.kind, run.status, run.scheduledFor, run.requestedBy]).to.deep.equal(['manual', 'ok', '2026-03-03T07:45:00.000Z', admin.user.id]);
      const err = await a.services.scheduler.runNow('chay-ngay', 'bay-gio', admin).catch((e: unknown) => e);
      expect((err as AppError).code).to.equal('CONFLICT');
      const { runs } = await a.services.scheduler.tick(new Date('2026-03-03T08:00:00Z'));
      expect(runs.map((r) => [r.kind, r.scheduledFor])).to.deep.equal([['slot', '2026-03-03T08:00:00.000Z']]);
      expect(keys).to.deep.equal(['2026-03-03T07:45:00.000Z', '2026-03-03T08:00:00.000Z']);
      const log = await tdb.db('audit_log').where({ action: 'run', entity: 'reminder_run', entity_id: run.id }).first('user_id', 'after');
      expect([log?.user_id, JSON.parse(String(log?.after))]).to.deep.equal([admin.user.id, { reminder: 'chay-ngay/bay-gio' }]);
      const unknown = await a.services.scheduler.runNow('chay-ngay', 'khong-co', admin).catch((e: unknown) => e);
      expect((unknown as AppError).code).to.equal('NOT_FOUND');
    });
  });
}
