import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import {
  ImportReportError,
  openWorkbook,
  readSheet,
  zodProblems,
  type ImportProblem,
  type ReadSheet,
  type UploadedFile,
  type Workbook,
} from '../catalog/excel.read.ts';
import type { SheetDef } from '../catalog/excel.sheets.ts';
import { unitIdsByCode } from '../units/units.repository.ts';
import { figureInput, type FigureInput } from './ontime.schemas.ts';
import type { OnTimeFigure } from './ontime.types.ts';

/** The sheet of an on-time import, as users see it in Excel (the template has it empty). */
export const figureSheet: SheetDef = {
  name: 'Số liệu đúng hạn',
  columns: [
    { key: 'unitCode', header: 'Mã đơn vị', width: 16 },
    { key: 'periodStart', header: 'Từ ngày', width: 12 },
    { key: 'periodEnd', header: 'Đến ngày', width: 12 },
    { key: 'received', header: 'Số hồ sơ phải giải quyết', width: 14 },
    { key: 'early', header: 'Trước hạn', width: 10 },
    { key: 'onTime', header: 'Đúng hạn', width: 10 },
    { key: 'late', header: 'Trễ hạn', width: 10 },
    { key: 'apologies', header: 'Văn bản xin lỗi', width: 12 },
  ],
};

/** The empty template with one example row's worth of guidance on a second sheet. */
export async function figureTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'isotrack';
  const ws = wb.addWorksheet(figureSheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = figureSheet.columns.map((c) => ({
    key: c.key,
    width: c.width,
    style: c.key === 'unitCode' || c.key.startsWith('period') ? { numFmt: '@' } : {},
  }));
  figureSheet.columns.forEach((c, i) => {
    ws.getRow(1).getCell(i + 1).value = c.header;
  });
  ws.getRow(1).font = { bold: true };
  const help = wb.addWorksheet('Hướng dẫn');
  help.getColumn(1).width = 120;
  for (const l of [
    'Mỗi dòng là số liệu một kỳ của một đơn vị (Quyết định 766/QĐ-TTg). Mã đơn vị: mã trong cây đơn vị của tỉnh.',
    'Từ ngày, Đến ngày: năm-tháng-ngày, ví dụ 2026-01-01 và 2026-03-31. Các kỳ của cùng một đơn vị không được trùng nhau.',
    'Số hồ sơ phải giải quyết = Trước hạn + Đúng hạn + Trễ hạn. Các số là số nguyên, không âm.',
    'Có một dòng sai thì cả tệp không được nhập; sửa theo danh sách lỗi rồi nhập lại.',
  ])
    help.addRow([l]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ImportRow {
  row: number;
  unitId: number;
  figure: FigureInput;
}

/** Parses an import's workbook (in a worker, within the Excel limits): before any transaction opens. */
export function openFigureBook(file: UploadedFile | undefined): Promise<Workbook> {
  return openWorkbook(file, [figureSheet]);
}

type Overlap = (unitId: number, start: string, end: string) => Promise<OnTimeFigure | undefined>;

/**
 * Reads and checks every row of an import. Units are looked up in one query; the problems of all
 * rows are gathered, and any problem refuses the whole file (ImportReportError).
 */
export async function readFigureRows(db: Knex | Knex.Transaction, wb: Workbook, scope: Scope, overlap: Overlap): Promise<ImportRow[]> {
  const sheet = readSheet(wb, figureSheet, ['unitCode']);
  if (sheet.rows.length === 0) throw new ImportReportError([{ sheet: figureSheet.name, row: 2, column: sheet.columnName('unitCode'), key: 'v.required' }]);
  const codes = [...new Set(sheet.rows.map((r) => r.cells.unitCode ?? '').filter(Boolean))];
  const units = await unitIdsByCode(db, codes, scope);

  const problems: ImportProblem[] = [];
  const at = (s: ReadSheet, row: number, key: string, msg: string, params?: Record<string, string | number>) =>
    problems.push({ sheet: s.def.name, row, column: s.columnName(key), key: msg, params });
  const good: ImportRow[] = [];
  for (const r of sheet.rows) {
    const code = r.cells.unitCode ?? '';
    const unitId = units.get(code);
    if (!code) at(sheet, r.row, 'unitCode', 'v.required');
    // A unit of another province reads exactly as a code that does not exist (and is not echoed).
    else if (unitId === undefined) at(sheet, r.row, 'unitCode', 'v.ontime_unit_unknown');
    const parsed = figureInput.safeParse(r.cells);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error.issues, (path) => ({ sheet, row: r.row, key: String(path[0] ?? 'periodStart') })));
      continue;
    }
    const d = parsed.data;
    const sum = d.early + d.onTime + d.late;
    if (sum !== d.received) at(sheet, r.row, 'received', 'v.ontime_sum', { sum });
    if (unitId === undefined || sum !== d.received) continue;
    const twin = good.find((g) => g.unitId === unitId && g.figure.periodStart <= d.periodEnd && g.figure.periodEnd >= d.periodStart);
    if (twin) {
      at(sheet, r.row, 'periodStart', 'v.ontime_overlap_row', { row: twin.row });
      continue;
    }
    const clash = await overlap(unitId, d.periodStart, d.periodEnd);
    if (clash) {
      at(sheet, r.row, 'periodStart', 'v.ontime_overlap', { start: clash.periodStart, end: clash.periodEnd });
      continue;
    }
    good.push({ row: r.row, unitId, figure: d });
  }
  if (problems.length) throw new ImportReportError(problems);
  return good;
}
