import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import type { Severity } from '../../plugins/contract.ts';
import type { RaisedFinding } from './checks.logic.ts';
import type { Finding } from './checks.types.ts';

/** The queries of a check's findings, raised by the form's rules or added by hand. */

/** The findings of a check (automatic and by hand, removed ones left out), oldest first. */
export async function findingsOf(db: Db, checkId: number): Promise<Finding[]> {
  const actions = db('corrective_actions')
    .whereNull('deleted_at')
    .groupBy('finding_id')
    .select('finding_id', db.raw('count(*) as action_count'), db.raw("sum(case when status = 'verified' then 1 else 0 end) as verified_count"))
    .as('a');
  const rows = (await db('check_findings as f')
    .leftJoin('procedures as p', 'p.id', 'f.procedure_id')
    .leftJoin(actions, 'a.finding_id', 'f.id')
    .where('f.check_id', checkId)
    .whereNull('f.deleted_at')
    .orderBy('f.id')
    .select('f.*', 'p.code as procedure_code', 'p.title as procedure_title', 'a.action_count', 'a.verified_count')) as Array<Record<string, unknown>>;
  return rows.map((f) => ({
    id: Number(f.id),
    sectionId: String(f.section_id),
    itemId: String(f.item_id),
    severity: f.severity as Severity,
    clauseRef: String(f.clause_ref),
    answer: (f.answer as string | null) ?? null,
    source: String(f.source),
    description: (f.description as string | null) ?? null,
    procedureId: f.procedure_id === null || f.procedure_id === undefined ? null : Number(f.procedure_id),
    procedureCode: (f.procedure_code as string | null) ?? null,
    procedureTitle: (f.procedure_title as string | null) ?? null,
    createdBy: f.created_by === null || f.created_by === undefined ? null : Number(f.created_by),
    status: String(f.status),
    actionCount: Number(f.action_count ?? 0),
    verifiedCount: Number(f.verified_count ?? 0),
  }));
}

/** The findings a submit raises, in one statement. */
export async function insertRaisedFindings(trx: Db, checkId: number, raised: RaisedFinding[], at: string): Promise<void> {
  if (!raised.length) return;
  await trx('check_findings').insert(
    raised.map((f) => ({
      check_id: checkId,
      section_id: f.sectionId,
      item_id: f.itemId,
      severity: f.severity,
      clause_ref: f.clauseRef,
      answer: f.answer,
      source: 'automatic',
      created_at: at,
    })),
  );
}

export interface ManualFinding {
  checkId: number;
  sectionId: string;
  itemId: string;
  severity: Severity;
  clauseRef: string;
  description: string;
  procedureId: number | null;
  createdBy: number;
}

/** A finding added by hand; its id. */
export function insertManualFinding(trx: Db, f: ManualFinding, at: string): Promise<number> {
  return insertId(
    trx('check_findings').insert({
      check_id: f.checkId,
      section_id: f.sectionId,
      item_id: f.itemId,
      severity: f.severity,
      clause_ref: f.clauseRef,
      answer: null,
      source: 'manual',
      description: f.description,
      procedure_id: f.procedureId,
      created_by: f.createdBy,
      created_at: at,
    }),
  );
}
