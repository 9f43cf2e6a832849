import type { Scope } from '../../auth/roles.ts';
import type { Db } from '../../kernel/db.ts';
import type { Severity } from '../../plugins/contract.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import type { DerivedViolation } from './inspections.logic.ts';

/** The queries of an inspection's record: its violations, its conclusion and the corrections it requires. */

export type CorrectionStatus = 'open' | 'answered' | 'accepted' | 'returned';

export interface Violation extends DerivedViolation {
  id: number;
}

export interface Correction {
  id: number;
  inspectionId: number;
  unitId: number;
  text: string;
  responsible: string;
  deadline: string;
  status: CorrectionStatus;
  answer: string | null;
  answeredAt: string | null;
  evidenceFileId: number | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  overdue: boolean;
}

export interface Conclusion {
  text: string;
  concludedAt: string;
  concludedBy: number | null;
}

/** A correction as stored; overdue when its deadline is before `today` and it is still to do. */
function toCorrection(r: Record<string, unknown>, today: string): Correction {
  const status = r.status as CorrectionStatus;
  return {
    id: Number(r.id),
    inspectionId: Number(r.inspection_id),
    unitId: Number(r.unit_id),
    text: String(r.text),
    responsible: String(r.responsible),
    deadline: String(r.deadline),
    status,
    answer: (r.answer as string | null) ?? null,
    answeredAt: (r.answered_at as string | null) ?? null,
    evidenceFileId: r.evidence_file_id === null || r.evidence_file_id === undefined ? null : Number(r.evidence_file_id),
    reviewNote: (r.review_note as string | null) ?? null,
    reviewedAt: (r.reviewed_at as string | null) ?? null,
    overdue: String(r.deadline) < today && (status === 'open' || status === 'returned'),
  };
}

export async function violationsOf(db: Db, inspectionId: number): Promise<Violation[]> {
  const rows = (await db('inspection_violations').where('inspection_id', inspectionId).orderBy('id').select()) as Array<Record<string, unknown>>;
  return rows.map((v) => ({
    id: Number(v.id),
    attendanceId: v.attendance_id === null ? null : Number(v.attendance_id),
    officialId: v.official_id === null ? null : Number(v.official_id),
    fullName: (v.full_name as string | null) ?? null,
    itemId: String(v.item_id),
    kind: String(v.kind),
    severity: v.severity as Severity,
    answer: (v.answer as string | null) ?? null,
  }));
}

export async function conclusionOf(db: Db, inspectionId: number): Promise<Conclusion | null> {
  const row = (await db('inspection_conclusions').where('inspection_id', inspectionId).first()) as Record<string, unknown> | undefined;
  if (!row) return null;
  return { text: String(row.text), concludedAt: String(row.concluded_at), concludedBy: row.concluded_by === null ? null : Number(row.concluded_by) };
}

export async function correctionsOf(db: Db, inspectionId: number, today: string): Promise<Correction[]> {
  const rows = (await db('inspection_corrections').where('inspection_id', inspectionId).orderBy('id').select()) as Array<Record<string, unknown>>;
  return rows.map((r) => toCorrection(r, today));
}

/** The violations derived when the record closes, counted in the inspection's year and month. */
export async function insertViolations(
  trx: Db,
  inspection: { id: number; unitId: number; inspectionDate: string },
  derived: DerivedViolation[],
  at: string,
): Promise<void> {
  if (!derived.length) return;
  await trx('inspection_violations').insert(
    derived.map((v) => ({
      inspection_id: inspection.id,
      unit_id: inspection.unitId,
      attendance_id: v.attendanceId,
      official_id: v.officialId,
      full_name: v.fullName,
      item_id: v.itemId,
      kind: v.kind,
      severity: v.severity,
      answer: v.answer,
      year: Number(inspection.inspectionDate.slice(0, 4)),
      month: Number(inspection.inspectionDate.slice(5, 7)),
      created_at: at,
    })),
  );
}

export async function markRecordClosed(
  trx: Db,
  id: number,
  signatories: { teamLeaderName: string; unitRepresentativeName: string },
  at: string,
): Promise<void> {
  await trx('inspections').where('id', id).update({
    status: 'record_closed',
    closed_at: at,
    team_leader_name: signatories.teamLeaderName,
    unit_representative_name: signatories.unitRepresentativeName,
  });
}

/**
 * Concludes an inspection whose record is closed, with its text and required corrections; false
 * (nothing written) when it is not in that state.
 */
