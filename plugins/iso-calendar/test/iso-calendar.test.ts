import path from 'node:path';
import { expect } from 'chai';
import { nextRun } from '../../../src/plugins/cron.ts';
import { inspectPlugin, localeKeys, type InspectedPlugin } from '../../../src/plugins/testing.ts';
import { reminderContext, runHandler, unitBrief } from '../../../test/helpers/reminder-context.ts';
import { addDays } from '../dates.ts';

const dir = path.resolve(import.meta.dirname, '..');

describe('plugin iso-calendar', () => {
  let p: InspectedPlugin;
  before(async () => {
    p = await inspectPlugin(dir);
  });

  it('declares reminders only: the yearly report, re-declarations, procedure reviews, corrective actions due and overdue', () => {
    expect(p.forms).to.deep.equal([]);
    expect(p.reminders.map((r) => r.id)).to.deep.equal([
      'qms-report-due',
      'redeclaration-needed',
      'procedure-review-due',
      'corrective-actions-due',
      'corrective-actions-overdue',
    ]);
  });

  it('schedules each of them in Viet Nam time', () => {
    const monday = new Date('2026-03-02T02:00:00Z'); // 09:00 on a Monday in Ha Noi
    expect(p.reminders.map((r) => [r.id, nextRun(r.cron, monday)?.toISOString()])).to.deep.equal([
      ['qms-report-due', '2026-03-03T00:00:00.000Z'],
      ['redeclaration-needed', '2026-03-09T00:30:00.000Z'],
      ['procedure-review-due', '2026-04-01T01:00:00.000Z'],
      ['corrective-actions-due', '2026-03-03T00:00:00.000Z'],
      ['corrective-actions-overdue', '2026-03-03T00:15:00.000Z'],
    ]);
  });

  it("takes the province's report date and escalation delay from settings", async () => {
    const q = await inspectPlugin(dir, { PLUGIN_ISO_CALENDAR_REPORT_DUE_DATE: '11-30', PLUGIN_ISO_CALENDAR_ESCALATE_AFTER_DAYS: '14' });
    expect(q.settings).to.include({ reportDueDate: '11-30', escalateAfterDays: 14 });
    expect(q.reminders[0]!.description?.vi).to.include('30/11');
    expect(q.reminders[4]!.description?.vi).to.include('hơn 14 ngày');
  });

  it('refuses a report date that is not a day of the year', async () => {
    let message = '';
    await inspectPlugin(dir, { PLUGIN_ISO_CALENDAR_REPORT_DUE_DATE: '13-40' }).catch((err: Error) => {
      message = err.message;
    });
    expect(message).to.match(/PLUGIN_ISO_CALENDAR_REPORT_DUE_DATE: "13-40" does not match/);
  });

  it('has the same texts in its Vietnamese and English locale files', () => {
    expect(localeKeys(p.locales.en)).to.deep.equal(localeKeys(p.locales.vi));
    expect(localeKeys(p.locales.vi)).to.include.members(['notify.action_due.title', 'notify.action_overdue.title', 'notify.qms_report_due.title']);
  });
});

