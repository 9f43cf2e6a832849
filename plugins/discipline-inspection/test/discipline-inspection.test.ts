import path from 'node:path';
import { expect } from 'chai';
import type { FormSection } from '../../../src/plugins/contract.ts';
import { findingFor } from '../../../src/plugins/findings.ts';
import { formItems, inspectPlugin, localeKeys, type InspectedPlugin } from '../../../src/plugins/testing.ts';
import { runHandler, unitBrief } from '../../../test/helpers/reminder-context.ts';

const dir = path.resolve(import.meta.dirname, '..');

describe('plugin discipline-inspection', () => {
  let p: InspectedPlugin;
  let perPerson: FormSection;
  before(async () => {
    p = await inspectPlugin(dir);
    perPerson = p.forms[0]!.sections.find((s) => s.repeatPerPerson)!;
  });

  it('declares one valid spot-check form of kind ethics-inspection', () => {
    expect(p.forms.map((f) => [f.id, f.kind, f.appliesTo])).to.deep.equal([['discipline-spot-check', 'ethics-inspection', 'unit']]);
  });

  it('asks per official: attendance, badge, dress, alcohol, smoking, attitude', () => {
    expect(perPerson, 'a section repeated per person').to.not.equal(undefined);
    const ids = perPerson.items.map((i) => i.id);
    for (const id of ['attendance', 'badge', 'dress', 'alcohol', 'smoking', 'attitude']) expect(ids, id).to.include(id);
    const attendance = perPerson.items.find((i) => i.id === 'attendance')!;
    expect(attendance.answer.type === 'choice' && attendance.answer.options.map((o) => o.label.vi)).to.deep.equal([
      'Có mặt',
      'Vắng có lý do',
      'Vắng không có lý do',
      'Đi muộn',
      'Về sớm, bỏ vị trí làm việc',
    ]);
  });

  it('weighs an unexcused absence and drinking as major, lateness as minor, an excused absence as nothing', () => {
    const item = (id: string) => perPerson.items.find((i) => i.id === id)!;
    const asOf = new Date();
    expect(findingFor(item('attendance'), 'absent-unexcused', asOf)).to.equal('major');
    expect(findingFor(item('attendance'), 'late', asOf)).to.equal('minor');
    expect(findingFor(item('attendance'), 'absent-excused', asOf)).to.equal(undefined);
    expect(findingFor(item('alcohol'), 'no', asOf)).to.equal('major');
    expect(findingFor(item('badge'), 'na', asOf)).to.equal(undefined);
    expect(findingFor(item('attitude'), 1, asOf)).to.equal('major');
  });

  it('checks the office: door plates, tidiness, the work schedule, written assignments for staff off site', () => {
    const office = p.forms[0]!.sections.find((s) => s.id === 'office')!;
    expect(office.items.map((i) => i.id)).to.include.members(['door-plates', 'tidy', 'work-schedule', 'off-site-assignment']);
  });

  it('cites Chỉ thị 26/CT-TTg, QĐ 129/2007/QĐ-TTg and QĐ 1847/QĐ-TTg', () => {
    const refs = formItems(p.forms[0]!)
      .map(({ item }) => item.ref)
      .join(' ');
    for (const doc of ['Chỉ thị 26/CT-TTg', 'QĐ 129/2007/QĐ-TTg', 'QĐ 1847/QĐ-TTg']) expect(refs).to.include(doc);
  });

  it('reminds of the deadlines of inspection conclusions on working days', () => {
    expect(p.reminders.map((r) => [r.id, r.cron])).to.deep.equal([['conclusion-deadlines', '0 7 * * 1-5']]);
  });

  it('has the same texts in its Vietnamese and English locale files', () => {
    expect(localeKeys(p.locales.en)).to.deep.equal(localeKeys(p.locales.vi));
  });
});

describe('plugin discipline-inspection: conclusion deadlines', () => {
  it('finds nothing on a host without the inspections area (the real run is in test/integration/inspections-followup.test.ts)', async () => {
    const p = await inspectPlugin(dir);
    expect(await runHandler(p, 'conclusion-deadlines', '2026-07-06T00:00:00Z', { units: [unitBrief(11)] })).to.deep.equal([]);
  });
});
