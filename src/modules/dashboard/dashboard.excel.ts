import ExcelJS from 'exceljs';
import { safeText } from '../catalog/excel.sheets.ts';
import type { Translator } from '../../lib/i18n.ts';
import { isoStates } from '../units/units.types.ts';
import type { NationalOverview, ProvinceDashboard } from './dashboard.service.ts';

/** The dashboard's rows as users exchange them: one sheet, the columns of the page, in Vietnamese or English. */
export async function dashboardWorkbook(d: ProvinceDashboard, t: ReturnType<Translator['bind']>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'isotrack';
  const ws = wb.addWorksheet(t('dashboard.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  const cols: Array<[string, number]> = [
    ['dashboard.col.code', 16],
    ['dashboard.col.unit', 30],
    ['dashboard.col.state', 18],
    ['dashboard.col.standard', 14],
    ['dashboard.col.declared', 14],
    ['dashboard.col.valid', 12],
    ['dashboard.col.audit', 14],
    ['dashboard.col.review', 14],
    ['dashboard.col.majors', 10],
    ['dashboard.col.overdue', 10],
    ['dashboard.col.inspection', 14],
    ['dashboard.col.violations', 10],
    ['dashboard.col.ontime', 10],
    ['dashboard.col.satisfaction', 10],
    ['dashboard.col.readiness', 10],
  ];
  ws.columns = cols.map(([, width]) => ({ width }));
  ws.addRow(cols.map(([k]) => t(k)));
  ws.getRow(1).font = { bold: true };
  for (const r of d.rows) {
    const f = r.facts;
    ws.addRow([
      safeText(r.code),
      safeText(r.name),
      t(`units.states.${r.isoState}`),
      r.isoStandard ?? '',
      f.declaredOn ?? '',
      r.isoState === 'declared' ? t('common.yes') : t('common.no'),
      f.lastInternalAudit ?? '',
      f.lastReview ?? '',
      f.openMajors,
      f.overdueActions,
      f.lastInspection ?? '',
      f.violationsThisYear,
      f.onTimeRate ?? '',
      f.satisfactionIndex ?? '–',
      r.readiness.score ?? '',
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The national overview: one line per province. */
export async function nationalWorkbook(d: NationalOverview, t: ReturnType<Translator['bind']>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'isotrack';
  const ws = wb.addWorksheet(t('dashboard.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  const states = isoStates.map((s) => t(`units.states.${s}`));
  ws.addRow([
    t('dashboard.col.code'),
    t('dashboard.col.province'),
    t('dashboard.col.units'),
    ...states,
    t('dashboard.col.declared_share'),
    t('dashboard.col.readiness'),
    t('dashboard.col.below_half'),
    t('dashboard.col.majors'),
    t('dashboard.col.overdue'),
    t('dashboard.col.ontime'),
  ]);
  ws.getRow(1).font = { bold: true };
  for (const p of d.provinces) {
    ws.addRow([
      safeText(p.code),
      safeText(p.name),
      p.units,
      ...isoStates.map((s) => p.byState[s]),
      p.declaredShare ?? '',
      p.readiness ?? '',
      p.belowHalf,
      p.openMajors ?? t('dashboard.unknown'),
      p.overdueActions ?? t('dashboard.unknown'),
      p.onTimeRate ?? '',
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
