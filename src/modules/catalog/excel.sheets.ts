import ExcelJS from 'exceljs';
import { foldForSearch } from '../../lib/text.ts';
import { onlineLevels, procedureKinds, type OnlineLevel, type ProcedureKind, type TthcLevel } from './catalog.types.ts';

/**
 * The layout of the catalog's Excel files, shared by export, import and the import templates:
 * sheet names and column headers in Vietnamese, as users see them in Excel. An export can be
 * imported back as it is: its extra columns (revision, status, ...) are known and ignored.
 */
export interface Column {
  key: string;
  header: string;
  width: number;
  /** Only in exports; an import accepts and ignores it. */
  info?: boolean;
}

export interface SheetDef {
  name: string;
  columns: Column[];
}

const col = (key: string, header: string, width: number, info?: boolean): Column => ({ key, header, width, info });

export const tthcSheet: SheetDef = {
  name: 'TTHC',
  columns: [
    col('code', 'Mã TTHC', 14),
    col('name', 'Tên thủ tục hành chính', 50),
    col('field', 'Lĩnh vực', 22),
    col('level', 'Cấp thực hiện', 14),
    col('legalDays', 'Thời hạn giải quyết (ngày làm việc)', 16),
    col('fees', 'Phí, lệ phí', 24),
    col('legalBasis', 'Căn cứ pháp lý', 40),
    col('onlineLevel', 'Dịch vụ công trực tuyến', 16),
  ],
};

export const procedureSheet: SheetDef = {
  name: 'Quy trình',
  columns: [
    col('code', 'Mã quy trình', 18),
    col('title', 'Tên quy trình', 45),
    col('kind', 'Loại quy trình', 28),
    col('tthcCode', 'Mã TTHC', 14),
    col('purpose', 'Mục đích', 30),
    col('scopeText', 'Phạm vi áp dụng', 30),
    col('referencesText', 'Tài liệu viện dẫn', 30),
    col('definitions', 'Định nghĩa, từ viết tắt', 24),
    col('changeSummary', 'Tóm tắt nội dung sửa đổi', 30),
    col('revisionNo', 'Lần ban hành', 10, true),
    col('status', 'Trạng thái', 16, true),
    col('issueDate', 'Ngày ban hành', 14, true),
    col('overTime', 'Vượt thời hạn TTHC', 12, true),
    col('dueForReview', 'Đến hạn rà soát', 12, true),
  ],
};

export const stepSheet: SheetDef = {
  name: 'Các bước',
  columns: [
    col('procedureCode', 'Mã quy trình', 18),
    col('position', 'Thứ tự', 8),
    col('action', 'Nội dung công việc', 50),
    col('responsible', 'Trách nhiệm', 28),
    col('days', 'Thời gian (ngày làm việc)', 14),
    col('output', 'Kết quả', 28),
  ],
};

export const formSheet: SheetDef = {
  name: 'Biểu mẫu',
  columns: [
    col('procedureCode', 'Mã quy trình', 18),
    col('position', 'Thứ tự', 8),
    col('code', 'Mã biểu mẫu', 14),
    col('name', 'Tên biểu mẫu', 50),
    col('file', 'Tệp đính kèm', 24, true),
  ],
};

export const recordSheet: SheetDef = {
  name: 'Hồ sơ',
  columns: [
    col('procedureCode', 'Mã quy trình', 18),
    col('position', 'Thứ tự', 8),
    col('name', 'Tên hồ sơ', 45),
    col('keeper', 'Nơi lưu', 28),
    col('retention', 'Thời gian lưu', 16),
  ],
};

export const procedureSheets = [procedureSheet, stepSheet, formSheet, recordSheet];

/** Vietnamese labels written into and read from the files (the codes are accepted too). */
export const kindLabels: Record<ProcedureKind, string> = {
  tthc: 'Quy trình giải quyết TTHC',
  document_control: 'Kiểm soát tài liệu và hồ sơ',
  internal_audit: 'Đánh giá nội bộ',
  management_review: 'Xem xét của lãnh đạo',
  nonconformity: 'Sự không phù hợp và hành động khắc phục',
  risks: 'Rủi ro và cơ hội',
  other: 'Quy trình khác',
};
export const levelLabels: Record<TthcLevel, string> = { province: 'Cấp tỉnh', commune: 'Cấp xã' };
export const onlineLabels: Record<OnlineLevel, string> = { none: 'Không', partial: 'Một phần', full: 'Toàn trình' };

function fromLabel<K extends string>(codes: readonly K[], labels: Record<K, string>, extra: Record<string, K>, text: string): K | undefined {
  const f = foldForSearch(text);
  return codes.find((k) => k === text || foldForSearch(labels[k]) === f) ?? extra[f];
}
export const kindFrom = (t: string) => fromLabel(procedureKinds, kindLabels, {}, t);
export const onlineFrom = (t: string) => fromLabel(onlineLevels, onlineLabels, { '': 'none', 'mot phan': 'partial', 'toan trinh': 'full' }, t);

// A text that a spreadsheet would take for a formula (or a DDE call) if someone re-typed it.
const formulaStart = /^[=+\-@\t\r]/;

/** A text cell as written to a file: a leading apostrophe keeps it text in every spreadsheet. */
export function safeText(v: string | null | undefined): string {
  const s = v ?? '';
  return formulaStart.test(s) ? `'${s}` : s;
}

/**
 * A list as users exchange it: one sheet, a bold header row kept in view, then a row per record.
 * Every text goes through `safeText`, so what a user typed never becomes a formula.
 */
export async function listWorkbook(
  name: string,
  columns: Array<{ header: string; width: number }>,
  rows: Array<Array<string | number | null>>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'isotrack';
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ width: c.width }));
  ws.addRow(columns.map((c) => c.header)).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' ? safeText(v) : v)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// The import's reading of a cell lives with the bounded reader; exports and tests import it from here too.
export { cellText } from '../../kernel/excel/index.ts';

export const headerKey = (h: string): string => foldForSearch(h);
