import ExcelJS from 'exceljs';
import type { ProcedureRow, Revision } from './catalog.types.ts';
import {
  kindLabels,
  levelLabels,
  onlineLabels,
  procedureSheet,
  procedureSheets,
  recordSheet,
  safeText,
  stepSheet,
  formSheet,
  tthcSheet,
  type SheetDef,
} from './excel.sheets.ts';

const statusLabels: Record<string, string> = {
  draft: 'Dự thảo',
  in_review: 'Đang xem xét',
  approved: 'Đã phê duyệt',
  issued: 'Đang có hiệu lực',
  superseded: 'Đã được thay thế',
  withdrawn: 'Đã bãi bỏ',
};

type Cell = string | number | null;

/** A sheet with its header row (bold, frozen) and column widths; text columns stay text. */
export function addSheet(wb: ExcelJS.Workbook, def: SheetDef, opts: { withInfo: boolean }): ExcelJS.Worksheet {
  const cols = def.columns.filter((c) => opts.withInfo || !c.info);
  const ws = wb.addWorksheet(def.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({
    key: c.key,
    width: c.width,
    style: c.key === 'days' || c.key === 'legalDays' || c.key === 'position' ? {} : { numFmt: '@' },
  }));
  const header = ws.getRow(1);
  cols.forEach((c, i) => {
    header.getCell(i + 1).value = c.header;
  });
  header.font = { bold: true };
  return ws;
}

/** Adds a data row; every text goes through safeText, numbers stay numbers. */
export function addRow(ws: ExcelJS.Worksheet, values: Cell[]): void {
  ws.addRow(values.map((v) => (typeof v === 'number' ? v : v === null ? '' : safeText(v))));
}

/** A unit's catalog: procedures with steps, forms and records (the revision being worked on, or in force). */
export async function catalogWorkbook(rows: ProcedureRow[], revisions: Map<number, Revision>, tthcCodes: Map<number, string>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'isotrack';
  const [pws, sws, fws, rws] = procedureSheets.map((d) => addSheet(wb, d, { withInfo: true })) as [
    ExcelJS.Worksheet,
    ExcelJS.Worksheet,
    ExcelJS.Worksheet,
    ExcelJS.Worksheet,
  ];
  for (const p of rows) {
    const r = revisions.get(p.headRevisionId);
    if (!r) continue;
    addRow(pws, [
      r.code,
      r.title,
      kindLabels[r.kind],
      r.tthcId ? (tthcCodes.get(r.tthcId) ?? '') : '',
      r.purpose,
      r.scopeText,
      r.referencesText,
      r.definitions,
      r.changeSummary,
      r.revisionNo,
      statusLabels[r.status] ?? r.status,
      r.issueDate ?? p.issueDate,
      p.overTime ? 'Có' : '',
      p.dueForReview ? 'Có' : '',
    ]);
    r.steps.forEach((s, i) => addRow(sws, [r.code, i + 1, s.action, s.responsible, s.days, s.output]));
    r.forms.forEach((f, i) => addRow(fws, [r.code, i + 1, f.code, f.name, f.fileName ?? '']));
    r.records.forEach((x, i) => addRow(rws, [r.code, i + 1, x.name, x.keeper, x.retention]));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function readme(wb: ExcelJS.Workbook, lines: string[]): void {
  const ws = wb.addWorksheet('Hướng dẫn');
  ws.getColumn(1).width = 120;
  for (const l of lines) ws.addRow([l]);
}

/** The empty procedures template: the four sheets with their headers, and how to fill them. */
export async function proceduresTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const d of [procedureSheet, stepSheet, formSheet, recordSheet]) addSheet(wb, d, { withInfo: false });
  readme(wb, [
    'Mỗi quy trình một dòng ở trang "Quy trình"; các bước, biểu mẫu, hồ sơ ghi ở các trang tương ứng, nối với quy trình bằng "Mã quy trình".',
    `Loại quy trình: ${Object.values(kindLabels).join('; ')}.`,
    'Mã TTHC: mã trong danh mục TTHC của tỉnh (ví dụ 1.001193); bỏ trống với quy trình hệ thống.',
    'Thời gian: số ngày làm việc, ví dụ 2 hoặc 0,5. Thứ tự: 1, 2, 3...',
    'Nhập là tất cả hoặc không: có một dòng sai thì không có gì thay đổi. Nhập lại cùng tệp không thay đổi gì (đối chiếu theo mã).',
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The empty TTHC-list template. */
export async function tthcTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  addSheet(wb, tthcSheet, { withInfo: false });
  readme(wb, [
    'Mỗi TTHC một dòng. Mã TTHC theo Cơ sở dữ liệu quốc gia về TTHC (ví dụ 1.001193); cột mã để dạng văn bản để giữ số 0 ở cuối.',
    `Cấp thực hiện: ${Object.values(levelLabels).join(' hoặc ')}. Dịch vụ công trực tuyến: ${Object.values(onlineLabels).join(', ')}.`,
    'Thời hạn giải quyết: số ngày làm việc; bỏ trống nếu không quy định.',
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
