import { toCount } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';

/** The unit's data a management review's inputs are compiled from: checks, findings, actions, objectives, procedures. */

export interface SubmittedCheck {
  id: number;
  date: string;
  formId: string;
  formJson: string;
  score: number | null;
  findings: number;
}

/** The unit's submitted checks dated within [from, to], newest first, with their findings not deleted. */
export async function submittedChecksBetween(db: Db, unitId: number, from: string, to: string): Promise<SubmittedCheck[]> {
  const rows = (await db('checks as c')
    .leftJoin(db('check_findings').whereNull('deleted_at').groupBy('check_id').select('check_id', db.raw('count(*) as n')).as('fc'), 'fc.check_id', 'c.id')
    .where('c.unit_id', unitId)
    .where('c.status', 'submitted')
    .whereBetween('c.check_date', [from, to])
    .orderBy([
      { column: 'c.check_date', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .select('c.id', 'c.check_date', 'c.form_id', 'c.form_json', 'c.score', 'fc.n')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: Number(r.id),
    date: String(r.check_date),
    formId: String(r.form_id),
    formJson: String(r.form_json),
    score: r.score == null ? null : Number(r.score),
    findings: toCount(r.n),
  }));
}

/** How many findings (not deleted) of the unit's checks up to `day` there are of each severity and status. */
export async function findingCountsUpTo(db: Db, unitId: number, day: string): Promise<Array<{ severity: string; status: string; n: number }>> {
  const rows = (await db('check_findings as f')
    .join('checks as c', 'c.id', 'f.check_id')
    .where('c.unit_id', unitId)
    .whereNull('f.deleted_at')
    .where('c.check_date', '<=', day)
    .groupBy('f.severity', 'f.status')
    .select('f.severity', 'f.status', db.raw('count(*) as n'))) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ severity: String(r.severity), status: String(r.status), n: toCount(r.n) }));
}

/** How many corrective actions (not deleted) of the unit there are in each status. */
export async function actionCountsByStatus(db: Db, unitId: number): Promise<Array<{ status: string; n: number }>> {
  const rows = (await db('corrective_actions')
    .where('unit_id', unitId)
    .whereNull('deleted_at')
    .groupBy('status')
    .select('status', db.raw('count(*) as n'))) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ status: String(r.status), n: toCount(r.n) }));
}

/** How many of the unit's corrective actions are not done and were due before `day`. */
export async function overdueActionsOn(db: Db, unitId: number, day: string): Promise<number> {
  const [late] = (await db('corrective_actions')
    .where('unit_id', unitId)
    .whereNull('deleted_at')
    .where('due_date', '<', day)
    .whereNotIn('status', ['done', 'verified'])
    .count({ n: '*' })) as Array<{ n: unknown }>;
  return toCount(late?.n);
}

export interface ObjectiveLine {
  objective: string;
  target: string;
  actual: string | null;
  achieved: boolean | null;
}

/** The unit's quality objectives of the year, in the order entered. */
export async function objectivesOfYear(db: Db, unitId: number, year: number): Promise<ObjectiveLine[]> {
  const rows = (await db('quality_objectives').where({ unit_id: unitId, year }).orderBy('id').select('objective', 'target', 'actual', 'achieved')) as Array<
    Record<string, unknown>
  >;
  return rows.map((o) => ({
    objective: String(o.objective),
    target: String(o.target),
    actual: o.actual == null ? null : String(o.actual),
    achieved: o.achieved == null ? null : Boolean(o.achieved),
  }));
}

export interface RevisionChange {
  code: string;
  title: string;
  day: string;
  revisionNo: number;
}

const toChange = (r: Record<string, unknown>): RevisionChange => ({
  code: String(r.code),
  title: String(r.title),
  day: String(r.day).slice(0, 10),
  revisionNo: Number(r.revision_no),
});

/** The revisions of the unit's procedures issued after `since` up to `to` (superseded ones too). */
export async function revisionsIssuedBetween(db: Db, unitId: number, since: string, to: string): Promise<RevisionChange[]> {
  const rows = (await db('procedure_revisions as r')
    .join('procedures as p', 'p.id', 'r.procedure_id')
    .where('p.unit_id', unitId)
    .whereIn('r.status', ['issued', 'superseded'])
    .where('r.issue_date', '>', since)
    .where('r.issue_date', '<=', to)
    .select('r.code', 'r.title', 'r.issue_date as day', 'r.revision_no')) as Array<Record<string, unknown>>;
  return rows.map(toChange);
}

/** The revisions of the unit's procedures withdrawn on a day after `since` up to `to`. */
export async function revisionsWithdrawnBetween(db: Db, unitId: number, since: string, to: string): Promise<RevisionChange[]> {
  // withdrawn_at is a timestamp; compare by its day.
  const rows = (await db('procedure_revisions as r')
    .join('procedures as p', 'p.id', 'r.procedure_id')
    .where('p.unit_id', unitId)
    .where('r.status', 'withdrawn')
    .where('r.withdrawn_at', '>', `${since}T23:59:59.999Z`)
    .where('r.withdrawn_at', '<=', `${to}T23:59:59.999Z`)
    .select('r.code', 'r.title', 'r.withdrawn_at as day', 'r.revision_no')) as Array<Record<string, unknown>>;
  return rows.map(toChange);
}
