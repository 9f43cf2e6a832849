import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import type { Presence } from './inspections.logic.ts';

/** The queries of what an inspection records on site: the attendance, the answers, the files. */

export interface Attendance {
  id: number;
  officialId: number | null;
  fullName: string;
  position: string | null;
  badgeNo: string | null;
  presence: Presence | null;
  reason: string | null;
}

export interface InspectionAnswer {
  attendanceId: number | null;
  itemId: string;
  value: string | null;
  note: string | null;
  answeredAt: string;
}

export interface InspectionFile {
  id: number;
  itemId: string | null;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** The attendance list in its order. */
export async function attendanceOf(db: Db, inspectionId: number): Promise<Attendance[]> {
  const rows = (await db('inspection_attendance')
    .where('inspection_id', inspectionId)
    .orderBy([{ column: 'seq' }, { column: 'id' }])
    .select()) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: Number(r.id),
    officialId: r.official_id === null ? null : Number(r.official_id),
    fullName: String(r.full_name),
    position: (r.position as string | null) ?? null,
    badgeNo: (r.badge_no as string | null) ?? null,
    presence: (r.presence as Presence | null) ?? null,
    reason: (r.reason as string | null) ?? null,
  }));
}

export async function isAttendeeOf(db: Db, inspectionId: number, attendanceId: number): Promise<boolean> {
  return !!(await db('inspection_attendance').where({ id: attendanceId, inspection_id: inspectionId }).first('id'));
}

/** Someone not on the staff list, added at the end of the attendance; the row's id. */
export async function addAttendee(
  trx: Db,
  inspectionId: number,
  p: { fullName: string; position: string | null; badgeNo: string | null },
  at: string,
): Promise<number> {
  const last = (await trx('inspection_attendance').where('inspection_id', inspectionId).max({ m: 'seq' }).first()) as { m: number | null } | undefined;
  return insertId(
    trx('inspection_attendance').insert({
      inspection_id: inspectionId,
      official_id: null,
      full_name: p.fullName,
      position: p.position,
      badge_no: p.badgeNo,
      seq: Number(last?.m ?? 0) + 1,
      created_at: at,
      updated_at: at,
    }),
  );
}

/** Marks one person of the inspection; false when no such person is on its list. */
export async function setPresence(db: Db, inspectionId: number, attendanceId: number, presence: Presence, reason: string | null, at: string): Promise<boolean> {
  const n = await db('inspection_attendance').where({ id: attendanceId, inspection_id: inspectionId }).update({ presence, reason, updated_at: at });
  return n > 0;
}

/** Every answer of the inspection, oldest first. */
export async function answersOf(db: Db, inspectionId: number): Promise<InspectionAnswer[]> {
  const rows = (await db('inspection_answers')
    .where('inspection_id', inspectionId)
    .orderBy('id')
    .select('attendance_id', 'item_id', 'value', 'note', 'answered_at')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    attendanceId: r.attendance_id === null ? null : Number(r.attendance_id),
    itemId: String(r.item_id),
    value: (r.value as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    answeredAt: String(r.answered_at),
  }));
}

export interface AnswerWrite {
  inspectionId: number;
  attendanceId: number | null;
  /** `unit`, or `a<attendance id>` for a person's answer. */
  subject: string;
  itemId: string;
  value: string | null;
  note: string | null;
  answeredBy: number;
  at: string;
}

/** Writes an item's answer over the one stored, or as the first (two first saves at once: a unique violation). */
export async function writeAnswer(trx: Db, a: AnswerWrite): Promise<void> {
  const n = await trx('inspection_answers')
    .where({ inspection_id: a.inspectionId, subject: a.subject, item_id: a.itemId })
    .update({ value: a.value, note: a.note, answered_by: a.answeredBy, answered_at: a.at });
  if (!n)
    await trx('inspection_answers').insert({
      inspection_id: a.inspectionId,
      attendance_id: a.attendanceId,
      subject: a.subject,
      item_id: a.itemId,
      value: a.value,
      note: a.note,
      answered_by: a.answeredBy,
      answered_at: a.at,
    });
}

/** The inspection's files (metadata only), oldest first. */
export async function filesOf(db: Db, inspectionId: number): Promise<InspectionFile[]> {
  const rows = (await db('inspection_files')
    .where('inspection_id', inspectionId)
    .orderBy('id')
    .select('id', 'item_id', 'file_name', 'mime', 'size', 'sha256', 'created_at')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: Number(r.id),
    itemId: (r.item_id as string | null) ?? null,
    fileName: String(r.file_name),
    mime: String(r.mime),
    size: Number(r.size),
    sha256: String(r.sha256),
    createdAt: String(r.created_at),
  }));
}

/** Stores one accepted file with its SHA-256; its id. */
export function insertFile(
  trx: Db,
  f: { inspectionId: number; itemId: string | null; fileName: string; mime: string; sha256: string; content: Buffer; uploadedBy: number },
  at: string,
): Promise<number> {
  return insertId(
    trx('inspection_files').insert({
      inspection_id: f.inspectionId,
      item_id: f.itemId,
      file_name: f.fileName,
      mime: f.mime,
      size: f.content.length,
      sha256: f.sha256,
      content: f.content,
      uploaded_by: f.uploadedBy,
      created_at: at,
    }),
  );
}

/** A file with its content and the inspection it belongs to. */
export async function fileWithContent(db: Db, fileId: number): Promise<{ inspectionId: number; fileName: string; mime: string; content: Buffer } | undefined> {
  const row = (await db('inspection_files').where('id', fileId).first('inspection_id', 'file_name', 'mime', 'content')) as Record<string, unknown> | undefined;
  return row ? { inspectionId: Number(row.inspection_id), fileName: String(row.file_name), mime: String(row.mime), content: row.content as Buffer } : undefined;
}
