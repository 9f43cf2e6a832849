import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import type { FormDefinition } from '../../plugins/contract.ts';
import type { Check, CheckKind, CheckStatus, LoadedCheck, ProcedureRef } from './checks.types.ts';

/** The queries of checks themselves: the check row, its auditors and the procedures of its scope. */

const checkColumns = [
  'c.id',
  'c.unit_id',
  'c.form_id',
  'c.form_version',
  'c.form_json',
  'c.check_date',
  'c.kind',
  'c.status',
  'c.score',
  'c.submitted_at',
  'c.created_at',
  'c.signed_off_by',
  'c.signed_off_at',
  'c.previous_check_id',
  'u.path as unit_path',
  'u.name as unit_name',
];

const nullableId = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toCheck(r: Record<string, unknown>, known?: FormDefinition): LoadedCheck {
  const form = known ?? (JSON.parse(String(r.form_json)) as FormDefinition);
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitPath: String(r.unit_path),
    unitName: String(r.unit_name),
    formId: String(r.form_id),
    formVersion: Number(r.form_version),
    formTitle: form.title,
    checkDate: String(r.check_date),
    kind: r.kind as CheckKind,
    status: r.status as CheckStatus,
    score: r.score === null || r.score === undefined ? null : Number(r.score),
    submittedAt: (r.submitted_at as string | null) ?? null,
    createdAt: String(r.created_at),
    form,
    signedOffBy: nullableId(r.signed_off_by),
    signedOffAt: (r.signed_off_at as string | null) ?? null,
    previousCheckId: nullableId(r.previous_check_id),
  };
}

