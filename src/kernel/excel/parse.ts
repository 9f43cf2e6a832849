import { AppError } from '../errors.ts';
import { foldForSearch } from '../../lib/text.ts';
import { cellText, columnLetter, columnNumber, type RawCell } from './cell-text.ts';
import type { ExcelLimits } from './limits.ts';
import { attrsOf, decodeXml, elements, stringItemText } from './xml.ts';
import { openZip, type Zip } from './zip.ts';

/** One row as the reader returns it: its number and its non-empty cells by column number. */
export interface RawRow {
  row: number;
  cells: Record<number, RawCell>;
}

export interface ParsedSheet {
  name: string;
  rows: RawRow[];
}

/** The sheets asked for, by the name asked (undefined when the workbook has no such sheet). */
export type ParsedWorkbook = Record<string, ParsedSheet | undefined>;

/** The name that asks for every sheet of the workbook. */
export const anySheet = '*';

// Built-in number formats that show a date or a time (ECMA-376 18.8.30), as exceljs reads them.
const builtInDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** exceljs' test of a custom format: date or time letters outside quotes and brackets. */
const isDateFormat = (code: string) =>
  /[ymdhMsb]+/.test(
    code
      .replace(/\\(.)/g, '$1')
      .replace(/\[[^\]]*]/g, '')
      .replace(/"[^"]*"/g, ''),
  );

function text(zip: Zip, path: string): string | undefined {
  const b = zip.read(path);
  return b ? b.toString('utf8').replace(/^\uFEFF/, '') : undefined;
}

/** `xl/` + `worksheets/sheet1.xml`, with `/xl/...` and `../` as some writers put them. */
function resolve(base: string, target: string): string {
  const parts = target.startsWith('/') ? [] : base.split('/').slice(0, -1);
  for (const seg of target.replace(/^\//, '').split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

function relsOf(zip: Zip, part: string): Array<{ id: string; type: string; target: string }> {
  const slash = part.lastIndexOf('/');
  const xml = text(zip, `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`) ?? '';
  return [...elements(xml, 'Relationship')].map((e) => {
    const a = attrsOf(e.attrs);
    return { id: a.get('Id') ?? '', type: a.get('Type') ?? '', target: resolve(part, a.get('Target') ?? '') };
  });
}

/** Which cell styles show dates (cellXfs index -> true). */
function dateStyles(xml: string | undefined): boolean[] {
  if (!xml) return [];
  const custom = new Map<number, string>();
  for (const f of elements(xml, 'numFmt')) {
    const a = attrsOf(f.attrs);
    custom.set(Number(a.get('numFmtId')), a.get('formatCode') ?? '');
  }
  const xfs = /<((?:[\w.-]+:)?)cellXfs\b[^>]*>([\s\S]*?)<\/\1cellXfs>/.exec(xml)?.[2] ?? '';
  return [...elements(xfs, 'xf')].map((x) => {
    const id = Number(attrsOf(x.attrs).get('numFmtId') ?? 0);
    const code = custom.get(id);
    return code !== undefined ? isDateFormat(code) : builtInDateFormats.has(id);
  });
}

interface SheetContext {
  shared: string[];
  dates: boolean[];
  date1904: boolean;
  limits: ExcelLimits;
  cells: { n: number };
}

/** Excel's day number to the date text cellText gives a Date (exceljs' conversion). */
function excelDate(serial: number, date1904: boolean): string {
  return cellText(new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)));
}

function cellValue(attrs: Map<string, string>, body: string, ctx: SheetContext): RawCell {
  const t = attrs.get('t') ?? 'n';
  if (t === 'inlineStr') return cellText(stringItemText(/<((?:[\w.-]+:)?)is>([\s\S]*?)<\/\1is>/.exec(body)?.[2] ?? ''));
  const v = /<((?:[\w.-]+:)?)v>([\s\S]*?)<\/\1v>/.exec(body)?.[2];
  if (v === undefined) return '';
  switch (t) {
    case 's':
      return cellText(ctx.shared[parseInt(v, 10)] ?? '');
    case 'str':
      return cellText(decodeXml(v));
    case 'b':
      return parseInt(v, 10) !== 0 ? 'TRUE' : 'FALSE';
    case 'e':
      return '';
    case 'd':
      return cellText(new Date(decodeXml(v)));
    default: {
      const num = parseFloat(v);
      if (!Number.isFinite(num)) return '';
      return ctx.dates[Number(attrs.get('s') ?? 0)] ? excelDate(num, ctx.date1904) : num;
    }
  }
}

/**
 * Reads one sheet's rows within the limits: the declared dimension first (a stray value in
 * A1048576 is refused before a row is read), then row by row, storing only cells with a value
 * and stopping at the first `maxEmptyRows` empty rows in a row; nothing is allocated for the
 * rows and columns in between.
 */
function parseSheet(name: string, xml: string, ctx: SheetContext): ParsedSheet {
  const { limits } = ctx;
  const dataAt = xml.search(/<(?:[\w.-]+:)?sheetData[\s/>]/);
  const head = dataAt < 0 ? xml : xml.slice(0, dataAt);
  const dim = /<(?:[\w.-]+:)?dimension\b[^>]*\bref="([^"]+)"/.exec(head)?.[1];
  if (dim) {
    const last = /([A-Z]+)(\d+)$/i.exec(dim);
    if (last && (Number(last[2]) > limits.maxDeclaredRows || columnNumber(last[1] as string) > limits.maxColumns)) {
      throw new AppError('IMPORT_DIMENSION', { sheet: name, ref: dim, rows: limits.maxDeclaredRows, columns: limits.maxColumns });
    }
  }
  const rows: RawRow[] = [];
  if (dataAt < 0) return { name, rows };
  let prevRow = 0;
  let lastFilled = 0;
  let dataRows = 0;
  for (const r of elements(xml.slice(dataAt), 'row')) {
    const rowAttrs = attrsOf(r.attrs);
    const rowNo = Number(rowAttrs.get('r') ?? prevRow + 1);
    prevRow = rowNo;
    if (rowNo - lastFilled - 1 >= limits.maxEmptyRows) break;
    const cells: Record<number, RawCell> = {};
    let filled = false;
    let prevCol = 0;
    for (const c of elements(r.body, 'c')) {
      const a = attrsOf(c.attrs);
      const ref = a.get('r');
      const col = ref ? columnNumber(/^[A-Z]+/i.exec(ref)?.[0] ?? '') : prevCol + 1;
      prevCol = col;
      const v = cellValue(a, c.body, ctx);
      if (v === '') continue;
      if (col > limits.maxColumns) throw new AppError('IMPORT_TOO_MANY_COLUMNS', { sheet: name, cell: `${columnLetter(col)}${rowNo}`, max: limits.maxColumns });
      if (++ctx.cells.n > limits.maxCells) throw new AppError('IMPORT_TOO_MANY_CELLS', { max: limits.maxCells });
      cells[col] = v;
      filled = true;
    }
    if (!filled) continue;
    lastFilled = rowNo;
    if (rowNo > 1 && ++dataRows > limits.maxRows) throw new AppError('IMPORT_TOO_MANY_ROWS', { sheet: name, max: limits.maxRows });
    rows.push({ row: rowNo, cells });
  }
  return { name, rows };
}

