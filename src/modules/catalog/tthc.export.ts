import ExcelJS from 'exceljs';
import { dayText } from '../../lib/time.ts';
import type { Tthc } from './catalog.types.ts';
import { addRow, addSheet } from './excel.export.ts';
import { levelLabels, onlineLabels, tthcSheet, type SheetDef } from './excel.sheets.ts';

/** The import sheet, and after it the retirement (read back as columns not imported). */
const listSheet: SheetDef = {
  ...tthcSheet,
  columns: [
    ...tthcSheet.columns,
    { key: 'retiredOn', header: 'Ngày bãi bỏ', width: 14 },
    { key: 'decisionNo', header: 'Số QĐ bãi bỏ', width: 18 },
    { key: 'decisionDate', header: 'Ngày QĐ bãi bỏ', width: 14 },
  ],
};

/**
 * A province's list as .xlsx in the import format: what the file says re-imports as unchanged
 * (the time limit as published, or its days; every level; fees and legal basis as kept). Dates
 * are written DD/MM/YYYY.
 */
export async function tthcListWorkbook(items: Tthc[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = addSheet(wb, listSheet, { withInfo: true });
  for (const t of items) {
    addRow(ws, [
      t.code,
      t.name,
      t.field,
      t.levels.map((l) => levelLabels[l]).join(', '),
      t.timeText ?? t.legalDays,
      t.fees,
      t.legalBasis,
      onlineLabels[t.onlineLevel],
      t.retiredAt ? dayText(t.retiredAt) : null,
      t.retiredDecisionNo,
      t.retiredDecisionDate ? dayText(t.retiredDecisionDate) : null,
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
