import path from 'node:path';
import { expect } from 'chai';
import { findingFor } from '../../../src/plugins/findings.ts';
import { PhaseError } from '../../../src/plugins/prepare.ts';
import { formItems, inspectPlugin, localeKeys, type InspectedPlugin } from '../../../src/plugins/testing.ts';
import { runHandler, unitBrief } from '../../../test/helpers/reminder-context.ts';

const dir = path.resolve(import.meta.dirname, '..');
const vietnamese = /[ăâđêôơưàáạảãèéẹẻẽìíịỉĩòóọỏõùúụủũỳýỵỷỹ]/i;

describe('plugin iso-internal-audit', () => {
  let p: InspectedPlugin;
  before(async () => {
    p = await inspectPlugin(dir);
  });

  it('declares one valid internal audit form of kind iso-check, for a unit', () => {
    expect(p.forms.map((f) => [f.id, f.version, f.kind, f.appliesTo])).to.deep.equal([['iso-internal-audit', 1, 'iso-check', 'unit']]);
  });

  it('has one section per clause group of TCVN ISO 9001:2015, 4 to 10, in order', () => {
    expect(p.forms[0]!.sections.map((s) => s.id)).to.deep.equal(['c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10']);
  });

  it('checks every sub-clause that applies to an agency, each item in its own clause group', () => {
    const form = p.forms[0]!;
    const subClauses = [
      '4.1',
      '4.2',
      '4.3',
      '4.4',
      '5.1',
      '5.2',
      '5.3',
      '6.1',
      '6.2',
      '6.3',
      '7.1',
      '7.2',
      '7.3',
      '7.4',
      '7.5',
      '8.1',
      '8.2',
      '8.3',
      '8.4',
      '8.5',
      '8.6',
      '8.7',
      '9.1',
      '9.2',
      '9.3',
      '10.1',
      '10.2',
      '10.3',
    ];
    const refs = formItems(form).map(({ item }) => item.ref);
    for (const c of subClauses)
      expect(
        refs.some((r) => r === c || r.startsWith(`${c}.`)),
        `clause ${c}`,
      ).to.equal(true);
    for (const { sectionId, item } of formItems(form)) {
      expect(item.ref, item.id).to.match(/^(4|5|6|7|8|9|10)(\.\d+){1,2}$/);
      expect(`c${item.ref.split('.')[0]}`, item.id).to.equal(sectionId);
    }
  });

  it('raises a finding whenever a requirement is answered "no", and scores every such item', () => {
    for (const { item } of formItems(p.forms[0]!).filter(({ item }) => item.answer.type === 'yes-no-na')) {
      expect(findingFor(item, 'no', new Date()), item.id).to.not.equal(undefined);
      expect(findingFor(item, 'yes', new Date()), item.id).to.equal(undefined);
      expect(item.weight, item.id).to.be.greaterThan(0);
    }
  });

  it('treats an internal audit or a management review more than a year old as a major finding', () => {
    const items = formItems(p.forms[0]!).map(({ item }) => item);
    const asOf = new Date('2026-10-15T03:00:00Z');
    for (const id of ['c9-2-last', 'c9-3-last']) {
      const dated = items.find((i) => i.id === id)!;
      expect(findingFor(dated, '2025-10-01', asOf), id).to.equal('major');
      expect(findingFor(dated, '2026-03-01', asOf), id).to.equal(undefined);
    }
  });

  it('is written in Vietnamese, with an English translation of every text', () => {
    for (const { item } of formItems(p.forms[0]!)) {
      expect(item.text.vi, item.id).to.match(vietnamese);
      expect(item.text.en.length, item.id).to.be.greaterThan(10);
    }
  });

  it('reminds of the yearly internal audit and management review in the configured months', async () => {
    expect(p.reminders.map((r) => [r.id, r.cron])).to.deep.equal([
      ['internal-audit-due', '0 7 1 10 *'],
      ['management-review-due', '0 7 1 11 *'],
    ]);
    const moved = await inspectPlugin(dir, { PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH: '6', PLUGIN_ISO_INTERNAL_AUDIT_REVIEW_MONTH: '7' });
    expect(moved.reminders.map((r) => r.cron)).to.deep.equal(['0 7 1 6 *', '0 7 1 7 *']);
    expect(moved.reminders[0]!.description?.vi).to.include('tháng 6');
  });

  it('refuses a month that does not exist', async () => {
    try {
      await inspectPlugin(dir, { PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH: '13' });
      expect.fail('month 13 was accepted');
    } catch (err) {
      expect(err).to.be.instanceOf(PhaseError);
      expect((err as Error).message).to.match(/13 is outside 1\.\.12/);
    }
  });

  it('has the same texts in its Vietnamese and English locale files', () => {
    expect(localeKeys(p.locales.en)).to.deep.equal(localeKeys(p.locales.vi));
    expect(localeKeys(p.locales.vi)).to.include('notify.internal_audit_due.title');
  });
});

