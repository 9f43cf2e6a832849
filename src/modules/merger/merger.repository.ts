import type { Db } from '../../kernel/db.ts';
import { foldForSearch } from '../../lib/text.ts';
import type { SourceProcedure, SourceTthc } from './merger.logic.ts';

/** The queries of the merger area: what predecessors hold, and what was carried already. */

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v == null ? null : String(v));

/** The TTHC the predecessors have in their scope (not dropped). */
export async function scopeOf(db: Db, unitIds: number[]): Promise<SourceTthc[]> {
  if (!unitIds.length) return [];
  const rows = (await db('unit_tthc as ut')
    .join('tthc as t', 't.id', 'ut.tthc_id')
    .whereIn('ut.unit_id', unitIds)
    .whereNull('ut.dropped_at')
    .orderBy('t.code')
    .select('ut.unit_id', 't.id', 't.code', 't.name', 't.field')) as Row[];
  return rows.map((r) => ({ unitId: Number(r.unit_id), tthcId: Number(r.id), code: String(r.code), name: String(r.name), field: String(r.field) }));
}

/** The predecessors' issued procedures (templates apart), each with its revision in force. */
export async function issuedOf(db: Db, unitIds: number[]): Promise<SourceProcedure[]> {
  if (!unitIds.length) return [];
  const rows = (await db('procedures as p')
    .join('units as u', 'u.id', 'p.unit_id')
    .leftJoin('tthc as t', 't.id', 'p.tthc_id')
    .whereIn('p.unit_id', unitIds)
    .where('p.status', 'issued')
    .where('p.is_template', false)
    .orderBy('p.code')
    .select(
      'p.id',
      'p.unit_id',
      'u.name as unit_name',
      'p.code',
      'p.title',
      'p.tthc_id',
      't.code as tthc_code',
      't.name as tthc_name',
      'p.issue_date',
    )) as Row[];
  if (!rows.length) return [];
  // The revision in force: the issued one (a procedure has one at a time).
  const revs = (await db('procedure_revisions as r')
    .whereIn(
      'r.procedure_id',
      rows.map((r) => Number(r.id)),
    )
    .where('r.status', 'issued')
    .select(
      'r.id',
      'r.procedure_id',
      'r.revision_no',
      'r.issue_date',
      db.raw('(select count(*) from procedure_steps s where s.revision_id = r.id) as steps'),
    )) as Row[];
  const byProc = new Map<number, Row>();
  for (const r of revs) {
    const cur = byProc.get(Number(r.procedure_id));
    if (!cur || Number(r.revision_no) > Number(cur.revision_no)) byProc.set(Number(r.procedure_id), r);
  }
  return rows.flatMap((r) => {
    const rev = byProc.get(Number(r.id));
    if (!rev) return [];
    return [
      {
        id: Number(r.id),
        unitId: Number(r.unit_id),
        unitName: String(r.unit_name),
        code: String(r.code),
        title: String(r.title),
        tthcId: r.tthc_id == null ? null : Number(r.tthc_id),
        tthcCode: str(r.tthc_code),
        tthcName: str(r.tthc_name),
        revisionId: Number(rev.id),
        revisionNo: Number(rev.revision_no),
        issueDate: str(rev.issue_date) ?? str(r.issue_date),
        steps: Number(rev.steps ?? 0),
      },
    ];
  });
}

/** The unit's procedures carried over so far, by source procedure id. */
export async function carriedInto(db: Db, unitId: number): Promise<Map<number, { id: number; code: string; title: string; status: string }>> {
  const rows = (await db('procedures')
    .where('unit_id', unitId)
    .whereNotNull('carried_from_id')
    .select('id', 'code', 'title', 'status', 'carried_from_id')) as Row[];
  return new Map(rows.map((r) => [Number(r.carried_from_id), { id: Number(r.id), code: String(r.code), title: String(r.title), status: String(r.status) }]));
}

export async function codesOf(db: Db, unitId: number): Promise<Set<string>> {
  const rows = (await db('procedures').where('unit_id', unitId).select('code')) as Row[];
  return new Set(rows.map((r) => String(r.code)));
}

export async function markCarried(trx: Db, procedureId: number, sourceId: number, label: string): Promise<void> {
  await trx('procedures').where('id', procedureId).update({ carried_from_id: sourceId, carried_from_label: label });
}

/** The new unit's province's TTHC matching a predecessor's: by code, or by folded name where uncoded. */
export async function tthcInProvince(db: Db, provinceId: number, code: string | null, name: string): Promise<number | undefined> {
  if (code) {
    const r = (await db('tthc').where({ province_id: provinceId, code }).whereNull('retired_at').first('id')) as Row | undefined;
    return r ? Number(r.id) : undefined;
  }
  const folded = foldForSearch(name);
  const rows = (await db('tthc').where('province_id', provinceId).whereNull('retired_at').select('id', 'name')) as Row[];
  const hit = rows.find((r) => foldForSearch(String(r.name)) === folded);
  return hit ? Number(hit.id) : undefined;
}

export interface OpenFinding {
  id: number;
  unitId: number;
  checkId: number;
  checkDate: string;
  severity: string;
  clauseRef: string;
}

export interface OpenAction {
  id: number;
  unitId: number;
  action: string;
  dueDate: string;
  status: string;
}

/** Findings still open and corrective actions not done of the given units. */
export async function openWorkOf(db: Db, unitIds: number[]): Promise<{ findings: OpenFinding[]; actions: OpenAction[] }> {
  if (!unitIds.length) return { findings: [], actions: [] };
  const findings = (await db('check_findings as f')
    .join('checks as k', 'k.id', 'f.check_id')
    .whereIn('k.unit_id', unitIds)
    .where('f.status', 'open')
    .whereNull('f.deleted_at')
    .orderBy('k.check_date')
    .select('f.id', 'k.unit_id', 'k.id as check_id', 'k.check_date', 'f.severity', 'f.clause_ref')) as Row[];
  const actions = (await db('corrective_actions')
    .whereIn('unit_id', unitIds)
    .whereNotIn('status', ['done', 'verified'])
    .whereNull('deleted_at')
    .orderBy('due_date')
    .select('id', 'unit_id', 'action', 'due_date', 'status')) as Row[];
  return {
    findings: findings.map((r) => ({
      id: Number(r.id),
      unitId: Number(r.unit_id),
      checkId: Number(r.check_id),
      checkDate: String(r.check_date),
      severity: String(r.severity),
      clauseRef: String(r.clause_ref),
    })),
    actions: actions.map((r) => ({
      id: Number(r.id),
      unitId: Number(r.unit_id),
      action: String(r.action),
      dueDate: String(r.due_date),
      status: String(r.status),
    })),
  };
}
