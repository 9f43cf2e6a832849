import type { Db } from '../../kernel/db.ts';

/**
 * The facts the reports and decisions print, read from other areas' tables: a unit's procedures,
 * checks, findings, reviews, actions and objectives of a year, its last declaration and merger.
 */

const count = (row: unknown) => Number((row as { n?: unknown } | undefined)?.n ?? 0);
const inYear = (year: number) => `${year}-%`;
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** How many procedures of the unit are in force (issued), templates apart. */
export async function countProceduresInForce(db: Db, unitId: number): Promise<number> {
  return count(await db('procedures').where({ unit_id: unitId, status: 'issued', is_template: false }).first(db.raw('count(*) as n')));
}

/** The revisions of the unit's procedures (templates apart) issued in the year. */
export async function revisionsIssuedIn(db: Db, unitId: number, year: number): Promise<Array<{ procedureId: number; revisionNo: number }>> {
  const rows = (await db('procedure_revisions as r')
    .join('procedures as p', 'p.id', 'r.procedure_id')
    .where('p.unit_id', unitId)
    .where('p.is_template', false)
    .where('r.issue_date', 'like', inYear(year))
    .select('r.procedure_id', 'r.revision_no')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ procedureId: Number(r.procedure_id), revisionNo: Number(r.revision_no) }));
}

/** The unit's submitted internal audits of the year, by date. */
export async function submittedAuditsIn(db: Db, unitId: number, year: number): Promise<Array<{ date: string; score: number | null }>> {
  const rows = (await db('checks')
    .where({ unit_id: unitId, form_id: 'iso-internal-audit', status: 'submitted' })
    .where('check_date', 'like', inYear(year))
    .orderBy('check_date')
    .select('check_date', 'score')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ date: String(r.check_date), score: numOrNull(r.score) }));
}

/** How many findings of the unit's checks of the year there are of each severity. */
export async function findingsBySeverityIn(db: Db, unitId: number, year: number): Promise<Array<{ severity: string; n: number }>> {
  const rows = (await db('check_findings as f')
    .join('checks as c', 'c.id', 'f.check_id')
    .where('c.unit_id', unitId)
    .where('c.check_date', 'like', inYear(year))
    .whereNull('f.deleted_at')
    .groupBy('f.severity')
    .select('f.severity', db.raw('count(*) as n'))) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ severity: String(r.severity), n: count(r) }));
}

/** The unit's management reviews of the year, by date. */
export async function reviewsIn(db: Db, unitId: number, year: number): Promise<Array<{ date: string; status: string }>> {
  const rows = (await db('management_reviews')
    .where('unit_id', unitId)
    .whereNull('deleted_at')
    .where('review_date', 'like', inYear(year))
    .orderBy('review_date')
    .select('review_date', 'status')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ date: String(r.review_date), status: String(r.status) }));
}

/** The status and due date of the unit's corrective actions opened in the year. */
export async function actionsOpenedIn(db: Db, unitId: number, year: number): Promise<Array<{ status: string; dueDate: string | null }>> {
  const rows = (await db('corrective_actions')
    .where('unit_id', unitId)
    .where('created_at', 'like', inYear(year))
    .whereNull('deleted_at')
    .select('status', 'due_date')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ status: String(r.status), dueDate: typeof r.due_date === 'string' ? r.due_date : null }));
}

/** Whether each of the unit's quality objectives of the year was achieved. */
export async function objectivesOf(db: Db, unitId: number, year: number): Promise<Array<{ achieved: boolean }>> {
  const rows = (await db('quality_objectives').where({ unit_id: unitId, year }).select('achieved')) as Array<Record<string, unknown>>;
  return rows.map((o) => ({ achieved: o.achieved === true || o.achieved === 1 }));
}

export interface CheckForReport {
  id: number;
  date: string;
  formJson: string;
  kind: string;
  status: string;
  score: number | null;
}

