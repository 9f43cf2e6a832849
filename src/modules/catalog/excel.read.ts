import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { AppError } from '../../http/errors.ts';
import { cellText, headerKey, type SheetDef } from './excel.sheets.ts';

/** One problem of an import, as the report lists it: where, and what (a message key). */
export interface ImportProblem {
  sheet: string;
  row: number;
  column: string;
  key: string;
  params?: Record<string, string | number>;
}

/** The import changed nothing; here is every problem found, row by row. */
export class ImportReportError extends AppError {
  constructor(readonly problems: ImportProblem[]) {
    super('IMPORT_ROWS', { count: problems.length });
  }
}

export interface UploadedFile {
  name: string;
  buffer: Buffer;
}

/**
 * Opens an uploaded workbook, refusing in turn: a name that is not .xlsx, an empty file, a file
 * that is not a zip (every .xlsx is one), and one that exceljs cannot read.
 */
export async function openWorkbook(file: UploadedFile | undefined): Promise<ExcelJS.Workbook> {
  if (!file) throw new AppError('UPLOAD_MISSING');
  if (!/\.xlsx$/i.test(file.name)) throw new AppError('IMPORT_NOT_XLSX');
  if (file.buffer.length === 0) throw new AppError('IMPORT_EMPTY');
  if (file.buffer.length < 4 || file.buffer.readUInt32LE(0) !== 0x04034b50) throw new AppError('IMPORT_CORRUPT');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file.buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError('IMPORT_CORRUPT');
  }
  return wb;
}

export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

export interface ReadSheet {
  def: SheetDef;
  rows: SheetRow[];
  /** Column key -> "C · Header", for the report. */
  columnName(key: string): string;
}

/** Reads one sheet by its template name: its headers must be the template's (in any order). */
export function readSheet(wb: ExcelJS.Workbook, def: SheetDef, codeKeys: string[] = []): ReadSheet {
  const ws = wb.worksheets.find((w) => headerKey(w.name) === headerKey(def.name));
  if (!ws) throw new AppError('IMPORT_SHEET_MISSING', { sheet: def.name });
  const byHeader = new Map(def.columns.map((c) => [headerKey(c.header), c]));
  const at = new Map<string, number>();
  const unknown: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: false }, (cell, colNumber) => {
    const text = cellText(cell.value);
    if (!text) return;
    const c = byHeader.get(headerKey(text));
    if (c) at.set(c.key, colNumber);
    else unknown.push(text);
  });
  const missing = def.columns.filter((c) => !c.info && !at.has(c.key)).map((c) => c.header);
  if (missing.length || unknown.length) {
    throw new AppError('IMPORT_HEADERS', { sheet: def.name, missing: missing.join(', ') || '-', unknown: unknown.join(', ') || '-' });
  }
  const rows: SheetRow[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: Record<string, string> = {};
    for (const [key, colNumber] of at) cells[key] = cellText(row.getCell(colNumber).value, { code: codeKeys.includes(key) });
    if (Object.values(cells).some((v) => v !== '')) rows.push({ row: r, cells });
  }
  return {
    def, rows,
    columnName(key) {
      const n = at.get(key);
      const header = def.columns.find((c) => c.key === key)?.header ?? key;
      return n ? `${ws.getColumn(n).letter} · ${header}` : header;
    },
  };
}

/** Turns a zod issue message (`v.key|n`) into a report entry. */
export function problemOf(sheet: ReadSheet, row: number, key: string, message: string): ImportProblem {
  const [k, n] = message.split('|');
  const known = k !== undefined && /^v\.[a-z_]+$/.test(k);
  return { sheet: sheet.def.name, row, column: sheet.columnName(key), key: known ? k : 'v.invalid', params: n ? { n } : undefined };
}

export function zodProblems(issues: z.core.$ZodIssue[], locate: (path: PropertyKey[]) => { sheet: ReadSheet; row: number; key: string }): ImportProblem[] {
  const seen = new Set<string>();
  const out: ImportProblem[] = [];
  for (const i of issues) {
    const where = locate(i.path);
    const id = `${where.sheet.def.name}|${where.row}|${where.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(problemOf(where.sheet, where.row, where.key, i.message));
  }
  return out;
}
