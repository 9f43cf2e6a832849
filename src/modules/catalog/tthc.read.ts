import { AppError } from '../../kernel/errors.ts';
import { anySheet, columnLetter, rawText, readWorkbook, type ParsedSheet, type UploadedFile } from '../../kernel/excel/index.ts';
import { foldForSearch } from '../../lib/text.ts';
import { tthcSheet } from './excel.sheets.ts';

/**
 * Reads a TTHC list as provinces get it: the app's template, or the national TTHC database's
 * export (a title block, the header row within the first rows, 19 columns, child sheets keyed by
 * Mã TTHC), as .xlsx, CSV or tab-separated text. Sheets are found by their header row and
 * columns by their header text, case and accents aside, in any order; other columns are listed
 * as not imported, never refused.
 */

/** A header as matched: folded, punctuation aside (`Phí, lệ phí` = `phi le phi`). */
const headerOf = (h: string) =>
  foldForSearch(h)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

type Aliases = Record<string, string[]>;

const mainAliases: Aliases = {
  code: ['ma tthc', 'ma thu tuc', 'ma thu tuc hanh chinh', 'ma so tthc', 'ma so'],
  name: ['ten tthc', 'ten thu tuc hanh chinh', 'ten thu tuc'],
  field: ['linh vuc', 'ten linh vuc'],
  level: ['cap thuc hien', 'cap'],
  time: ['thoi han giai quyet ngay lam viec', 'thoi han giai quyet', 'thoi gian giai quyet'],
  fees: ['phi le phi', 'le phi', 'phi', 'phi le phi neu co'],
  legalBasis: ['can cu phap ly', 'can cu phap ly cua tthc'],
  onlineLevel: ['dich vu cong truc tuyen', 'muc do dich vu cong truc tuyen', 'dvc truc tuyen'],
};
const channelAliases: Aliases = {
  code: mainAliases.code as string[],
  channel: ['hinh thuc nop', 'hinh thuc nop ho so', 'kenh nop'],
  time: mainAliases.time as string[],
  fee: mainAliases.fees as string[],
};
const legalAliases: Aliases = {
  code: mainAliases.code as string[],
  number: ['so ky hieu', 'so hieu', 'so van ban', 'ky hieu'],
  title: ['trich yeu', 'ten van ban', 'can cu phap ly', 'noi dung'],
  date: ['ngay ban hanh'],
  issuer: ['co quan ban hanh'],
};

const headerNames: Record<string, string> = {
  ...Object.fromEntries(tthcSheet.columns.map((c) => [c.key, c.header])),
  time: 'Thời hạn giải quyết',
  channel: 'Hình thức nộp',
  fee: 'Phí, lệ phí',
};

export interface TableRow {
  row: number;
  cells: Record<string, string>;
}

export interface Table {
  sheet: string;
  rows: TableRow[];
  /** Headers of the columns not read, as written. */
  ignored: string[];
  /** Column key → `C · Header`, for the report. */
  columnName(key: string): string;
}

export interface PublishedList {
  main: Table;
  channels?: Table;
  legal?: Table;
}

function matchHeader(sheet: ParsedSheet, aliases: Aliases, rowLimit: number) {
  const lookup = new Map(Object.entries(aliases).flatMap(([key, names]) => names.map((n) => [n, key] as const)));
  let best: { at: Map<string, number>; texts: Map<string, string>; headerRow: number; ignored: string[] } | undefined;
  for (const r of sheet.rows) {
    if (r.row > rowLimit) break;
    const at = new Map<string, number>();
    const texts = new Map<string, string>();
    const ignored: string[] = [];
    for (const [col, v] of Object.entries(r.cells)) {
      const text = rawText(v);
      const key = lookup.get(headerOf(text));
      if (key && !at.has(key)) {
        at.set(key, Number(col));
        texts.set(key, text);
      } else if (text) ignored.push(text);
    }
    if (at.size > (best?.at.size ?? 1)) best = { at, texts, headerRow: r.row, ignored };
  }
  return best;
}

function tableOf(sheet: ParsedSheet, m: NonNullable<ReturnType<typeof matchHeader>>): Table {
  const rows: TableRow[] = [];
  for (const r of sheet.rows) {
    if (r.row <= m.headerRow) continue;
    const cells: Record<string, string> = {};
    for (const [key, col] of m.at) cells[key] = rawText(r.cells[col], { code: key === 'code' });
    if (Object.values(cells).some((v) => v !== '')) rows.push({ row: r.row, cells });
  }
  return {
    sheet: sheet.name,
    rows,
    ignored: m.ignored,
    columnName(key) {
      const n = m.at.get(key);
      const header = m.texts.get(key) ?? headerNames[key] ?? key;
      return n ? `${columnLetter(n)} · ${header}` : header;
    },
  };
}

/** The header row is looked for in this many first rows of a sheet (a title block above it). */
const headerRows = 12;

/**
 * Opens and reads an uploaded list: the main sheet is the one whose header row names the TTHC
 * (code or name, with field or level); child sheets name Mã TTHC with channels or legal bases.
 */
export async function readPublishedList(file: UploadedFile | undefined): Promise<PublishedList> {
  const wb = await readWorkbook(file, [anySheet], { text: true });
  const sheets = Object.values(wb).filter((s): s is ParsedSheet => !!s);
  let main: PublishedList['main'] | undefined;
  let mainScore = 0;
  let channels: Table | undefined;
  let legal: Table | undefined;
  for (const s of sheets) {
    const m = matchHeader(s, mainAliases, headerRows);
    const isMain = m && m.at.has('name') && (m.at.has('field') || m.at.has('level') || m.at.has('code'));
    if (m && isMain && m.at.size > mainScore) {
      main = tableOf(s, m);
      mainScore = m.at.size;
      continue;
    }
    const c = matchHeader(s, channelAliases, headerRows);
    if (!channels && c?.at.has('code') && (c.at.has('time') || c.at.has('fee'))) {
      channels = tableOf(s, c);
      continue;
    }
    const l = matchHeader(s, legalAliases, headerRows);
    if (!legal && l?.at.has('code') && (l.at.has('number') || l.at.has('title'))) legal = tableOf(s, l);
  }
  if (!main) {
    const first = sheets[0];
    throw new AppError('IMPORT_HEADERS', {
      sheet: first?.name ?? tthcSheet.name,
      missing: ['Mã TTHC', 'Tên TTHC', 'Lĩnh vực', 'Cấp thực hiện'].join(', '),
      unknown: first?.rows[0]
        ? Object.values(first.rows[0].cells)
            .map((v) => rawText(v))
            .join(', ') || '-'
        : '-',
    });
  }
  const missing = ['code', 'name', 'field', 'level'].filter((k) => !main.columnName(k).includes(' · ')).map((k) => headerNames[k] ?? k);
  if (missing.length) throw new AppError('IMPORT_HEADERS', { sheet: main.sheet, missing: missing.join(', '), unknown: main.ignored.join(', ') || '-' });
  return { main, channels, legal };
}
