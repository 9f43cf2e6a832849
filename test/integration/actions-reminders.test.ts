import { expect } from 'chai';
import type { BuiltApp } from '../../src/app.ts';
import type { Actor } from '../../src/lib/actor.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { engines, freshDb, type TestDb } from '../helpers/databases.ts';
import { adminOf, person, reminderApp } from '../helpers/reminders.ts';
import { insertAction, insertCheck, insertFinding } from '../fixtures/actions-data.ts';

/** The iso-calendar reminders of corrective actions, run on a real database through the scheduler. */
for (const dialect of engines()) {
  describe(`corrective action reminders [${dialect}]`, function () {
    let tdb: TestDb;
    let built: BuiltApp;
    let admin: Actor;
    let owner: number;
    let leader: number;
    let soon: number;
    let late: number;
    const clock = new ManualClock('2026-07-06T00:00:00Z');
    const inbox = async (userId: number) =>
      (await tdb.db('notifications').where('user_id', userId).orderBy('id').select('dedupe_key', 'link', 'title_vi')) as Array<{
        dedupe_key: string;
        link: string;
        title_vi: string;
      }>;

    before(async function () {
      this.timeout(60_000);
      tdb = await freshDb(dialect);
      built = await reminderApp({ db: tdb.db, url: tdb.url, clock });
      admin = await adminOf(built);
      const dno = await built.services.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
      const nd = await built.services.units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id });
      owner = await person(built, admin, 'hoa', 'Nguyễn Thị Hoa', 'officer', 'DNO-ND');
      leader = await person(built, admin, 'lanh-dao', 'Trần Văn Lãnh', 'leader', 'DNO-ND');
      const check = await insertCheck(tdb.db, nd.id, { checkDate: '2026-05-01' });
      const finding = await insertFinding(tdb.db, check, 'major');
      soon = await insertAction(tdb.db, finding, owner, { dueDate: '2026-07-09', status: 'in_progress' });
      late = await insertAction(tdb.db, finding, owner, { dueDate: '2026-06-20', status: 'open' });
      // Done work is neither due nor overdue, whatever its date.
      await insertAction(tdb.db, finding, owner, { dueDate: '2026-06-01', status: 'done' });
      await insertAction(tdb.db, finding, owner, { dueDate: '2026-07-08', status: 'verified' });
    });
    after(async () => tdb?.drop());

    it('tells the owner of an action due within a week, once', async () => {
      await built.services.scheduler.runNow('iso-calendar', 'corrective-actions-due');
      await built.services.scheduler.runNow('iso-calendar', 'corrective-actions-due').catch(() => undefined);
      clock.set('2026-07-07T00:00:00Z');
      await built.services.scheduler.runNow('iso-calendar', 'corrective-actions-due');
      const got = await inbox(owner);
      expect(got.map((n) => n.dedupe_key)).to.deep.equal([`iso-calendar:action-due:${soon}:2026-07-09`]);
      expect(got[0]!.title_vi).to.equal('Hành động khắc phục đến hạn ngày 09/07/2026');
      expect(got[0]!.link).to.match(new RegExp(`^/findings/\\d+#a-${soon}$`));
    });

    it('tells the owner of an overdue action weekly and the leader once it is late more than escalateAfterDays', async () => {
      clock.set('2026-07-07T00:15:00Z');
      await built.services.scheduler.runNow('iso-calendar', 'corrective-actions-overdue');
      clock.set('2026-07-08T00:15:00Z');
      await built.services.scheduler.runNow('iso-calendar', 'corrective-actions-overdue');
      const ownerKeys = (await inbox(owner)).map((n) => n.dedupe_key).filter((k) => k.includes('overdue'));
      expect(ownerKeys).to.deep.equal([`iso-calendar:action-overdue:${late}:2026-W28`]);
      const leaderGot = await inbox(leader);
      expect(leaderGot.map((n) => n.dedupe_key)).to.deep.equal([`iso-calendar:action-escalated:${late}:2026-06-20`]);
      expect(leaderGot[0]!.title_vi).to.equal('Hành động khắc phục quá hạn 17 ngày');
      clock.set('2026-07-13T00:15:00Z');
      await built.services.scheduler.runNow('iso-calendar', 'corrective-actions-overdue');
      // The next week: the late action again, and the one due on the 9th, now late too.
      expect((await inbox(owner)).map((n) => n.dedupe_key).filter((k) => k.includes('overdue'))).to.deep.equal([
        `iso-calendar:action-overdue:${late}:2026-W28`,
        `iso-calendar:action-overdue:${late}:2026-W29`,
        `iso-calendar:action-overdue:${soon}:2026-W29`,
      ]);
      expect(await inbox(leader), 'the leader is told once, and not yet of the action 4 days late').to.have.length(1);
    });
  });
}
