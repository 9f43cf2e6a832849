import type { Knex } from 'knex';
import { z } from 'zod';
import { listWorkbook } from '../catalog/excel.sheets.ts';
import { scopeFor } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import { optionalDate, optionalText, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Page } from '../../kernel/pagination.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { findUnitByCode } from '../units/units.repository.ts';
import { checkListPage, checkListRows, type CheckRow } from './list.repository.ts';

const statuses = ['planned', 'in_progress', 'submitted'] as const;
const pageSize = 50;
/** An export holds at most this many rows (a province's 3,321 units x 5 years fit many times). */
export const exportMax = 100_000;

const percent = z.preprocess(
  (v) => (v === '' || v === null ? undefined : typeof v === 'string' ? v.replace(',', '.') : v),
  z.coerce.number({ error: 'v.not_a_number' }).min(0, { error: 'v.answer_range' }).max(100, { error: 'v.answer_range' }).optional(),
);

export const checkFilterInput = z.object({
  // A unit code: that unit and its whole subtree.
  unit: optionalText(50),
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(statuses, { error: 'v.choose' }).optional()),
  form: optionalText(80),
  from: optionalDate,
  to: optionalDate,
  scoreMin: percent,
  scoreMax: percent,
  page: z.preprocess(
    (v) => (v === '' || v === undefined ? 1 : v),
    z.coerce.number({ error: 'v.invalid' }).int({ error: 'v.invalid' }).min(1, { error: 'v.invalid' }).max(100_000, { error: 'v.invalid' }),
  ),
});

export type CheckFilter = z.infer<typeof checkFilterInput>;

/** The province view: every check in the caller's scope, filtered, a page at a time, or as .xlsx. */
export class CheckListService {
  constructor(
    private readonly db: Knex,
    private readonly plugins: () => PluginRegistry,
  ) {}

  /** The filter as typed; every problem is a field error (the page shows the form again). */
  async parse(actor: Actor, query: unknown): Promise<{ filter: CheckFilter; unitPath?: string }> {
    const filter = validate(checkFilterInput, query);
    const fields: Record<string, { key: string }> = {};
    if (filter.from && filter.to && filter.from > filter.to) fields.to = { key: 'v.date_order' };
    if (filter.scoreMin !== undefined && filter.scoreMax !== undefined && filter.scoreMin > filter.scoreMax) fields.scoreMax = { key: 'v.check_score_order' };
    let unitPath: string | undefined;
    if (filter.unit) {
      // A unit outside the scope reads as one that does not exist.
      const u = await findUnitByCode(this.db, filter.unit, scopeFor(actor.user, 'unit.read'));
      if (!u) fields.unit = { key: 'v.check_unit_unknown' };
      else unitPath = u.path;
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);
    return { filter, unitPath };
  }

  async page(actor: Actor, query: unknown): Promise<{ filter: CheckFilter; page: Page<CheckRow> }> {
    const { filter, unitPath } = await this.parse(actor, query);
    const page = await checkListPage(this.db, scopeFor(actor.user, 'unit.read'), filter, unitPath, filter.page, pageSize);
    return { filter, page };
  }

  /** The same filters as a workbook: one row per check, newest first. */
  async exportXlsx(actor: Actor, query: unknown, locale: 'vi' | 'en', t: (key: string) => string): Promise<Buffer> {
    const { filter, unitPath } = await this.parse(actor, query);
    const rows = await checkListRows(this.db, scopeFor(actor.user, 'unit.read'), filter, unitPath, exportMax);
    const titles = new Map(
      this.plugins()
        .latestForms('iso-check')
        .map((f) => [f.id, f.title[locale]]),
    );
    return listWorkbook(
      t('checks.province.sheet'),
      [
        { header: t('checks.province.unit_code'), width: 16 },
        { header: t('checks.province.unit'), width: 36 },
        { header: t('checks.date'), width: 12 },
        { header: t('checks.form'), width: 36 },
        { header: t('checks.kind'), width: 14 },
        { header: t('checks.status'), width: 16 },
        { header: t('checks.score'), width: 10 },
        { header: t('checks.province.signed_off'), width: 12 },
      ],
      rows.map((r) => [
        r.unitCode,
        r.unitName,
        r.checkDate,
        `${titles.get(r.formId) ?? r.formId} (v${r.formVersion})`,
        t(`checks.kinds.${r.kind}`),
        t(`checks.statuses.${r.status}`),
        r.score,
        r.signedOffAt ? r.signedOffAt.slice(0, 10) : '',
      ]),
    );
  }

  /** The forms a filter can name: every iso-check form installed. */
  forms(): Array<{ id: string; title: { vi: string; en: string } }> {
    return this.plugins()
      .latestForms('iso-check')
      .map((f) => ({ id: f.id, title: f.title }));
  }
}
