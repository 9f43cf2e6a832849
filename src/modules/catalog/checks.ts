import type { RevisionContent } from './catalog.types.ts';
import { totalDays } from './procedures.repository.ts';

/**
 * The checks that help the officer (issue 3). Over time is a warning: the unit may still issue
 * a procedure whose steps take longer than the law allows, but it is shown on the procedure and
 * flagged in the lists. The others block submitting for review and issuing.
 */
export interface Checks {
  totalDays: number | null;
  legalDays: number | null;
  overTime: boolean;
  noSteps: boolean;
  /** 1-based positions of steps with nobody responsible. */
  stepsWithoutResponsible: number[];
  /** 1-based positions of records with no retention period. */
  recordsWithoutRetention: number[];
  blocking: boolean;
}

export function checksOf(c: Pick<RevisionContent, 'steps' | 'records'>, legalDays: number | null): Checks {
  const total = totalDays(c.steps);
  const stepsWithoutResponsible = c.steps.flatMap((s, i) => (s.responsible ? [] : [i + 1]));
  const recordsWithoutRetention = c.records.flatMap((r, i) => (r.retention ? [] : [i + 1]));
  const noSteps = c.steps.length === 0;
  return {
    totalDays: total,
    legalDays,
    overTime: total !== null && legalDays !== null && total > legalDays,
    noSteps,
    stepsWithoutResponsible,
    recordsWithoutRetention,
    blocking: noSteps || stepsWithoutResponsible.length > 0 || recordsWithoutRetention.length > 0,
  };
}

/** The day `months` months before `day` (YYYY-MM-DD), clamped to the month's last day. */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