describe('plugin iso-calendar: what its reminders find', () => {
  let p: InspectedPlugin;
  let byProvince: InspectedPlugin;
  const units = [
    unitBrief(11, { name: 'Xã Nam Dong', isoState: 'declared' }),
    unitBrief(12, { name: 'Sở Khoa học và Công nghệ', kind: 'department', isoState: 'applying' }),
    unitBrief(13, { name: 'Xã Đắk Sôr', isoState: 'not_started' }),
    unitBrief(14, { name: 'Xã Tâm Thắng', isoState: 'building' }),
    unitBrief(15, {
      name: 'Xã Phúc Khoa',
      provinceId: 2,
      provinceCode: 'LCA',
      path: '/2/15/',
      isoState: 'needs_redeclaration',
      isoStateReason: 'Sáp nhập từ ngày 01/07/2025',
      isoStateChangedAt: '2026-06-30T17:30:00.000Z',
    }),
    unitBrief(1, { name: 'Tỉnh Đắk Nông', kind: 'province', path: '/1/' }),
  ];
  const at7 = (day: string) => `${day}T00:00:00Z`; // 07:00 in Ha Noi
  before(async () => {
    p = await inspectPlugin(dir);
    byProvince = await inspectPlugin(dir, { PLUGIN_ISO_CALENDAR_REPORT_DUE_DATES: 'LCA=11-30' });
  });

  it('reminds the officers of units running a QMS of the yearly report from 30 days before the deadline, and again in the last 7', async () => {
    expect(await runHandler(p, 'qms-report-due', at7('2026-11-14'), { units })).to.deep.equal([]);
    const first = await runHandler(p, 'qms-report-due', at7('2026-11-15'), { units });
    expect(first.map((d) => [d.recipient, d.dedupeKey, d.dueDate, d.link])).to.deep.equal([
      [{ role: 'officer', unitId: 11 }, 'qms-report:11:2026:first', '2026-12-15', '/units/11'],
      [{ role: 'officer', unitId: 12 }, 'qms-report:12:2026:first', '2026-12-15', '/units/12'],
      [{ role: 'officer', unitId: 15 }, 'qms-report:15:2026:first', '2026-12-15', '/units/15'],
    ]);
    expect(first[0]!.title).to.deep.equal({ vi: 'Hạn nộp báo cáo HTQLCL năm 2026: 15/12/2026', en: 'QMS report for 2026 due on 15/12/2026' });
    expect(first[0]!.body?.vi).to.equal(
      'Đề nghị Xã Nam Dong gửi báo cáo tình hình xây dựng, áp dụng, duy trì và cải tiến HTQLCL năm 2026 về Sở Khoa học và Công nghệ trước ngày 15/12/2026.',
    );
    expect((await runHandler(p, 'qms-report-due', at7('2026-12-07'), { units })).map((d) => d.dedupeKey)[0]).to.equal('qms-report:11:2026:first');
    expect((await runHandler(p, 'qms-report-due', at7('2026-12-08'), { units })).map((d) => d.dedupeKey)[0]).to.equal('qms-report:11:2026:final');
    expect((await runHandler(p, 'qms-report-due', at7('2026-12-15'), { units })).map((d) => d.dedupeKey)[0]).to.equal('qms-report:11:2026:final');
    expect(await runHandler(p, 'qms-report-due', at7('2026-12-16'), { units })).to.deep.equal([]);
  });

  it("uses a province's own report deadline where one is set", async () => {
    const nov1 = await runHandler(byProvince, 'qms-report-due', at7('2026-11-01'), { units });
    expect(nov1.map((d) => [d.dedupeKey, d.dueDate])).to.deep.equal([['qms-report:15:2026:first', '2026-11-30']]);
    const dec10 = await runHandler(byProvince, 'qms-report-due', at7('2026-12-10'), { units });
    expect(dec10.map((d) => d.dedupeKey)).to.deep.equal(['qms-report:11:2026:final', 'qms-report:12:2026:final']);
  });

  it('counts a January deadline as the report of the year before', async () => {
    const january = await inspectPlugin(dir, { PLUGIN_ISO_CALENDAR_REPORT_DUE_DATE: '01-15' });
    const drafts = await runHandler(january, 'qms-report-due', at7('2026-12-20'), { units });
    expect(drafts.map((d) => [d.dedupeKey, d.dueDate, d.title.vi])[0]).to.deep.equal([
      'qms-report:11:2026:first',
      '2027-01-15',
      'Hạn nộp báo cáo HTQLCL năm 2026: 15/01/2027',
    ]);
  });

  it('tells the officers and leaders of a unit that must re-declare, with the reason, once a week', async () => {
    const monday = await runHandler(p, 'redeclaration-needed', '2026-07-06T00:30:00Z', { units });
    expect(monday.map((d) => [d.recipient, d.dedupeKey])).to.deep.equal([
      [{ role: 'officer', unitId: 15 }, 'redeclaration:15:2026-07-01:2026-W28'],
      [{ role: 'leader', unitId: 15 }, 'redeclaration:15:2026-07-01:2026-W28'],
    ]);
    expect(monday[0]!.body?.vi).to.equal(
      'Phạm vi HTQLCL của Xã Phúc Khoa đã thay đổi (Sáp nhập từ ngày 01/07/2025) từ ngày 01/07/2026; cần ban hành quyết định công bố lại.',
    );
    const runAgainThursday = await runHandler(p, 'redeclaration-needed', '2026-07-09T03:00:00Z', { units });
    expect(runAgainThursday[0]!.dedupeKey, 'the same week').to.equal('redeclaration:15:2026-07-01:2026-W28');
    expect((await runHandler(p, 'redeclaration-needed', '2026-07-13T00:30:00Z', { units }))[0]!.dedupeKey).to.equal('redeclaration:15:2026-07-01:2026-W29');
    const noReason = [unitBrief(16, { name: 'Xã Mới', isoState: 'needs_redeclaration' })];
    const [d] = await runHandler(p, 'redeclaration-needed', '2026-07-06T00:30:00Z', { units: noReason });
    expect([d!.body?.vi, d!.body?.en]).to.deep.equal([
      'Phạm vi HTQLCL của Xã Mới đã thay đổi (không ghi lý do) từ ngày —; cần ban hành quyết định công bố lại.',
      'The QMS scope of Xã Mới changed (no reason given) on —; a re-declaration decision must be issued.',
    ]);
  });

  it('reminds the officer of a unit once a month of its procedures due for review, naming the longest waiting', async () => {
    const item = (id: number, code: string, lastReviewedOn: string) => ({
      id,
      code,
      title: `Quy trình ${code}`,
      revisionNo: 1,
      issueDate: lastReviewedOn,
      lastReviewedOn,
      dueOn: `${Number(lastReviewedOn.slice(0, 4)) + 1}${lastReviewedOn.slice(4)}`,
    });
    const reviews = [
      {
        unitId: 11,
        unitName: 'Xã Nam Dong',
        count: 5,
        oldestReviewedOn: '2024-11-02',
        oldestDueOn: '2025-11-02',
        reviewMonths: 12,
        first: [item(7, 'QT-01', '2024-11-02'), item(8, 'QT-02', '2025-01-15'), item(9, 'QT-03', '2025-03-01')],
      },
      {
        unitId: 12,
        unitName: 'Phường Nghĩa Đức',
        count: 1,
        oldestReviewedOn: '2025-05-10',
        oldestDueOn: '2026-05-10',
        reviewMonths: 12,
        first: [item(20, 'QT-09/ND', '2025-05-10')],
      },
    ];
    const drafts = await runHandler(p, 'procedure-review-due', '2026-06-01T01:00:00Z', { reviews });
    expect(drafts.map((d) => [d.recipient, d.link, d.dueDate, d.dedupeKey, d.title.vi])).to.deep.equal([
      [{ role: 'officer', unitId: 11 }, '/units/11/catalog?due=1', '2025-11-02', 'procedure-review:11:2026-06', '5 quy trình đến hạn rà soát định kỳ'],
      [{ role: 'officer', unitId: 12 }, '/units/12/catalog?due=1', '2026-05-10', 'procedure-review:12:2026-06', '1 quy trình đến hạn rà soát định kỳ'],
    ]);
    expect(drafts[0]!.body?.vi).to.equal(
      'Xã Nam Dong có 5 quy trình đang có hiệu lực chưa được rà soát trong 12 tháng, quá hạn rà soát sớm nhất từ ngày 02/11/2025: ' +
        'QT-01 (Quy trình QT-01, rà soát gần nhất ngày 02/11/2024); QT-02 (Quy trình QT-02, rà soát gần nhất ngày 15/01/2025); QT-03 (Quy trình QT-03, rà soát gần nhất ngày 01/03/2025); và 2 quy trình khác. ' +
        'Rà soát và ghi nhận kết quả, hoặc sửa đổi quy trình nếu TTHC, văn bản pháp luật đã thay đổi.',
    );
    expect(drafts[1]!.body?.en).to.equal(
      'Phường Nghĩa Đức has 1 procedure(s) in force not reviewed for 12 months, the longest overdue since 10/05/2026: QT-09/ND (Quy trình QT-09/ND, last reviewed on 10/05/2025). Review them and record the result, or revise them if the administrative procedure or the law changed.',
    );
    expect((await runHandler(p, 'procedure-review-due', '2026-07-01T01:00:00Z', { reviews }))[0]!.dedupeKey, 'next month').to.equal(
      'procedure-review:11:2026-07',
    );
  });

  describe('corrective actions', () => {
    const action = (id: number, dueDate: string) => ({
      id,
      findingId: 40 + id,
      unitId: 11,
      unitName: 'Xã Nam Dong',
      action: 'Lập danh mục hồ sơ',
      ownerId: 7,
      dueDate,
      clauseRef: '7.5.3',
    });
    // What `ctx.reads` answers of actions, filtered on the day as the real service filters it.
    const run = (id: string, at: string, rows: ReturnType<typeof action>[]) => {
      const ctx = reminderContext(p, id, at, { units });
      const asked: unknown[] = [];
      ctx.reads = {
        ...ctx.reads,
        actionsDueSoon: async (day: string, days: number) => {
          asked.push(['dueSoon', day, days]);
          return rows.filter((a) => a.dueDate >= day && a.dueDate <= addDays(day, days));
        },
        actionsOverdue: async (day: string) => {
          asked.push(['overdue', day]);
          return rows.filter((a) => a.dueDate < day);
        },
      };
      return p.reminders
        .find((r) => r.id === id)!
        .handler(ctx)
        .then((drafts) => ({ drafts, asked }));
    };

    it('reminds the owner of an action due within dueSoonDays, once per action and due date', async () => {
      const { drafts, asked } = await run('corrective-actions-due', '2026-07-06T00:00:00Z', [
        action(1, '2026-07-10'),
        action(2, '2026-07-14'),
        action(3, '2026-07-01'),
      ]);
      expect(asked).to.deep.equal([['dueSoon', '2026-07-06', 7]]);
      expect(drafts.map((d) => [d.recipient, d.dedupeKey, d.link, d.dueDate])).to.deep.equal([
        [{ userId: 7 }, 'action-due:1:2026-07-10', '/findings/41#a-1', '2026-07-10'],
      ]);
      expect(drafts[0]!.title.vi).to.equal('Hành động khắc phục đến hạn ngày 10/07/2026');
      expect(drafts[0]!.body?.vi).to.equal('Hành động "Lập danh mục hồ sơ" cho phát hiện #41 (7.5.3) tại Xã Nam Dong đến hạn ngày 10/07/2026.');
    });

    it("reminds the owner of an overdue action weekly, and the unit's leaders once past escalateAfterDays", async () => {
      const rows = [action(1, '2026-07-01'), action(2, '2026-06-20')];
      const { drafts } = await run('corrective-actions-overdue', '2026-07-06T00:15:00Z', rows);
      expect(drafts.map((d) => [d.recipient, d.dedupeKey])).to.deep.equal([
        [{ userId: 7 }, 'action-overdue:1:2026-W28'],
        [{ userId: 7 }, 'action-overdue:2:2026-W28'],
        [{ role: 'leader', unitId: 11 }, 'action-escalated:2:2026-06-20'],
      ]);
      expect(drafts[1]!.title.vi).to.equal('Hành động khắc phục quá hạn 16 ngày');
      const nextWeek = await run('corrective-actions-overdue', '2026-07-13T00:15:00Z', rows);
      expect(nextWeek.drafts.map((d) => d.dedupeKey)).to.deep.equal([
        'action-overdue:1:2026-W29',
        'action-escalated:1:2026-07-01',
        'action-overdue:2:2026-W29',
        'action-escalated:2:2026-06-20',
      ]);
    });
  });
});

describe('plugin iso-calendar: per-province report dates', () => {
  it('refuses a list of province dates that is not CODE=MM-DD, comma-separated', async () => {
    const message = await inspectPlugin(dir, { PLUGIN_ISO_CALENDAR_REPORT_DUE_DATES: 'LCA=13-01' }).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).to.match(/PLUGIN_ISO_CALENDAR_REPORT_DUE_DATES: "LCA=13-01" does not match/);
  });
});