export async function insertConclusion(
  trx: Db,
  inspection: { id: number; unitId: number },
  text: string,
  corrections: Array<{ text: string; responsible: string; deadline: string }>,
  by: number,
  at: string,
): Promise<boolean> {
  const n = await trx('inspections').where({ id: inspection.id, status: 'record_closed' }).update({ status: 'concluded', updated_at: at });
  if (!n) return false;
  await trx('inspection_conclusions').insert({ inspection_id: inspection.id, text, concluded_at: at, concluded_by: by, created_at: at, updated_at: at });
  for (const c of corrections) {
    await trx('inspection_corrections').insert({
      inspection_id: inspection.id,
      unit_id: inspection.unitId,
      text: c.text,
      responsible: c.responsible,
      deadline: c.deadline,
      status: 'open',
      created_at: at,
      updated_at: at,
    });
  }
  return true;
}

export async function findCorrection(db: Db, id: number, today: string): Promise<Correction | undefined> {
  const row = (await db('inspection_corrections').where('id', id).first()) as Record<string, unknown> | undefined;
  return row ? toCorrection(row, today) : undefined;
}

export async function inspectionIdOfCorrection(db: Db, id: number): Promise<number | undefined> {
  const row = (await db('inspection_corrections').where('id', id).first('inspection_id')) as { inspection_id: number } | undefined;
  return row ? Number(row.inspection_id) : undefined;
}

/** The unit's answer to a correction still to do; false when it was answered or closed meanwhile. */
export async function answerCorrection(trx: Db, id: number, a: { answer: string; by: number; evidenceFileId: number | null }, at: string): Promise<boolean> {
  const n = await trx('inspection_corrections')
    .where('id', id)
    .whereIn('status', ['open', 'returned'])
    .update({ status: 'answered', answer: a.answer, answered_at: at, answered_by: a.by, evidence_file_id: a.evidenceFileId, updated_at: at });
  return n > 0;
}

/** Accepts or returns an answered correction; false when it is no longer answered. */
export async function reviewCorrection(trx: Db, id: number, r: { accept: boolean; note: string | null; by: number }, at: string): Promise<boolean> {
  const n = await trx('inspection_corrections')
    .where({ id, status: 'answered' })
    .update({ status: r.accept ? 'accepted' : 'returned', review_note: r.note, reviewed_by: r.by, reviewed_at: at, updated_at: at });
  return n > 0;
}

/** Corrections of the scope's units not yet accepted (only those overdue with `onlyOverdue`), by deadline; 500 at most. */
export async function pendingCorrections(
  db: Db,
  scope: Scope,
  today: string,
  onlyOverdue: boolean,
): Promise<Array<Correction & { unitName: string; inspectionDate: string }>> {
  const q = db('inspection_corrections as c')
    .join('inspections as i', 'i.id', 'c.inspection_id')
    .join('units as u', 'u.id', 'c.unit_id')
    .whereIn('c.status', ['open', 'returned', 'answered'])
    .whereNull('i.deleted_at')
    .orderBy([{ column: 'c.deadline' }, { column: 'c.id' }])
    .limit(500)
    .select('c.*', 'u.name as unit_name', 'i.inspection_date');
  whereUnitInScope(q, 'u.path', scope);
  if (onlyOverdue) q.where('c.deadline', '<', today).whereIn('c.status', ['open', 'returned']);
  return ((await q) as Array<Record<string, unknown>>).map((r) => ({
    ...toCorrection(r, today),
    unitName: String(r.unit_name),
    inspectionDate: String(r.inspection_date),
  }));
}

export interface DueCorrectionRow {
  id: number;
  unitId: number;
  unitName: string;
  inspectionId: number;
  inspectionDate: string;
  text: string;
  deadline: string;
  teamId: number;
}

/** Corrections still to do with a deadline on or before `until`. */
export async function correctionsDueBy(db: Db, until: string): Promise<DueCorrectionRow[]> {
  const rows = (await db('inspection_corrections as c')
    .join('inspections as i', 'i.id', 'c.inspection_id')
    .join('units as u', 'u.id', 'c.unit_id')
    .whereIn('c.status', ['open', 'returned'])
    .where('c.deadline', '<=', until)
    .whereNull('i.deleted_at')
    .orderBy('c.id')
    .select('c.id', 'c.unit_id', 'u.name as unit_name', 'c.inspection_id', 'i.inspection_date', 'c.text', 'c.deadline', 'i.team_id')) as Array<
    Record<string, unknown>
  >;
  return rows.map((r) => ({
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitName: String(r.unit_name),
    inspectionId: Number(r.inspection_id),
    inspectionDate: String(r.inspection_date),
    text: String(r.text),
    deadline: String(r.deadline),
    teamId: Number(r.team_id),
  }));
}

/** The leaders of the given teams. */
export async function teamLeadersOf(db: Db, teamIds: number[]): Promise<Array<{ teamId: number; userId: number }>> {
  if (!teamIds.length) return [];
  const rows = (await db('inspection_team_members').whereIn('team_id', teamIds).where('is_leader', true).select('team_id', 'user_id')) as Array<
    Record<string, unknown>
  >;
  return rows.map((l) => ({ teamId: Number(l.team_id), userId: Number(l.user_id) }));
}
