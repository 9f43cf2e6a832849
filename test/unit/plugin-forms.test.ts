import path from 'node:path';
import ejs from 'ejs';
import { expect } from 'chai';
import type { FormDefinition, FormItem, Plugin } from '../../src/plugins/contract.ts';
import { cronProblem, nextRun } from '../../src/plugins/cron.ts';
import { findingFor } from '../../src/plugins/findings.ts';
import { PhaseError, registerPlugin, resolveSettings, settingEnvName } from '../../src/plugins/prepare.ts';
import { formSchema, describeIssues } from '../../src/plugins/schemas.ts';
import { satisfies } from '../../src/plugins/semver-range.ts';
import { Translator } from '../../src/lib/i18n.ts';
import { localizer } from '../../src/plugins/routes.ts';
import { loadConfig } from '../../src/config/config.ts';

const item = (over: Partial<FormItem> = {}): FormItem => ({
  id: 'i1',
  text: { vi: 'Có sổ tay chất lượng', en: 'Has a quality manual' },
  ref: '4.3',
  answer: { type: 'yes-no-na' },
  mandatory: true,
  weight: 1,
  ...over,
});
const form = (items: FormItem[], over: Partial<FormDefinition> = {}): FormDefinition => ({
  id: 'f',
  version: 1,
  title: { vi: 'Phiếu', en: 'Form' },
  kind: 'iso-check',
  appliesTo: 'unit',
  sections: [{ id: 's', title: { vi: 'Phần', en: 'Part' }, items }],
  ...over,
});
function problems(def: unknown): string {
  const r = formSchema.safeParse(def);
  return r.success ? '' : describeIssues(r.error);
}

