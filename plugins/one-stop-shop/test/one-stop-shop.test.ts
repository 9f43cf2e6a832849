import path from 'node:path';
import { expect } from 'chai';
import { findingFor } from '../../../src/plugins/findings.ts';
import { formItems, inspectPlugin, localeKeys, type InspectedPlugin } from '../../../src/plugins/testing.ts';

const dir = path.resolve(import.meta.dirname, '..');

describe('plugin one-stop-shop', () => {
  let p: InspectedPlugin;
  before(async () => {
    p = await inspectPlugin(dir);
  });
  const item = (id: string) => formItems(p.forms[0]!).find(({ item }) => item.id === id)!.item;

  it('declares one valid iso-check form of the one-stop counter, and no reminder', () => {
    expect(p.forms.map((f) => [f.id, f.kind])).to.deep.equal([['one-stop-counter', 'iso-check']]);
    expect(p.reminders).to.deep.equal([]);
  });

  it('covers posting, receipts, fees, late dossiers, the tracking book, the leader on duty and the hotline', () => {
    for (const id of ['posted', 'current', 'receipt', 'fees', 'apology', 'tracking-book', 'leader-on-duty', 'hotline'])
      expect(item(id), id).to.not.equal(undefined);
  });

  it('cites NĐ 118/2025/NĐ-CP and the forms of TT 03/2025/TT-VPCP (04 apology letter, 07 tracking book)', () => {
    expect(item('apology').ref).to.equal('TT 03/2025/TT-VPCP, Mẫu số 04');
    expect(item('tracking-book').ref).to.equal('TT 03/2025/TT-VPCP, Mẫu số 07');
    expect(item('posted').ref).to.equal('NĐ 118/2025/NĐ-CP');
  });

  it('grades the on-time rate: below 90% minor, below 100% an observation', () => {
    const rate = item('on-time-rate');
    expect([85, 95, 100].map((v) => findingFor(rate, v, new Date()))).to.deep.equal(['minor', 'observation', undefined]);
  });

  it('makes a missing apology letter a major finding, unless no dossier was late', () => {
    expect(findingFor(item('apology'), 'no', new Date())).to.equal('major');
    expect(findingFor(item('apology'), 'na', new Date())).to.equal(undefined);
  });

  it('has the same texts in its Vietnamese and English locale files', () => {
    expect(localeKeys(p.locales.en)).to.deep.equal(localeKeys(p.locales.vi));
  });
});
