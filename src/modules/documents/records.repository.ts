import type { Db } from '../../kernel/db.ts';

/** What the records and notices print of a management review and of an inspection of the unit. */

export interface ReviewForMinutes {
  status: string;
  date: string;
  chairedBy: string;
  attendees: string;
  decisions: string;
  inputsJson: string;
}

/** A management review of the unit, not deleted (undefined when it is not one of the unit's). */
export async function reviewOfUnit(db: Db, id: number, unitId: number): Promise<ReviewForMinutes | undefined> {
  const r = (await db('management_reviews').where({ id, unit_id: unitId }).whereNull('deleted_at').first()) as Record<string, unknown> | undefined;
  return r
    ? {
        status: String(r.status),
        date: String(r.review_date),
        chairedBy: String(r.chaired_by ?? ''),
        attendees: String(r.attendees ?? ''),
        decisions: String(r.decisions ?? ''),
        inputsJson: String(r.inputs_json ?? '{}'),
      }
    : undefined;
}

export interface InspectionForRecord {
  id: number;
  status: string;
  date: string;
  kind: string;
  formJson: string;
  team: string;
  teamLeader: string;
  representative: string;
  arrivedAt: string | null;
  closedAt: string | null;
}

/** An inspection of the unit, not deleted, with its team's name. */
export async function inspectionOfUnit(db: Db, id: number, unitId: number): Promise<InspectionForRecord | undefined> {
  const i = (await db('inspections as i')
    .leftJoin('inspection_teams as t', 't.id', 'i.team_id')
    .where({ 'i.id': id, 'i.unit_id': unitId })
    .whereNull('i.deleted_at')
    .first('i.*', 't.name as team_name')) as Record<string, unknown> | undefined;
  return i
    ? {
        id: Number(i.id),
        status: String(i.status),
        date: String(i.inspection_date),
        kind: String(i.kind),
        formJson: String(i.form_json),
        team: String(i.team_name ?? ''),
        teamLeader: String(i.team_leader_name ?? ''),
        representative: String(i.unit_representative_name ?? ''),
        arrivedAt: (i.arrived_at as string | null) ?? null,
        closedAt: (i.closed_at as string | null) ?? null,
      }
    : undefined;
}

/** The presence of each person on the inspection's list (null: not yet marked). */
export async function presencesOf(db: Db, inspectionId: number): Promise<Array<string | null>> {
  const rows = (await db('inspection_attendance').where('inspection_id', inspectionId).select('presence')) as Array<{ presence: string | null }>;
  return rows.map((r) => r.presence);
}

/** The inspection's violations in the order written: of a person (`personal`) or of the unit. */
export async function violationsOf(db: Db, inspectionId: number): Promise<Array<{ personal: boolean; kind: string; severity: string }>> {
  const rows = (await db('inspection_violations').where('inspection_id', inspectionId).orderBy('id').select('attendance_id', 'kind', 'severity')) as Array<
    Record<string, unknown>
  >;
  return rows.map((v) => ({ personal: v.attendance_id !== null && v.attendance_id !== undefined, kind: String(v.kind), severity: String(v.severity) }));
}

/** The inspection's conclusion, when it has one. */
export async function conclusionOf(db: Db, inspectionId: number): Promise<{ text: string; at: string } | undefined> {
  const c = (await db('inspection_conclusions').where('inspection_id', inspectionId).first('text', 'concluded_at')) as Record<string, unknown> | undefined;
  return c ? { text: String(c.text), at: String(c.concluded_at) } : undefined;
}

/** The corrections the inspection asked for, in the order written. */
export async function correctionsOf(db: Db, inspectionId: number): Promise<Array<{ text: string; responsible: string; deadline: string; status: string }>> {
  const rows = (await db('inspection_corrections')
    .where('inspection_id', inspectionId)
    .orderBy('id')
    .select('text', 'responsible', 'deadline', 'status')) as Array<Record<string, unknown>>;
  return rows.map((x) => ({ text: String(x.text), responsible: String(x.responsible), deadline: String(x.deadline), status: String(x.status) }));
}