/**
 * Parses the sheets named (matched as the templates match headers: case and accents aside, or
 * all of them for `*`) of
 * an .xlsx held in memory, within the limits. Synchronous: it runs in the reader's worker
 * thread (see pool.ts), and in unit tests directly.
 */
export function parseWorkbook(buf: Buffer, wanted: string[], limits: ExcelLimits): ParsedWorkbook {
  const zip = openZip(buf, limits.maxInflatedBytes);
  const root = relsOf(zip, '').find((r) => r.type.endsWith('/officeDocument'));
  const bookPath = root?.target || 'xl/workbook.xml';
  const book = text(zip, bookPath);
  if (book === undefined) throw new AppError('IMPORT_CORRUPT');
  const rels = relsOf(zip, bookPath);
  const date1904 = /<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904="(1|true)"/.test(book);
  const sheets = [...elements(book, 'sheet')].map((e) => {
    const a = attrsOf(e.attrs);
    const rid = [...a.entries()].find(([k]) => /(^|:)id$/.test(k) && k !== 'sheetId')?.[1];
    return { name: a.get('name') ?? '', path: rels.find((r) => r.id === rid)?.target };
  });
  const out: ParsedWorkbook = {};
  // `*` asks for every sheet under its own name (a file laid out by someone else: the caller finds
  // its sheets by their header rows).
  const found = wanted.includes(anySheet)
    ? sheets.map((sheet) => ({ w: sheet.name, sheet }))
    : wanted.map((w) => ({ w, sheet: sheets.find((s) => foldForSearch(s.name) === foldForSearch(w)) }));
  if (!found.some((f) => f.sheet?.path)) return out;
  const partOf = (kind: string) => rels.find((r) => r.type.endsWith(`/${kind}`))?.target;
  const ssPath = partOf('sharedStrings');
  const ssXml = ssPath ? text(zip, ssPath) : undefined;
  const ctx: SheetContext = {
    shared: ssXml ? [...elements(ssXml, 'si')].map((si) => stringItemText(si.body)) : [],
    dates: dateStyles(
      (() => {
        const p = partOf('styles');
        return p ? text(zip, p) : undefined;
      })(),
    ),
    date1904,
    limits,
    cells: { n: 0 },
  };
  for (const { w, sheet } of found) {
    const xml = sheet?.path ? text(zip, sheet.path) : undefined;
    out[w] = xml === undefined || !sheet ? undefined : parseSheet(sheet.name, xml.replace(/^\uFEFF/, ''), ctx);
  }
  return out;
}