/** A check of the unit as its report prints it (undefined when it is not one of the unit's). */
export async function checkOfUnit(db: Db, id: number, unitId: number): Promise<CheckForReport | undefined> {
  const c = (await db('checks').where({ id, unit_id: unitId }).first('id', 'check_date', 'form_json', 'kind', 'status', 'score')) as
    Record<string, unknown> | undefined;
  return c
    ? { id: Number(c.id), date: String(c.check_date), formJson: String(c.form_json), kind: String(c.kind), status: String(c.status), score: numOrNull(c.score) }
    : undefined;
}

/** The names of a check's auditors, alphabetically. */
export async function auditorNames(db: Db, checkId: number): Promise<string[]> {
  const rows = (await db('check_auditors as a')
    .join('users as u', 'u.id', 'a.user_id')
    .where('a.check_id', checkId)
    .orderBy('u.full_name')
    .select('u.full_name')) as Array<Record<string, unknown>>;
  return rows.map((r) => String(r.full_name));
}

/** A check's findings not deleted, in the order they were written. */
export async function findingsOfCheck(db: Db, checkId: number): Promise<Array<{ clauseRef: string; itemId: string; severity: string; description: string }>> {
  const rows = (await db('check_findings')
    .where('check_id', checkId)
    .whereNull('deleted_at')
    .orderBy('id')
    .select('clause_ref', 'item_id', 'severity', 'description')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    clauseRef: String(r.clause_ref ?? ''),
    itemId: String(r.item_id),
    severity: String(r.severity),
    description: String(r.description ?? ''),
  }));
}

export interface ProcedureInForce {
  code: string;
  title: string;
  tthcCode: string | null;
  noNationalCode: boolean;
  revisionNo: number | null;
  issueDate: string | null;
}

/** The unit's procedures in force (issued), templates apart, by code, with their TTHC's code. */
export async function proceduresInForceOf(db: Db, unitId: number): Promise<ProcedureInForce[]> {
  const rows = (await db('procedures as p')
    .leftJoin('tthc as t', 't.id', 'p.tthc_id')
    .where({ 'p.unit_id': unitId, 'p.status': 'issued', 'p.is_template': false })
    .orderBy('p.code')
    .select('p.code', 'p.title', 't.code as tthc_code', 't.no_national_code', 'p.revision_no', 'p.issue_date')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    code: String(r.code),
    title: String(r.title),
    tthcCode: (r.tthc_code as string | null) ?? null,
    noNationalCode: r.no_national_code === true || r.no_national_code === 1,
    revisionNo: numOrNull(r.revision_no),
    issueDate: (r.issue_date as string | null) ?? null,
  }));
}

export interface LastMerger {
  mergedOn: string;
  resolutionNumber: string | null;
  resolutionDate: string | null;
  predecessorsJson: string;
}

/** The unit's last recorded merger. */
export async function lastMergerRow(db: Db, unitId: number): Promise<LastMerger | undefined> {
  const m = (await db('unit_mergers').where('unit_id', unitId).orderBy('id', 'desc').first()) as Record<string, unknown> | undefined;
  return m
    ? {
        mergedOn: String(m.merged_on),
        resolutionNumber: (m.resolution_number as string | null) ?? null,
        resolutionDate: (m.resolution_date as string | null) ?? null,
        predecessorsJson: String(m.predecessors_json),
      }
    : undefined;
}

/** The unit's last issued declaration or re-declaration: number, date and stored data. */
export async function lastDeclaration(db: Db, unitId: number): Promise<{ number: string; issueDate: string; dataJson: string } | undefined> {
  const last = (await db('documents')
    .where({ unit_id: unitId, status: 'issued' })
    .whereIn('type', ['declaration', 'redeclaration'])
    .orderBy([
      { column: 'issued_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first('number_text', 'issue_date', 'data_json')) as Record<string, unknown> | undefined;
  return last ? { number: String(last.number_text), issueDate: String(last.issue_date), dataJson: String(last.data_json) } : undefined;
}
