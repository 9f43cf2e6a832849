import type { RevisionContent } from './catalog.types.ts';
import { totalDays } from './procedures.repository.ts';

/**
 * The drafting rules that help the officer. Over time is a warning: the unit may still issue
 * a procedure whose steps take longer than the law allows, but it is shown on the procedure and
 * flagged in the lists. The others block submitting for review and issuing.
 */
export interface Checks {
  totalDays: number | null;
  legalDays: number | null;
  /** The TTHC's published time limit when no working days could be read from it: the check is off, and says so. */
  timeUnknown: string | null;
  overTime: boolean;
  noSteps: boolean;
  /** 1-based positions of steps with nobody responsible. */
  stepsWithoutResponsible: number[];
  /** 1-based positions of records with no retention period. */
  recordsWithoutRetention: number[];
  blocking: boolean;
}

export function checksOf(c: Pick<RevisionContent, 'steps' | 'records'>, legalDays: number | null, timeText: string | null = null): Checks {
  const total = totalDays(c.steps);
  const stepsWithoutResponsible = c.steps.flatMap((s, i) => (s.responsible ? [] : [i + 1]));
  const recordsWithoutRetention = c.records.flatMap((r, i) => (r.retention ? [] : [i + 1]));
  const noSteps = c.steps.length === 0;
  return {
    totalDays: total,
    legalDays,
    timeUnknown: legalDays === null && timeText ? timeText : null,
    overTime: total !== null && legalDays !== null && total > legalDays,
    noSteps,
    stepsWithoutResponsible,
    recordsWithoutRetention,
    blocking: noSteps || stepsWithoutResponsible.length > 0 || recordsWithoutRetention.length > 0,
  };
}
