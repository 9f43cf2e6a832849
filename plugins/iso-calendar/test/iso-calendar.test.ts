import path from 'node:path';
import { expect } from 'chai';
import { nextRun } from '../../../src/plugins/cron.ts';
import { inspectPlugin, localeKeys, type InspectedPlugin } from '../../../src/plugins/testing.ts';

const dir = path.resolve(import.meta.dirname, '..');

describe('plugin iso-calendar', () => {
  let p: InspectedPlugin;
  before(async () => {
    p = await inspectPlugin(dir);
  });

  it('declares reminders only: the yearly report, re-declarations, procedure reviews, corrective actions due and overdue', () => {
    expect(p.forms).to.deep.equal([]);
    expect(p.reminders.map((r) => r.id)).to.deep.equal(['qms-report-due', 'redeclaration-needed', 'procedure-review-due', 'corrective-actions-due', 'corrective-actions-overdue']);
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

  it('takes the province\'s report date and escalation delay from settings', async () => {
    const q = await inspectPlugin(dir, { PLUGIN_ISO_CALENDAR_REPORT_DUE_DATE: '11-30', PLUGIN_ISO_CALENDAR_ESCALATE_AFTER_DAYS: '14' });
    expect(q.settings).to.include({ reportDueDate: '11-30', escalateAfterDays: 14 });
    expect(q.reminders[0]!.description?.vi).to.include('30/11');
    expect(q.reminders[4]!.description?.vi).to.include('hơn 14 ngày');
  });

  it('refuses a report date that is not a day of the year', async () => {
    let message = '';
    await inspectPlugin(dir, { PLUGIN_ISO_CALENDAR_REPORT_DUE_DATE: '13-40' }).catch((err: Error) => { message = err.message; });
    expect(message).to.match(/PLUGIN_ISO_CALENDAR_REPORT_DUE_DATE: "13-40" does not match/);
  });

  it('has the same texts in its Vietnamese and English locale files', () => {
    expect(localeKeys(p.locales.en)).to.deep.equal(localeKeys(p.locales.vi));
    expect(localeKeys(p.locales.vi)).to.include.members(['notify.action_due.title', 'notify.action_overdue.title', 'notify.qms_report_due.title']);
  });
});
