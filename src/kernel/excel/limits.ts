/**
 * The bounds of every Excel import, so that a hostile or careless file (a stray value in
 * A1048576, a zip bomb, a 100,000-row sheet) is refused cheaply instead of taking the process down.
 * Read from the settings in `src/config/config.ts` (EXCEL_*, IMPORT_MAX_REPORTED_PROBLEMS).
 */
export interface ExcelLimits {
  /** Sum of the workbook's zip entries once inflated, declared and actual. */
  maxInflatedBytes: number;
  /** The last row a sheet's `<dimension ref>` may declare. */
  maxDeclaredRows: number;
  /** Data rows read from one sheet (the header row not counted). */
  maxRows: number;
  /** The last column a cell (or the declared dimension) may use. */
  maxColumns: number;
  /** Cells with a value read from the whole workbook. */
  maxCells: number;
  /** This many empty rows in a row end the sheet: whatever lies below is not read. */
  maxEmptyRows: number;
  /** Problems listed in an import report; the rest are counted. */
  maxProblems: number;
  /** Old-generation heap of the worker that parses (a file beyond it is refused, not the app). */
  workerMemoryMb: number;
  /** Time one workbook may take to parse. */
  timeoutMs: number;
}

export const defaultExcelLimits: ExcelLimits = {
  maxInflatedBytes: 50 * 1024 * 1024,
  maxDeclaredRows: 100_000,
  maxRows: 20_000,
  maxColumns: 100,
  maxCells: 500_000,
  maxEmptyRows: 50,
  maxProblems: 200,
  workerMemoryMb: 256,
  timeoutMs: 20_000,
};

let current: ExcelLimits = defaultExcelLimits;

/** Sets the limits of this process (from the configuration, when the app is built). */
export function useExcelLimits(limits: ExcelLimits): void {
  current = limits;
}

export function excelLimits(): ExcelLimits {
  return current;
}
