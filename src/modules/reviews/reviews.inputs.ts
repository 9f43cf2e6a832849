import type { Knex } from 'knex';
import { toCount } from '../../db/helpers.ts';
import type { LocalizedText } from '../../plugins/contract.ts';
import { onTimeSummary } from '../ontime/ontime.repository.ts';
import { tallies } from '../public/public.repository.ts';
import { indexOf } from '../public/survey.logic.ts';
import type { OnTimeCounts } from '../ontime/ontime.types.ts';
import { actionStatuses, severities, type ActionStatus } from '../actions/actions.logic.ts';

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
  const checkRows = (await db('checks as c')
    .leftJoin(db('check_findings').whereNull('deleted_at').groupBy('check_id').select('check_id', db.raw('count(*) as n')).as('fc'), 'fc.check_id', 'c.id')
    .where('c.unit_id', unitId)
    .where('c.status', 'submitted')
    .whereBetween('c.check_date', [from, reviewDate])
    .orderBy([
      { column: 'c.check_date', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .select('c.id', 'c.check_date', 'c.form_id', 'c.form_json', 'c.score', 'fc.n')) as Array<Record<string, unknown>>;
  const checks = checkRows.map((r) => ({
    id: Number(r.id),
    date: String(r.check_date),
    formId: String(r.form_id),
    title: (JSON.parse(String(r.form_json)) as { title: LocalizedText }).title,
    internalAudit: r.form_id === internalAuditFormId,
    score: r.score == null ? null : Number(r.score),
    findings: toCount(r.n),
  }));

  const findingRows = (await db('check_findings as f')
    .join('checks as c', 'c.id', 'f.check_id')
    .where('c.unit_id', unitId)
    .whereNull('f.deleted_at')
    .where('c.check_date', '<=', reviewDate)
    .groupBy('f.severity', 'f.status')
    .select('f.severity', 'f.status', db.raw('count(*) as n'))) as Array<Record<string, unknown>>;
  const findings = Object.fromEntries(severities.map((s) => [s, { open: 0, closed: 0 }])) as ReviewInputs['findings'];
  for (const r of findingRows) {
    const bucket = findings[String(r.severity)];
    if (bucket) bucket[r.status === 'closed' ? 'closed' : 'open'] += toCount(r.n);
  }

  const actionRows = (await db('corrective_actions')
    .where('unit_id', unitId)
    .whereNull('deleted_at')
    .groupBy('status')
    .select('status', db.raw('count(*) as n'))) as Array<Record<string, unknown>>;
  const byStatus = Object.fromEntries(actionStatuses.map((s) => [s, 0])) as Record<ActionStatus, number>;
  for (const r of actionRows) if (String(r.status) in byStatus) byStatus[r.status as ActionStatus] = toCount(r.n);
  const [late] = (await db('corrective_actions')
    .where('unit_id', unitId)
    .whereNull('deleted_at')
    .where('due_date', '<', reviewDate)
    .whereNotIn('status', ['done', 'verified'])
    .count({ n: '*' })) as Array<{ n: unknown }>;

  const year = Number(reviewDate.slice(0, 4));
  const objectiveRows = (await db('quality_objectives')
    .where({ unit_id: unitId, year })
    .orderBy('id')
    .select('objective', 'target', 'actual', 'achieved')) as Array<Record<string, unknown>>;

  const since = lastReviewDate ?? from;
  const issued = (await db('procedure_revisions as r')
    .join('procedures as p', 'p.id', 'r.procedure_id')
    .where('p.unit_id', unitId)
    .whereIn('r.status', ['issued', 'superseded'])
    .where('r.issue_date', '>', since)
    .where('r.issue_date', '<=', reviewDate)
    .select('r.code', 'r.title', 'r.issue_date as day', 'r.revision_no')) as Array<Record<string, unknown>>;
  // withdrawn_at is a timestamp; compare by its day.
  const withdrawn = (await db('procedure_revisions as r')
    .join('procedures as p', 'p.id', 'r.procedure_id')
    .where('p.unit_id', unitId)
    .where('r.status', 'withdrawn')
    .where('r.withdrawn_at', '>', `${since}T23:59:59.999Z`)
    .where('r.withdrawn_at', '<=', `${reviewDate}T23:59:59.999Z`)
    .select('r.code', 'r.title', 'r.withdrawn_at as day', 'r.revision_no')) as Array<Record<string, unknown>>;
  const changes = [
    ...issued.map((r) => ({
      code: String(r.code),
      title: String(r.title),
      change: 'issued' as const,
      day: String(r.day).slice(0, 10),
      revisionNo: Number(r.revision_no),
    })),
    ...withdrawn.map((r) => ({
      code: String(r.code),
      title: String(r.title),
      change: 'withdrawn' as const,
      day: String(r.day).slice(0, 10),
      revisionNo: Number(r.revision_no),
    })),
  ].sort((a, b) => a.day.localeCompare(b.day) || a.code.localeCompare(b.code));

  const onTime = await onTimeSummary(db, unitId, from, reviewDate);
  const survey = (await tallies(db, from, reviewDate, (q) => q.where('unit_id', unitId))).get(unitId);

  return {
    compiledAt,
    period: { from, to: reviewDate },
    checks,
    findings,
    actions: { byStatus, overdue: toCount(late?.n), total: Object.values(byStatus).reduce((a, b) => a + b, 0) },
    objectives: {
      year,
      items: objectiveRows.map((o) => ({
        objective: String(o.objective),
        target: String(o.target),
        actual: o.actual == null ? null : String(o.actual),
        achieved: o.achieved == null ? null : Boolean(o.achieved),
      })),
    },
    scope: { since, changes },
    onTime: onTime.periods ? onTime : null,
    satisfaction: survey ? { answers: survey.answers, ...indexOf(survey.rated, survey.satisfied, survey.points) } : null,
  };
}
