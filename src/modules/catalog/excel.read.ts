import { AppError } from '../../kernel/errors.ts';
import {
  columnLetter,
  ImportReportError,
  rawText,
  readWorkbook,
  type ImportProblem,
  type ParsedWorkbook,
  type UploadedFile,
} from '../../kernel/excel/index.ts';
import type { z } from 'zod';
import { cellText, headerKey, type SheetDef } from './excel.sheets.ts';

export { ImportReportError, type ImportProblem, type UploadedFile };

/** An uploaded workbook, read by the bounded reader: the sheets of the templates it was opened for. */
export interface Workbook {
  sheets: ParsedWorkbook;
}

/**
 * Opens an uploaded workbook for these templates' sheets (src/kernel/excel: refused when it is
 * not an .xlsx, damaged, or past a limit; parsed in a worker thread, only the sheets named).
 */
export async function openWorkbook(file: UploadedFile | undefined, defs: SheetDef[]): Promise<Workbook> {
  return {
    sheets: await readWorkbook(
      file,
      defs.map((d) => d.name),
    ),
  };
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
export function readSheet(wb: Workbook, def: SheetDef, codeKeys: string[] = []): ReadSheet {
  const ws = wb.sheets[def.name];
  if (!ws) throw new AppError('IMPORT_SHEET_MISSING', { sheet: def.name });
  const byHeader = new Map(def.columns.map((c) => [headerKey(c.header), c]));
  const at = new Map<string, number>();
  const unknown: string[] = [];
  const header = ws.rows[0]?.row === 1 ? ws.rows[0].cells : {};
  for (const [col, v] of Object.entries(header)) {
    const text = cellText(v);
    if (!text) continue;
    const c = byHeader.get(headerKey(text));
    if (c) at.set(c.key, Number(col));
    else unknown.push(text);
  }
  const missing = def.columns.filter((c) => !c.info && !at.has(c.key)).map((c) => c.header);
  if (missing.length || unknown.length) {
    throw new AppError('IMPORT_HEADERS', { sheet: def.name, missing: missing.join(', ') || '-', unknown: unknown.join(', ') || '-' });
  }
  const rows: SheetRow[] = [];
  for (const r of ws.rows) {
    if (r.row < 2) continue;
    const cells: Record<string, string> = {};
    for (const [key, colNumber] of at) cells[key] = rawText(r.cells[colNumber], { code: codeKeys.includes(key) });
    if (Object.values(cells).some((v) => v !== '')) rows.push({ row: r.row, cells });
  }
  return {
    def,
    rows,
    columnName(key) {
      const n = at.get(key);
      const header = def.columns.find((c) => c.key === key)?.header ?? key;
      return n ? `${columnLetter(n)} · ${header}` : header;
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
