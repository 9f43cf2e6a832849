import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { scopeFor, type Scope } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { vnDate } from '../../lib/time.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { safeText } from '../catalog/excel.sheets.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import { kindLabel } from './inspections.logic.ts';

export interface Bar {
  key: string;
  label: string;
  value: number;
}
export interface MonthRow {
  month: number;
  planned: number;
  done: number;
  unannounced: number;
  violations: number;
}

export interface InspectionStats {
  year: number;
  planned: number;
  plannedDone: number;
  unannounced: number;
  inspections: number;
  violations: number;
  byMonth: MonthRow[];
  byKind: Bar[];
  byUnit: Bar[];
  repeatedUnits: Array<{ unitId: number; unitName: string; inspections: number; violations: number }>;
  repeatedOfficials: Array<{ officialId: number; fullName: string; unitName: string; inspections: number; violations: number }>;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * Statistics for coordinators (their scope only): inspections done against the plan, violations
 * by type, by unit and by month, and the units and officials with violations in more than one
 * inspection. Grouped in SQL on the year and month columns, so the page stays quick over a
 * nation's five years of monthly inspections (bench/inspections-stats.ts).
 */
export class StatsService {
  /**
   * The figures of a scope and year, kept 30 s: the page is read far more often than a record
   * closes. A write of this area in this process clears them at once (`invalidate`); another
   * process's write shows within 30 s. The promise itself is kept, so concurrent first requests
   * share one computation.
   */
  private readonly cache = new TtlCache<string, Promise<InspectionStats>>(30_000, 500);

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly plugins: () => PluginRegistry,
  ) {}

  invalidate(): void {
    this.cache.clear();
  }

  private scope(actor: Actor): Scope {
    const s = scopeFor(actor.user, 'inspection.manage');
    if (!s.all && !s.paths.length) throw new AppError('NOT_FOUND');
    return s;
  }

  defaultYear(): number {
    return Number(vnDate(this.clock.now()).slice(0, 4));
  }

  /**
   * `table as x` restricted to the units of the scope. The units are a subquery (`unit_id IN`),
   * not a join, so that the grouping reads the covering (year, unit_id, ...) indexes.
   */
  private scoped(table: string, alias: string, scope: Scope): Knex.QueryBuilder {
    const q = this.db(`${table} as ${alias}`);
    if (!scope.all) q.whereIn(`${alias}.unit_id`, whereUnitInScope(this.db('units as u').select('u.id'), 'u.path', scope));
    return q;
  }

