import { AppError } from '../errors.ts';
import { excelLimits } from './limits.ts';

/** One problem of an import, as the report lists it: where, and what (a message key). */
export interface ImportProblem {
  sheet: string;
  /** Absent on the line that counts the problems left out. */
  row?: number;
  column: string;
  key: string;
  params?: Record<string, string | number>;
}

/**
 * The import changed nothing; here are its problems row by row. Only the first
 * `maxProblems` are listed, then one line with the count of the rest, so that a sheet of
 * 100,000 bad rows answers a page one can read (and that stays small).
 */
export class ImportReportError extends AppError {
  readonly problems: ImportProblem[];
  constructor(problems: ImportProblem[], max = excelLimits().maxProblems) {
    super('IMPORT_ROWS', { count: problems.length });
    this.problems =
      problems.length > max ? [...problems.slice(0, max), { sheet: '', column: '', key: 'v.import_more', params: { n: problems.length - max } }] : problems;
  }
}
