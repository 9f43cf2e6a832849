import { expect } from 'chai';
import type { FormDefinition } from '../../src/plugins/contract.ts';
import { parseQuarter, previousQuarter, quarterOf, readSurvey, summarise } from '../../src/modules/public/survey.logic.ts';

const form: FormDefinition = {
  id: 'thu',
  version: 1,
  kind: 'satisfaction-survey',
  appliesTo: 'unit',
  title: { vi: 'Phiếu thử', en: 'Test survey' },
  sections: [
    {
      id: 'a',
      title: { vi: 'Mục A', en: 'Part A' },
      items: [
        {
          id: 's',
          text: { vi: 'Thang', en: 'Scale' },
          ref: 'x',
          answer: { type: 'scale', min: 1, max: 5, noOpinion: { vi: 'Không ý kiến', en: 'No opinion' } },
          mandatory: true,
          weight: 1,
        },
        {
          id: 'c',
          text: { vi: 'Chọn', en: 'Choice' },
          ref: 'x',
          answer: {
            type: 'choice',
            options: [
              { value: 'x', label: { vi: 'X', en: 'X' } },
              { value: 'y', label: { vi: 'Y', en: 'Y' } },
            ],
          },
          mandatory: false,
          weight: 0,
        },
        { id: 't', text: { vi: 'Chữ', en: 'Text' }, ref: 'x', answer: { type: 'text' }, mandatory: false, weight: 0 },
      ],
    },
  ],
};

describe('survey rules', () => {
  it('reads a scale point, "Không ý kiến", a choice and a short text', () => {
    expect(readSurvey(form, { a_s: '4', a_c: 'y', a_t: ' Tốt ' }, []).input?.answers).to.deep.equal({ s: 4, c: 'y', t: 'Tốt' });
    expect(readSurvey(form, { a_s: 'na' }, []).input?.answers).to.deep.equal({ s: 'na' });
  });

  it('names each wrong answer by its field: missing, off the scale, not an option, too long', () => {
    expect(readSurvey(form, {}, []).errors).to.deep.equal({ a_s: { key: 'sipas.v.answer_required' } });
    expect(readSurvey(form, { a_s: '0', a_c: 'z', a_t: 'x'.repeat(501) }, []).errors).to.deep.equal({
      a_s: { key: 'sipas.v.answer_invalid' },
      a_c: { key: 'sipas.v.answer_invalid' },
      a_t: { key: 'v.too_long', params: { n: 500 } },
    });
  });

  it('keeps a phone number only with the consent ticked, written without spaces or dots', () => {
    expect(readSurvey(form, { a_s: '5', phone: '0912 345.678' }, []).errors).to.have.property('consent');
    expect(readSurvey(form, { a_s: '5', phone: '0912 345.678', consent: 'yes' }, []).input?.phone).to.equal('0912345678');
  });

  it('counts the two top points as satisfied, and leaves "Không ý kiến" out of index and average', () => {
    const stored = ['5', '4', '3', 'na', '1'].map((v) => ({ definition: form, answers: { s: v === 'na' ? 'na' : Number(v) } }));
    const s = summarise(form, stored);
    expect(s.overall).to.include({ rated: 4, satisfied: 2, noOpinion: 1, sum: 13, index: 50, average: 3.25 });
    expect(s.aspects.map((a) => a.id)).to.deep.equal(['a']);
  });

  it('knows the quarters: Q4 2026 runs from 1 October to 31 December, the one before is Q3', () => {
    expect(quarterOf('2026-11-10')).to.include({ key: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(previousQuarter(quarterOf('2026-02-01'))).to.include({ key: '2025-Q4' });
    expect(parseQuarter('2026-Q2')).to.include({ from: '2026-04-01', to: '2026-06-30' });
    expect(parseQuarter('2026-Q5')).to.equal(undefined);
  });
});