/** A unit's checks, newest first (each with its form's title, read from the frozen copy). */
export async function checksOfUnit(db: Db, unitId: number): Promise<Check[]> {
  const rows = (await db('checks as c')
    .join('units as u', 'u.id', 'c.unit_id')
    .where('c.unit_id', unitId)
    .orderBy([
      { column: 'c.check_date', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .select(checkColumns)) as Array<Record<string, unknown>>;
  return rows.map((r) => {
    const { form: _form, ...c } = toCheck(r);
    return c;
  });
}

/**
 * The check by id with its unit's path and name. With `known` (the frozen form already read),
 * the form's column is not read again.
 */
export async function findCheck(db: Db, id: number, known?: FormDefinition): Promise<LoadedCheck | undefined> {
  const row = (await db('checks as c')
    .join('units as u', 'u.id', 'c.unit_id')
    .where('c.id', id)
    .first(known ? checkColumns.filter((c) => c !== 'c.form_json') : checkColumns)) as Record<string, unknown> | undefined;
  return row ? toCheck(row, known) : undefined;
}

export async function isCheckOfUnit(db: Db, id: number, unitId: number): Promise<boolean> {
  return !!(await db('checks').where({ id, unit_id: unitId }).first('id'));
}

export interface NewCheck {
  unitId: number;
  form: FormDefinition;
  checkDate: string;
  kind: CheckKind;
  createdBy: number;
  previousCheckId: number | null;
  auditorIds: number[];
  procedureIds: number[];
}

/** A planned check with its auditors and the procedures of its scope; its id. */
export async function insertCheck(trx: Db, c: NewCheck, at: string): Promise<number> {
  const id = await insertId(
    trx('checks').insert({
      unit_id: c.unitId,
      form_id: c.form.id,
      form_version: c.form.version,
      form_json: JSON.stringify(c.form),
      check_date: c.checkDate,
      kind: c.kind,
      status: 'planned',
      created_by: c.createdBy,
      created_at: at,
      updated_at: at,
      previous_check_id: c.previousCheckId,
    }),
  );
  if (c.auditorIds.length) await trx('check_auditors').insert(c.auditorIds.map((user_id) => ({ check_id: id, user_id })));
  if (c.procedureIds.length) await trx('check_procedures').insert(c.procedureIds.map((procedure_id) => ({ check_id: id, procedure_id })));
  return id;
}

export async function isAuditor(db: Db, checkId: number, userId: number): Promise<boolean> {
  return !!(await db('check_auditors').where({ check_id: checkId, user_id: userId }).first('user_id'));
}

/** The auditors named on a check, by name. */
export async function auditorsOf(db: Db, checkId: number): Promise<Array<{ id: number; username: string; fullName: string }>> {
  const rows = (await db('check_auditors as ca')
    .join('users as u', 'u.id', 'ca.user_id')
    .where('ca.check_id', checkId)
    .orderBy('u.full_name')
    .select('u.id', 'u.username', 'u.full_name')) as Array<Record<string, unknown>>;
  return rows.map((a) => ({ id: Number(a.id), username: String(a.username), fullName: String(a.full_name) }));
}

export async function auditorIdsOf(db: Db, checkId: number): Promise<number[]> {
  return ((await db('check_auditors').where('check_id', checkId).pluck('user_id')) as unknown[]).map(Number);
}

/** The procedures in a check's scope, by code. */
export async function scopeProceduresOf(db: Db, checkId: number): Promise<ProcedureRef[]> {
  const rows = (await db('check_procedures as cp')
    .join('procedures as p', 'p.id', 'cp.procedure_id')
    .where('cp.check_id', checkId)
    .orderBy('p.code')
    .select('p.id', 'p.code', 'p.title')) as Array<Record<string, unknown>>;
  return rows.map((p) => ({ id: Number(p.id), code: String(p.code), title: String(p.title) }));
}

export async function scopeProcedureIdsOf(db: Db, checkId: number): Promise<number[]> {
  return ((await db('check_procedures').where('check_id', checkId).pluck('procedure_id')) as unknown[]).map(Number);
}

/** The unit's procedures in force (issued) among the given ids, by code. */
export async function issuedProcedures(db: Db, unitId: number, ids?: number[]): Promise<ProcedureRef[]> {
  const q = db('procedures').where({ unit_id: unitId, status: 'issued', is_template: false });
  if (ids) q.whereIn('id', ids);
  const rows = (await q.orderBy('code').select('id', 'code', 'title')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ id: Number(r.id), code: String(r.code), title: String(r.title) }));
}

export async function hasIssuedProcedure(db: Db, unitId: number): Promise<boolean> {
  return !!(await db('procedures').where({ unit_id: unitId, status: 'issued', is_template: false }).first('id'));
}

/** A person's full name (a signer's, an auditor whose answer was replaced). */
export async function fullNameOf(db: Db, userId: number): Promise<string | undefined> {
  const row = (await db('users').where('id', userId).first('full_name')) as { full_name: string } | undefined;
  return row?.full_name;
}

/** A planned check moves on to in progress (its first answer); a check past that is left alone. */
export async function startCheck(db: Db, id: number, at: string): Promise<void> {
  await db('checks').where({ id, status: 'planned' }).update({ status: 'in_progress', updated_at: at });
}

/**
 * Takes the row of a check not yet submitted (in progress from now on with `start`), so that a
 * submit waits for the caller's transaction; false when the check is submitted.
 */
export async function takeOpenCheck(trx: Db, id: number, at: string, start = false): Promise<boolean> {
  const changes: Record<string, unknown> = start ? { status: 'in_progress', updated_at: at } : { updated_at: at };
  return (await trx('checks').where('id', id).whereNot('status', 'submitted').update(changes)) > 0;
}

/** Takes the row of a check not yet signed off; false when it is. */
export async function takeUnsignedCheck(trx: Db, id: number, at: string): Promise<boolean> {
  return (await trx('checks').where('id', id).whereNull('signed_off_at').update({ updated_at: at })) > 0;
}

export async function markSubmitted(trx: Db, id: number, by: number, at: string, score: number | null): Promise<void> {
  await trx('checks').where('id', id).update({ status: 'submitted', submitted_by: by, submitted_at: at, score });
}

export async function checkStatusOf(db: Db, id: number): Promise<{ status: string; signedOffAt: string | null }> {
  const row = (await db('checks').where('id', id).first('status', 'signed_off_at')) as { status: string; signed_off_at: string | null };
  return { status: row.status, signedOffAt: row.signed_off_at };
}

/** Signs a submitted check off; false when it was signed meanwhile (one of two leaders wins). */
export async function signOffCheck(trx: Db, id: number, by: number, at: string): Promise<boolean> {
  const n = await trx('checks').where({ id, status: 'submitted' }).whereNull('signed_off_at').update({ signed_off_by: by, signed_off_at: at, updated_at: at });
  return n > 0;
}

/** The check a submitted check continues: its id, date and score. */
export async function previousOfSubmitted(db: Db, checkId: number): Promise<{ id: number; checkDate: string; score: number | null } | undefined> {
  const row = (await db('checks as c')
    .join('checks as p', 'p.id', 'c.previous_check_id')
    .where('c.id', checkId)
    .where('c.status', 'submitted')
    .first('p.id', 'p.check_date', 'p.score')) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return { id: Number(row.id), checkDate: String(row.check_date), score: row.score === null ? null : Number(row.score) };
}

/** A unit's ISO state as stored, for the state that follows an internal audit. */
export async function isoStateOf(db: Db, unitId: number): Promise<{ isoState: string; isoStandard: string | null; reason: string | null } | undefined> {
  const row = (await db('units').where('id', unitId).first('iso_state', 'iso_standard', 'iso_state_reason')) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return { isoState: String(row.iso_state), isoStandard: (row.iso_standard as string | null) ?? null, reason: (row.iso_state_reason as string | null) ?? null };
}

/** The frozen form a check is answered against, alone (the corrective actions name its items). */
export async function checkFormOf(db: Db, checkId: number): Promise<FormDefinition | undefined> {
  const row = (await db('checks').where('id', checkId).first('form_json')) as { form_json: string } | undefined;
  return row ? (JSON.parse(row.form_json) as FormDefinition) : undefined;
}
