import type { Knex } from 'knex';
import { z } from 'zod';
import { listWorkbook } from '../catalog/excel.sheets.ts';
import { scopeFor, type Scope } from '../../auth/roles.ts';
import { isPostgres, wherePathPrefix, toCount } from '../../db/helpers.ts';
import { AppError } from '../../kernel/errors.ts';
import { optionalDate, optionalText, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

const statuses = ['planned', 'in_progress', 'submitted'] as const;
const pageSize = 50;
/** An export holds at most this many rows (a province's 3,321 units x 5 years fit many times). */
export const exportMax = 100_000;

const percent = z.preprocess(
  (v) => (v === '' || v === null ? undefined : typeof v === 'string' ? v.replace(',', '.') : v),
  z.coerce.number({ error: 'v.not_a_number' }).min(0, { error: 'v.answer_range' }).max(100, { error: 'v.answer_range' }).optional(),
);

const filterInput = z.object({
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

export type CheckFilter = z.infer<typeof filterInput>;

export interface CheckRow {
  id: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  formId: string;
  formVersion: number;
  checkDate: string;
  kind: string;
  status: string;
  score: number | null;
  submittedAt: string | null;
  signedOffAt: string | null;
}

function toRow(r: Record<string, unknown>): CheckRow {
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitCode: String(r.unit_code),
    unitName: String(r.unit_name),
    formId: String(r.form_id),
    formVersion: Number(r.form_version),
    checkDate: String(r.check_date),
    kind: String(r.kind),
    status: String(r.status),
    score: r.score === null || r.score === undefined ? null : Number(r.score),
    submittedAt: (r.submitted_at as string | null) ?? null,
    signedOffAt: (r.signed_off_at as string | null) ?? null,
  };
}

// Narrow columns only: the frozen form (form_json) stays out of lists, it is the bulk of a row.
const listColumns = [
  'c.id',
  'c.unit_id',
  'u.code as unit_code',
  'u.name as unit_name',
  'c.form_id',
  'c.form_version',
  'c.check_date',
  'c.kind',
  'c.status',
  'c.score',
  'c.submitted_at',
  'c.signed_off_at',
];

/** The province view: every check in the caller's scope, filtered, a page at a time, or as .xlsx. */
export class CheckListService {
  constructor(
    private readonly db: Knex,
    private readonly plugins: () => PluginRegistry,
  ) {}

  /** The filter as typed; every problem is a field error (the page shows the form again). */
  async parse(actor: Actor, query: unknown): Promise<{ filter: CheckFilter; unitPath?: string }> {
    const filter = validate(filterInput, query);
    const fields: Record<string, { key: string }> = {};
    if (filter.from && filter.to && filter.from > filter.to) fields.to = { key: 'v.date_order' };
    if (filter.scoreMin !== undefined && filter.scoreMax !== undefined && filter.scoreMin > filter.scoreMax) fields.scoreMax = { key: 'v.check_score_order' };
    let unitPath: string | undefined;
    if (filter.unit) {
      // A unit outside the scope reads as one that does not exist.
      const q = this.db('units as u').where('u.code', filter.unit);
      whereUnitInScope(q, 'u.path', scopeFor(actor.user, 'unit.read'));
      const u = (await q.first('u.path')) as { path: string } | undefined;
      if (!u) fields.unit = { key: 'v.check_unit_unknown' };
      else unitPath = u.path;
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);
    return { filter, unitPath };
  }

  private query(scope: Scope, f: CheckFilter, unitPath?: string): Knex.QueryBuilder {
    // Nation-wide, the newest checks come off the (check_date, id) index. Within a province or a
    // subtree the units come first, by their path index, then their checks by (unit_id, ...):
    // left to themselves, both engines would rather walk a filter's index (form_id, check_date)
    // over the whole nation. SQLite keeps a CROSS JOIN's order as written (1 ms against 4 ms);
    // PostgreSQL takes the units' ids as one array (`= any(array(...))`, a filtered province:
    // 2.9 ms for page and count against 7.7 ms).
    const unitsFirst = !scope.all || !!unitPath;
    let q: Knex.QueryBuilder;
    if (!unitsFirst) {
      q = this.db('checks as c').join('units as u', 'u.id', 'c.unit_id');
    } else if (isPostgres(this.db)) {
      const ids = this.db('units as su').select('su.id');
      whereUnitInScope(ids, 'su.path', scope);
      if (unitPath) ids.where((w) => wherePathPrefix(w, 'su.path', unitPath));
      q = this.db('checks as c').join('units as u', 'u.id', 'c.unit_id').whereRaw('c.unit_id = any(array(?))', [ids]);
    } else {
      q = this.db('units as u').crossJoin('checks as c', 'c.unit_id', 'u.id');
      whereUnitInScope(q, 'u.path', scope);
      if (unitPath) q.where((w) => wherePathPrefix(w, 'u.path', unitPath));
    }
    if (!unitsFirst) whereUnitInScope(q, 'u.path', scope);
    if (f.status) q.where('c.status', f.status);
    if (f.form) q.where('c.form_id', f.form);
    if (f.from) q.where('c.check_date', '>=', f.from);
    if (f.to) q.where('c.check_date', '<=', f.to);
    if (f.scoreMin !== undefined) q.where('c.score', '>=', f.scoreMin);
    if (f.scoreMax !== undefined) q.where('c.score', '<=', f.scoreMax);
    return q;
  }

  async page(actor: Actor, query: unknown): Promise<{ filter: CheckFilter; page: Page<CheckRow> }> {
    const { filter, unitPath } = await this.parse(actor, query);
    const scope = scopeFor(actor.user, 'unit.read');
    const q = this.query(scope, filter, unitPath);
    const order = [
      { column: 'c.check_date', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ];
    // The page (a top-50 sort) and the count (index only) apart: for a province's 1,680 checks they
    // take 0.9 + 0.2 ms on SQLite where one `count(*) over ()` pass takes 3 ms, since the window
    // makes every row with all its columns before the limit; nation-wide, 1 + 4 ms against 34 ms.
    const [rows, [{ n } = { n: 0 }]] = await Promise.all([
      q.clone().select(listColumns).orderBy(order).limit(pageSize).offset(offsetOf(filter.page, pageSize)) as Promise<Array<Record<string, unknown>>>,
      q.clone().count({ n: '*' }) as Promise<Array<{ n: unknown }>>,
    ]);
    return { filter, page: pageOf(rows.map(toRow), toCount(n), filter.page, pageSize) };
  }

  /** The same filters as a workbook: one row per check, newest first. */
  async exportXlsx(actor: Actor, query: unknown, locale: 'vi' | 'en', t: (key: string) => string): Promise<Buffer> {
    const { filter, unitPath } = await this.parse(actor, query);
    const rows = (
      (await this.query(scopeFor(actor.user, 'unit.read'), filter, unitPath)
        .select(listColumns)
        .orderBy([
          { column: 'c.check_date', order: 'desc' },
          { column: 'c.id', order: 'desc' },
        ])
        .limit(exportMax)) as Array<Record<string, unknown>>
    ).map(toRow);
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
