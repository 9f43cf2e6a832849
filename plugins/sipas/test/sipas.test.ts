import path from 'node:path';
import { expect } from 'chai';
import { formItems, inspectPlugin, localeKeys, type InspectedPlugin } from '../../../src/plugins/testing.ts';
import { formSchema, describeIssues } from '../../../src/plugins/schemas.ts';
import type { FormDefinition } from '../../../src/plugins/contract.ts';

const dir = path.resolve(import.meta.dirname, '..');

describe('plugin sipas', () => {
  let p: InspectedPlugin;
  before(async () => {
    p = await inspectPlugin(dir);
  });
  const form = () => p.forms[0]!;

  it('declares one valid satisfaction survey and no reminder', () => {
    expect(p.forms.map((f) => [f.id, f.kind])).to.deep.equal([['sipas-survey', 'satisfaction-survey']]);
    expect(p.reminders).to.deep.equal([]);
  });

  it("asks about the five aspects of the Ministry's method (QĐ 1001/QĐ-BNV)", () => {
    expect(form().sections.map((s) => s.id)).to.deep.equal(['access', 'procedure', 'officials', 'result', 'feedback']);
    for (const { item } of formItems(form())) expect(item.ref).to.equal('QĐ 1001/QĐ-BNV');
  });

  it('rates on five points from "Rất không hài lòng" to "Rất hài lòng", with "Không ý kiến"', () => {
    const scale = formItems(form()).find(({ item }) => item.answer.type === 'scale')!.item.answer;
    expect(scale).to.include({ min: 1, max: 5 });
    if (scale.type !== 'scale') throw new Error('not a scale');
    expect(scale.labels!.map((l) => l.vi)).to.deep.equal(['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng']);
    expect(scale.noOpinion!.vi).to.equal('Không ý kiến');
  });

  it('has the same texts in its Vietnamese and English locale files', () => {
    expect(localeKeys(p.locales.en)).to.deep.equal(localeKeys(p.locales.vi));
  });

  describe('the survey form kind, as the host validates it', () => {
    const withItem = (answer: unknown, extra: Record<string, unknown> = {}): FormDefinition =>
      ({
        ...form(),
        sections: [
          {
            id: 's',
            title: { vi: 'Mục', en: 'Part' },
            items: [{ id: 'q', text: { vi: 'Câu', en: 'Q' }, ref: 'x', answer, mandatory: true, weight: 1, ...extra }],
          },
        ],
      }) as FormDefinition;
    const problems = (f: unknown) => {
      const r = formSchema.safeParse(f);
      return r.success ? '' : describeIssues(r.error);
    };

    it('refuses an answer type a citizen cannot give on the survey (a photo, yes-no-na)', () => {
      expect(problems(withItem({ type: 'photo' }))).to.include('scale, choice or text');
      expect(problems(withItem({ type: 'yes-no-na' }))).to.include('scale, choice or text');
    });

    it('refuses a survey item that would raise a finding', () => {
      expect(problems(withItem({ type: 'scale', min: 1, max: 5 }, { findings: [{ when: { below: 3 }, severity: 'minor' }] }))).to.include('no finding');
    });

    it('refuses a scale whose labels do not match its points', () => {
      expect(problems(withItem({ type: 'scale', min: 1, max: 5, labels: [{ vi: 'Một', en: 'One' }] }))).to.include('one label per point');
    });
  });
});