describe('form definitions', () => {
  it('accept a form with every answer type and fitting finding rules', () => {
    expect(
      problems(
        form([
          item({
            findings: [
              { when: { equals: 'no' }, severity: 'major' },
              { when: { in: ['na'] }, severity: 'observation' },
            ],
          }),
          item({ id: 'scale', answer: { type: 'scale', min: 1, max: 5 }, findings: [{ when: { below: 3 }, severity: 'minor' }] }),
          item({ id: 'num', answer: { type: 'number', min: 0 }, findings: [{ when: { above: 0 }, severity: 'minor' }] }),
          item({ id: 'text', answer: { type: 'text' }, mandatory: false, findings: [{ when: { empty: true }, severity: 'observation' }] }),
          item({ id: 'date', answer: { type: 'date' }, findings: [{ when: { olderThanDays: 365 }, severity: 'major' }] }),
          item({
            id: 'choice',
            answer: {
              type: 'choice',
              options: [
                { value: 'a', label: { vi: 'A', en: 'A' } },
                { value: 'b', label: { vi: 'B', en: 'B' } },
              ],
            },
            findings: [{ when: { equals: 'b' }, severity: 'minor' }],
          }),
          item({ id: 'photo', answer: { type: 'photo' }, mandatory: false, weight: 0 }),
        ]),
      ),
    ).to.equal('');
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['a negative weight', form([item({ weight: -2 })]), /weight: weight must be 0 or more/],
    ['two items with one id', form([item(), item()]), /duplicate item id "i1"/],
    [
      '"below" on a yes/no question',
      form([item({ findings: [{ when: { below: 3 }, severity: 'minor' }] })]),
      /"below" fits only scale and number answers, not yes-no-na/,
    ],
    ['"maybe" as a yes/no answer', form([item({ findings: [{ when: { equals: 'maybe' }, severity: 'minor' }] })]), /"maybe" is not a yes-no-na answer/],
    [
      'a choice value that is not an option',
      form([
        item({
          answer: {
            type: 'choice',
            options: [
              { value: 'a', label: { vi: 'A', en: 'A' } },
              { value: 'b', label: { vi: 'B', en: 'B' } },
            ],
          },
          findings: [{ when: { equals: 'c' }, severity: 'minor' }],
        }),
      ]),
      /"c" is not one of the choice options/,
    ],
    [
      'a threshold outside the scale',
      form([item({ answer: { type: 'scale', min: 1, max: 5 }, findings: [{ when: { below: 1 }, severity: 'minor' }] })]),
      /"below 1" matches no answer or every answer in 1\.\.5/,
    ],
    [
      '"olderThanDays" on a number',
      form([item({ answer: { type: 'number' }, findings: [{ when: { olderThanDays: 3 }, severity: 'minor' }] })]),
      /"olderThanDays" fits only a date answer, not number/,
    ],
    [
      '"empty" on a mandatory item',
      form([item({ answer: { type: 'text' }, findings: [{ when: { empty: true }, severity: 'minor' }] })]),
      /"empty" can never match a mandatory item/,
    ],
    ['a scale running backwards', form([item({ answer: { type: 'scale', min: 5, max: 1 } })]), /scale max must be above min/],
    ['weights adding up to nothing', form([item({ weight: 0 })]), /the weights add up to 0/],
    ['an empty section', form([]), /a section needs at least one item/],
    ['an unknown kind', form([item()], { kind: 'survey' as never }), /kind/],
    ['a version 0', form([item()], { version: 0 }), /version/],
    ['a missing English title', { ...form([item()]), title: { vi: 'Phiếu' } }, /title\.en/],
    ['an unknown property', { ...form([item()]), colour: 'red' }, /colour/],
    ['an item without its reference', form([item({ ref: ' ' })]), /ref/],
  ];
  for (const [what, def, message] of refused) {
    it(`refuse ${what}`, () => {
      expect(problems(def)).to.match(message);
    });
  }
});

describe('finding rules', () => {
  const asOf = new Date('2026-03-02T02:00:00Z');
  it('raise the most severe finding that matches', () => {
    const attitude = {
      findings: [
        { when: { below: 2 }, severity: 'major' as const },
        { when: { below: 3 }, severity: 'minor' as const },
      ],
    };
    expect([1, 2, 3].map((v) => findingFor(attitude, v, asOf))).to.deep.equal(['major', 'minor', undefined]);
  });
  it('compare a date with the day of the check in Viet Nam time', () => {
    const last = { findings: [{ when: { olderThanDays: 365 }, severity: 'major' as const }] };
    expect(findingFor(last, '2025-03-02', asOf)).to.equal(undefined);
    expect(findingFor(last, '2025-03-01', asOf)).to.equal('major');
  });
  it('treat a blank answer as empty, and as matching nothing else', () => {
    expect(findingFor({ findings: [{ when: { empty: true }, severity: 'observation' }] }, '  ', asOf)).to.equal('observation');
    expect(findingFor({ findings: [{ when: { below: 3 }, severity: 'minor' }] }, null, asOf)).to.equal(undefined);
  });
  it('match choice answers by value', () => {
    const rules = { findings: [{ when: { in: ['late', 'left-early'] }, severity: 'minor' as const }] };
    expect(['present', 'late', 'left-early'].map((v) => findingFor(rules, v, asOf))).to.deep.equal([undefined, 'minor', 'minor']);
  });
});

describe('cron expressions', () => {
  it('accept the usual forms', () => {
    for (const e of ['0 7 1 10 *', '*/15 * * * *', '0 7 * * 1-5', '30 7 * * mon', '0 8 1 jan,jul *', '0 0 29 2 *', '0 6 * * 7'])
      expect(cronProblem(e), e).to.equal(undefined);
  });
  it('refuse what cannot be a schedule, saying why', () => {
    expect(cronProblem('0 25 * * *')).to.equal('hour: 25 is outside 0-23');
    expect(cronProblem('0 7 * *')).to.match(/expected 5 fields/);
    expect(cronProblem('0 7 * * * *')).to.match(/expected 5 fields/);
    expect(cronProblem('0 7 10-1 * *')).to.match(/runs backwards/);
    expect(cronProblem('0 7 30 2 *')).to.match(/never occurs/);
    expect(cronProblem('0 7 * * funday')).to.match(/"funday" is not a number/);
    expect(cronProblem('*/0 * * * *')).to.match(/step must be at least 1/);
  });
  it('give the next run in Viet Nam time (UTC+7)', () => {
    const after = new Date('2026-03-02T02:00:00Z'); // 09:00 on Monday 2 March in Ha Noi
    expect(nextRun('0 7 1 10 *', after)?.toISOString()).to.equal('2026-10-01T00:00:00.000Z');
    expect(nextRun('0 7 * * 1-5', after)?.toISOString()).to.equal('2026-03-03T00:00:00.000Z');
    expect(nextRun('30 9 * * *', after)?.toISOString()).to.equal('2026-03-02T02:30:00.000Z');
    expect(nextRun('0 9 * * *', after)?.toISOString()).to.equal('2026-03-03T02:00:00.000Z');
    expect(nextRun('0 0 29 2 *', after)?.toISOString()).to.equal('2028-02-28T17:00:00.000Z');
  });
  it('refuse a schedule restricting both the day of the month and the day of the week', () => {
    // Cron implementations read "13 * mon" as either or as both: a plugin must say which it means.
    expect(cronProblem('0 7 13 * mon')).to.equal('restrict the day of the month or the day of the week, not both');
    expect(cronProblem('0 7 13 * *')).to.equal(undefined);
  });
});

describe('host version ranges', () => {
  it('read the ranges plugins write', () => {
    const cases: Array<[string, string, boolean]> = [
      ['0.1.0', '^0.1.0', true],
      ['0.1.9', '^0.1.0', true],
      ['0.2.0', '^0.1.0', false],
      ['1.4.0', '^1.2.0', true],
      ['2.0.0', '^1.2.0', false],
      ['0.1.0', '>=0.1.0 <1.0.0', true],
      ['1.0.0', '>=0.1.0 <1.0.0', false],
      ['1.2.9', '~1.2.0', true],
      ['1.3.0', '~1.2.0', false],
      ['0.1.0', '1.x || 0.1.x', true],
      ['3.0.0', '*', true],
      ['0.0.9', '>= 0.1.0', false],
      ['0.1.0', 'banana', false],
    ];
    for (const [v, range, expected] of cases) expect(satisfies(v, range), `${v} in ${range}`).to.equal(expected);
  });
});

describe('plugin settings and registration', () => {
  const manifest = {
    id: 'iso-internal-audit',
    version: '1.0.0',
    host: '^0.1.0',
    name: { vi: 'A', en: 'A' },
    settings: { auditMonth: { type: 'integer' as const, default: 10, min: 1, max: 12, description: { vi: 'Tháng', en: 'Month' } } },
  };
  it('name a setting in the environment after the plugin and the setting', () => {
    expect(settingEnvName('iso-internal-audit', 'auditMonth')).to.equal('PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH');
  });
  it('take a setting from the environment, or its default', () => {
    expect(resolveSettings(manifest, {})).to.deep.equal({ auditMonth: 10 });
    expect(resolveSettings(manifest, { PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH: '3' })).to.deep.equal({ auditMonth: 3 });
  });
  it('refuse a setting out of range, naming the variable', () => {
    expect(() => resolveSettings(manifest, { PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH: '13' })).to.throw(
      PhaseError,
      /PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH: 13 is outside 1\.\.12/,
    );
  });
  it('refuse a register() that returns a promise', () => {
    const p = { manifest, register: async () => undefined } as unknown as Plugin;
    expect(() => registerPlugin(p, manifest, {})).to.throw(PhaseError, /must be synchronous/);
  });
  it('refuse declarations made after register() returned', () => {
    let keep: ((...defs: FormDefinition[]) => void) | undefined;
    const p: Plugin = {
      manifest,
      register: (r) => {
        keep = r.forms;
      },
    };
    registerPlugin(p, manifest, {});
    expect(() => keep!(form([item()]))).to.throw(/after register\(\) returned/);
  });
  it('freeze registered forms so that nothing changes them after validation', () => {
    const p: Plugin = { manifest, register: (r) => r.forms(form([item()])) };
    const [f] = registerPlugin(p, manifest, {}).forms;
    expect(Object.isFrozen(f!.sections[0]!.items[0])).to.equal(true);
  });
});

describe('plugin configuration', () => {
  it('enables every plugin by default, with a 10 s init limit', () => {
    expect(loadConfig({}).plugins).to.deep.equal({ enabled: ['*'], initTimeoutMs: 10_000, settings: {} });
    expect(loadConfig({ PLUGINS: ' ' }).plugins.enabled).to.deep.equal(['*']);
  });
  it('reads the enabled list, the limit and the plugin settings from the environment', () => {
    const c = loadConfig({ PLUGINS: '*, -one-stop-shop', PLUGINS_INIT_TIMEOUT_MS: '2500', PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH: '9', PORT: '3001' });
    expect(c.plugins).to.deep.equal({ enabled: ['*', '-one-stop-shop'], initTimeoutMs: 2500, settings: { PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH: '9' } });
  });
  it('refuses an init limit that is not a positive number', () => {
    expect(() => loadConfig({ PLUGINS_INIT_TIMEOUT_MS: 'soon' })).to.throw(/PLUGINS_INIT_TIMEOUT_MS/);
  });
});

describe('the form preview', () => {
  const file = path.resolve(import.meta.dirname, '../../views/plugins/form-preview.ejs');
  const def = form([
    item({ help: { vi: 'Xem sổ tay chất lượng', en: 'See the manual' } }),
    item({
      id: 'scale',
      mandatory: false,
      answer: { type: 'scale', min: 1, max: 5, minLabel: { vi: 'rất kém', en: 'very poor' }, maxLabel: { vi: 'rất tốt', en: 'very good' } },
    }),
    item({ id: 'num', answer: { type: 'number', min: 0, unit: { vi: 'hồ sơ', en: 'dossiers' } } }),
    item({ id: 'text', answer: { type: 'text', multiline: true } }),
    item({ id: 'date', answer: { type: 'date' } }),
    item({
      id: 'choice',
      ref: 'Chỉ thị 26/CT-TTg',
      answer: {
        type: 'choice',
        options: [
          { value: 'present', label: { vi: 'Có mặt', en: 'Present' } },
          { value: 'late', label: { vi: 'Đi muộn', en: 'Late' } },
        ],
      },
    }),
    item({ id: 'photo', answer: { type: 'photo' } }),
  ]);
  const render = async (locale: 'vi' | 'en', f: FormDefinition = def) =>
    ejs.renderFile(file, { form: f, lt: localizer(locale), t: new Translator().bind(locale), locale, idPrefix: 'pv', disabled: true });

  it("shows each item numbered, with its reference, help and mandatory mark, in the reader's language", async () => {
    const html = await render('vi');
    expect(html).to.include('<strong>1.1.</strong> Có sổ tay chất lượng <span class="req" title="bắt buộc">*</span>');
    expect(html).to.include('<span class="tag" title="Căn cứ">Chỉ thị 26/CT-TTg</span>');
    expect(html).to.include('Xem sổ tay chất lượng');
    expect(await render('en')).to.include('<strong>1.1.</strong> Has a quality manual');
  });

  it('draws the control of each answer type, all disabled', async () => {
    const html = await render('vi');
    expect(html.match(/type="radio" name="pv-s-i1"/g)).to.have.length(3);
    expect(html).to.include('Không áp dụng');
    expect(html.match(/type="radio" name="pv-s-scale"/g)).to.have.length(5);
    expect(html).to.include('1 · rất kém');
    expect(html).to.match(/type="number" min="0"[^>]*disabled> <span>hồ sơ<\/span>/);
    expect(html).to.match(/<textarea id="pv-s-text"[^>]*disabled>/);
    expect(html).to.match(/type="date"[^>]*disabled>/);
    expect(html).to.include('value="late" disabled> Đi muộn');
    expect(html).to.match(/type="file" accept="image\/\*" capture="environment"[^>]*disabled>/);
    const controls = html.match(/<(input|textarea)\b[^>]*>/g) ?? [];
    expect(controls).to.have.length(3 + 5 + 1 + 1 + 1 + 2 + 1);
    expect(controls.every((c) => / disabled>$/.test(c))).to.equal(true);
  });

  it('says when a group is repeated for each person', async () => {
    const perPerson = { ...def, sections: [{ ...def.sections[0]!, repeatPerPerson: true }] };
    const html = await render('vi', perPerson);
    expect(html).to.include('Nhóm câu hỏi này được lặp lại cho từng cán bộ, công chức được kiểm tra.');
    expect(html).to.include('<strong>Người thứ 1</strong>');
  });
});