  async compute(actor: Actor, year: number, locale: 'vi' | 'en'): Promise<InspectionStats> {
    const scope = this.scope(actor);
    const key = `${scope.all ? '*' : [...scope.paths].sort().join(',')}|${year}|${locale}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const computing = this.computeNow(scope, year, locale);
    this.cache.set(key, computing);
    computing.catch(() => this.cache.delete(key));
    return computing;
  }

  private async computeNow(scope: Scope, year: number, locale: 'vi' | 'en'): Promise<InspectionStats> {
    const forms = this.plugins().latestForms('ethics-inspection');
    const insp = () => this.scoped('inspections', 'i', scope).where('i.year', year).whereNull('i.deleted_at');
    const viol = () => this.scoped('inspection_violations', 'v', scope).where('v.year', year);
    const plan = () => {
      const q = this.db('inspection_plan_items as p').join('inspection_plans as pl', 'pl.id', 'p.plan_id').where('pl.year', year);
      if (!scope.all) q.whereIn('p.unit_id', whereUnitInScope(this.db('units as u').select('u.id'), 'u.path', scope));
      return q;
    };
    const [inspMonths, violMonths, planMonths, kinds, units] = await Promise.all([
      insp().groupBy('i.month', 'i.kind').select('i.month', 'i.kind').count({ c: '*' }) as Promise<Array<Record<string, unknown>>>,
      viol().groupBy('v.month').select('v.month').count({ c: '*' }) as Promise<Array<Record<string, unknown>>>,
      plan().groupBy('p.month').select('p.month').count({ c: '*' }).count({ d: 'p.inspection_id' }) as Promise<Array<Record<string, unknown>>>,
      viol().groupBy('v.kind').select('v.kind').count({ c: '*' }).orderBy('c', 'desc') as Promise<Array<Record<string, unknown>>>,
      viol()
        .groupBy('v.unit_id')
        .select('v.unit_id')
        .count({ c: '*' })
        .orderBy([{ column: 'c', order: 'desc' }, { column: 'v.unit_id' }])
        .limit(20) as Promise<Array<Record<string, unknown>>>,
    ]);
    const byMonth: MonthRow[] = Array.from({ length: 12 }, (_x, k) => ({ month: k + 1, planned: 0, done: 0, unannounced: 0, violations: 0 }));
    for (const r of inspMonths) {
      const row = byMonth[n(r.month) - 1];
      if (!row) continue;
      row.done += n(r.c);
      if (r.kind === 'unannounced') row.unannounced += n(r.c);
    }
    for (const r of violMonths) {
      const row = byMonth[n(r.month) - 1];
      if (row) row.violations += n(r.c);
    }
    let plannedDone = 0;
    for (const r of planMonths) {
      const row = byMonth[n(r.month) - 1];
      if (row) row.planned += n(r.c);
      plannedDone += n(r.d);
    }
    const names = await this.unitNames(units.map((u) => n(u.unit_id)));

    // Repeats: violations in more than one inspection of the year.
    const repeatBase = viol;
    const [repUnits, repOfficials] = await Promise.all([
      repeatBase()
        .groupBy('v.unit_id')
        .select('v.unit_id')
        .countDistinct({ i: 'v.inspection_id' })
        .count({ c: '*' })
        .havingRaw('count(distinct v.inspection_id) > 1')
        .orderBy([{ column: 'i', order: 'desc' }, { column: 'v.unit_id' }])
        .limit(50) as Promise<Array<Record<string, unknown>>>,
      repeatBase()
        .whereNotNull('v.official_id')
        .groupBy('v.official_id', 'v.unit_id')
        .select('v.official_id', 'v.unit_id')
        .countDistinct({ i: 'v.inspection_id' })
        .count({ c: '*' })
        .havingRaw('count(distinct v.inspection_id) > 1')
        .orderBy([{ column: 'i', order: 'desc' }, { column: 'v.official_id' }])
        .limit(50) as Promise<Array<Record<string, unknown>>>,
    ]);
    const [repNames, officialNames] = await Promise.all([
      this.unitNames([...repUnits, ...repOfficials].map((r) => n(r.unit_id))),
      this.officialNames(repOfficials.map((r) => n(r.official_id))),
    ]);
    return {
      year,
      planned: byMonth.reduce((s, m) => s + m.planned, 0),
      plannedDone,
      unannounced: byMonth.reduce((s, m) => s + m.unannounced, 0),
      inspections: byMonth.reduce((s, m) => s + m.done, 0),
      violations: byMonth.reduce((s, m) => s + m.violations, 0),
      byMonth,
      byKind: kinds.map((k) => ({ key: String(k.kind), label: kindLabel(forms, String(k.kind), locale), value: n(k.c) })),
      byUnit: units.map((u) => ({ key: String(u.unit_id), label: names.get(n(u.unit_id)) ?? String(u.unit_id), value: n(u.c) })),
      repeatedUnits: repUnits.map((r) => ({ unitId: n(r.unit_id), unitName: repNames.get(n(r.unit_id)) ?? '', inspections: n(r.i), violations: n(r.c) })),
      repeatedOfficials: repOfficials.map((r) => ({
        officialId: n(r.official_id),
        fullName: officialNames.get(n(r.official_id)) ?? '',
        unitName: repNames.get(n(r.unit_id)) ?? '',
        inspections: n(r.i),
        violations: n(r.c),
      })),
    };
  }

  private async unitNames(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = (await this.db('units')
      .whereIn('id', [...new Set(ids)])
      .select('id', 'name')) as Array<{ id: number; name: string }>;
    return new Map(rows.map((r) => [Number(r.id), String(r.name)]));
  }

  private async officialNames(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = (await this.db('unit_officials')
      .whereIn('id', [...new Set(ids)])
      .select('id', 'full_name')) as Array<{ id: number; full_name: string }>;
    return new Map(rows.map((r) => [Number(r.id), String(r.full_name)]));
  }

  /** The same figures as the page, one sheet per table. */
  async xlsx(actor: Actor, year: number): Promise<Buffer> {
    const s = await this.compute(actor, year, 'vi');
    const wb = new ExcelJS.Workbook();
    const sheet = (name: string, headers: string[], rows: Array<Array<string | number>>) => {
      const ws = wb.addWorksheet(name);
      ws.addRow(headers).font = { bold: true };
      for (const r of rows) ws.addRow(r.map((c) => (typeof c === 'string' ? safeText(c) : c)));
      ws.columns.forEach((c) => {
        c.width = 24;
      });
    };
    sheet(
      'Theo tháng',
      ['Tháng', 'Kế hoạch', 'Đã kiểm tra', 'Đột xuất', 'Vi phạm'],
      s.byMonth.map((m) => [m.month, m.planned, m.done, m.unannounced, m.violations]),
    );
    sheet(
      'Theo loại vi phạm',
      ['Loại vi phạm', 'Số lượt'],
      s.byKind.map((b) => [b.label, b.value]),
    );
    sheet(
      'Theo đơn vị',
      ['Đơn vị', 'Số lượt vi phạm'],
      s.byUnit.map((b) => [b.label, b.value]),
    );
    sheet(
      'Đơn vị tái phạm',
      ['Đơn vị', 'Số cuộc kiểm tra có vi phạm', 'Số lượt vi phạm'],
      s.repeatedUnits.map((r) => [r.unitName, r.inspections, r.violations]),
    );
    sheet(
      'Cá nhân tái phạm',
      ['Họ và tên', 'Đơn vị', 'Số cuộc kiểm tra có vi phạm', 'Số lượt vi phạm'],
      s.repeatedOfficials.map((r) => [r.fullName, r.unitName, r.inspections, r.violations]),
    );
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}
