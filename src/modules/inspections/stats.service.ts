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
import { officialNames, statsCounts, unitNames } from './stats.repository.ts';
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
    const c = await statsCounts(this.db, scope, year);
    const byMonth: MonthRow[] = Array.from({ length: 12 }, (_x, k) => ({ month: k + 1, planned: 0, done: 0, unannounced: 0, violations: 0 }));
    for (const r of c.inspections) {
      const row = byMonth[r.month - 1];
      if (!row) continue;
      row.done += r.count;
      if (r.kind === 'unannounced') row.unannounced += r.count;
    }
    for (const r of c.violationsByMonth) {
      const row = byMonth[r.month - 1];
      if (row) row.violations += r.count;
    }
    let plannedDone = 0;
    for (const r of c.plan) {
      const row = byMonth[r.month - 1];
      if (row) row.planned += r.count;
      plannedDone += r.done;
    }
    const [names, repNames, officials] = await Promise.all([
      unitNames(
        this.db,
        c.byUnit.map((u) => u.unitId),
      ),
      unitNames(
        this.db,
        [...c.repeatedUnits, ...c.repeatedOfficials].map((r) => r.unitId),
      ),
      officialNames(
        this.db,
        c.repeatedOfficials.map((r) => r.officialId),
      ),
    ]);
    return {
      year,
      planned: byMonth.reduce((s, m) => s + m.planned, 0),
      plannedDone,
      unannounced: byMonth.reduce((s, m) => s + m.unannounced, 0),
      inspections: byMonth.reduce((s, m) => s + m.done, 0),
      violations: byMonth.reduce((s, m) => s + m.violations, 0),
      byMonth,
      byKind: c.byKind.map((k) => ({ key: k.kind, label: kindLabel(forms, k.kind, locale), value: k.count })),
      byUnit: c.byUnit.map((u) => ({ key: String(u.unitId), label: names.get(u.unitId) ?? String(u.unitId), value: u.count })),
      repeatedUnits: c.repeatedUnits.map((r) => ({
        unitId: r.unitId,
        unitName: repNames.get(r.unitId) ?? '',
        inspections: r.inspections,
        violations: r.count,
      })),
      repeatedOfficials: c.repeatedOfficials.map((r) => ({
        officialId: r.officialId,
        fullName: officials.get(r.officialId) ?? '',
        unitName: repNames.get(r.unitId) ?? '',
        inspections: r.inspections,
        violations: r.count,
      })),
    };
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