describe('plugin iso-internal-audit: who its reminders reach', () => {
  let p: InspectedPlugin;
  const units = [
    unitBrief(11, { name: 'Xã Nam Dong', isoState: 'declared' }),
    unitBrief(12, { name: 'Phường Nghĩa Đức', kind: 'ward', isoState: 'needs_redeclaration' }),
    unitBrief(13, { name: 'Sở Nội vụ', kind: 'department', isoState: 'applying' }),
    unitBrief(14, { name: 'Xã Đắk Sôr', isoState: 'building' }),
    unitBrief(15, { name: 'Đặc khu Côn Đảo', kind: 'special_zone', isoState: 'not_started' }),
    unitBrief(1, { name: 'Tỉnh Đắk Nông', kind: 'province', path: '/1/', isoState: 'declared' }),
  ];
  before(async () => {
    p = await inspectPlugin(dir);
  });

  it('reminds the ISO officer of every unit applying a QMS of the yearly internal audit, due by the end of the month', async () => {
    const drafts = await runHandler(p, 'internal-audit-due', '2026-10-01T00:00:00Z', { units });
    expect(drafts.map((d) => [d.recipient, d.dedupeKey, d.dueDate, d.link])).to.deep.equal([
      [{ role: 'officer', unitId: 11 }, 'internal-audit-due:11:2026', '2026-10-31', '/units/11'],
      [{ role: 'officer', unitId: 12 }, 'internal-audit-due:12:2026', '2026-10-31', '/units/12'],
      [{ role: 'officer', unitId: 13 }, 'internal-audit-due:13:2026', '2026-10-31', '/units/13'],
    ]);
    expect(drafts[0]!.title).to.deep.equal({ vi: 'Đến hạn đánh giá nội bộ năm 2026', en: 'Internal audit due for 2026' });
    expect(drafts[0]!.body?.vi).to.equal(
      'Tháng 10/2026 là tháng đánh giá nội bộ HTQLCL hằng năm của Xã Nam Dong. Lập kế hoạch và thực hiện đánh giá nội bộ theo quy trình đánh giá nội bộ (điều 9.2 TCVN ISO 9001:2015), hoàn thành trước ngày 31/10/2026.',
    );
  });

  it('reminds both the leader and the ISO officer of the management review, once per unit and year', async () => {
    const drafts = await runHandler(p, 'management-review-due', '2026-11-01T00:00:00Z', { units: units.slice(0, 1) });
    expect(drafts.map((d) => [d.recipient, d.dedupeKey, d.dueDate])).to.deep.equal([
      [{ role: 'officer', unitId: 11 }, 'management-review-due:11:2026', '2026-11-30'],
      [{ role: 'leader', unitId: 11 }, 'management-review-due:11:2026', '2026-11-30'],
    ]);
    expect(drafts[1]!.body?.en).to.equal(
      '11/2026 is the month of the management review of the QMS of Xã Nam Dong (clause 9.3 of TCVN ISO 9001:2015). Prepare the internal audit results, how far the quality objectives were met and the status of corrective actions; hold the review by 30/11/2026.',
    );
  });
});
