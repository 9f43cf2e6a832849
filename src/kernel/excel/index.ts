// The bounded Excel reader: every import of the app reads its workbook through here.
export { cellText, columnLetter, rawText } from './cell-text.ts';
export { defaultExcelLimits, useExcelLimits, type ExcelLimits } from './limits.ts';
export { anySheet, type ParsedSheet, type ParsedWorkbook } from './parse.ts';
export { readWorkbook, type UploadedFile } from './reader.ts';
export { ImportReportError, type ImportProblem } from './report.ts';
