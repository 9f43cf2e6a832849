import type { Knex } from 'knex';
import type { LocalizedText } from '../../plugins/contract.ts';
import { onTimeSummary } from '../ontime/ontime.repository.ts';
import { tallies } from '../public/public.repository.ts';
import { indexOf } from '../public/survey.logic.ts';
import type { OnTimeCounts } from '../ontime/ontime.types.ts';
import { actionStatuses, severities, type ActionStatus } from '../actions/actions.logic.ts';
import {
  actionCountsByStatus,
  findingCountsUpTo,
  objectivesOfYear,
  overdueActionsOn,
  revisionsIssuedBetween,
  revisionsWithdrawnBetween,
  submittedChecksBetween,
} from './inputs.repository.ts';

/**
 * The inputs of a management review (ISO 9001 clause 9.3.2), compiled from the unit's data on the
 * day the record is made and kept as they were: later changes to checks or actions never rewrite
 * what the management looked at.
 */
export interface ReviewInputs {
  compiledAt: string;
  period: { from: string; to: string };
  /** Submitted checks and internal audits of the last 12 months, newest first. */
  checks: Array<{ id: number; date: string; formId: string; title: LocalizedText; internalAudit: boolean; score: number | null; findings: number }>;
  /** Findings of the unit's checks up to the review, by severity and status. */
  findings: Record<string, { open: number; closed: number }>;
  /** Corrective actions by status, and how many are overdue on the review day. */
  actions: { byStatus: Record<ActionStatus, number>; overdue: number; total: number };
  objectives: { year: number; items: Array<{ objective: string; target: string; actual: string | null; achieved: boolean | null }> };
  /** Procedures issued or withdrawn since the last review (or within the period when none). */
  scope: { since: string; changes: Array<{ code: string; title: string; change: 'issued' | 'withdrawn'; day: string; revisionNo: number }> };
  /**
   * On-time handling of dossiers (QĐ 766/QĐ-TTg), totals of the periods starting within the
   * review's 12 months; null when none were entered. Absent from reviews compiled before it existed.
   */
  onTime?: (OnTimeCounts & { periods: number; rate: number | null }) | null;
  /**
   * Customer satisfaction (9.3.2 c): the unit's survey answers of the review's 12 months, their
   * SIPAS index and average score; null when nobody answered. Absent from reviews compiled before it.
   */
  satisfaction?: { answers: number; index: number | null; average: number | null } | null;
}

/** The internal audit form (plugin iso-internal-audit): its checks count as internal audits. */
export const internalAuditFormId = 'iso-internal-audit';

/** The day a year before (`2026-03-02` -> `2025-03-03`): the 12 months ending on `day`. */
export function yearBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export async function compileInputs(
  db: Knex | Knex.Transaction,
  unitId: number,
  reviewDate: string,
  lastReviewDate: string | null,
  compiledAt: string,
): Promise<ReviewInputs> {
  const from = yearBefore(reviewDate);
  const checks = (await submittedChecksBetween(db, unitId, from, reviewDate)).map((r) => ({
    id: r.id,
    date: r.date,
    formId: r.formId,
    title: (JSON.parse(r.formJson) as { title: LocalizedText }).title,
    internalAudit: r.formId === internalAuditFormId,
    score: r.score,
    findings: r.findings,
  }));

  const findings = Object.fromEntries(severities.map((s) => [s, { open: 0, closed: 0 }])) as ReviewInputs['findings'];
  for (const r of await findingCountsUpTo(db, unitId, reviewDate)) {
    const bucket = findings[r.severity];
    if (bucket) bucket[r.status === 'closed' ? 'closed' : 'open'] += r.n;
  }

  const byStatus = Object.fromEntries(actionStatuses.map((s) => [s, 0])) as Record<ActionStatus, number>;
  for (const r of await actionCountsByStatus(db, unitId)) if (r.status in byStatus) byStatus[r.status as ActionStatus] = r.n;
  const overdue = await overdueActionsOn(db, unitId, reviewDate);

  const year = Number(reviewDate.slice(0, 4));
  const objectives = await objectivesOfYear(db, unitId, year);

  const since = lastReviewDate ?? from;
  const changes = [
    ...(await revisionsIssuedBetween(db, unitId, since, reviewDate)).map((r) => ({ ...r, change: 'issued' as const })),
    ...(await revisionsWithdrawnBetween(db, unitId, since, reviewDate)).map((r) => ({ ...r, change: 'withdrawn' as const })),
  ]
    .map((r) => ({ code: r.code, title: r.title, change: r.change, day: r.day, revisionNo: r.revisionNo }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.code.localeCompare(b.code));

  const onTime = await onTimeSummary(db, unitId, from, reviewDate);
  const survey = (await tallies(db, from, reviewDate, (q) => q.where('unit_id', unitId))).get(unitId);

  return {
    compiledAt,
    period: { from, to: reviewDate },
    checks,
    findings,
    actions: { byStatus, overdue, total: Object.values(byStatus).reduce((a, b) => a + b, 0) },
    objectives: {
      year,
      items: objectives,
    },
    scope: { since, changes },
    onTime: onTime.periods ? onTime : null,
    satisfaction: survey ? { answers: survey.answers, ...indexOf(survey.rated, survey.satisfied, survey.points) } : null,
  };
}
