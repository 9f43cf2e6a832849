import { insertId } from '../../db/helpers.ts';
import type { Scope } from '../../auth/roles.ts';
import type { DocumentFields } from '../../plugins/contract.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import type { Db } from '../../kernel/db.ts';

/** The documents table: records as the service and pages use them, the sources they print from, numbering. */

export const documentStatuses = ['draft', 'approved', 'issued'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

export interface DocumentRecord {
  id: number;
  unitId: number;
  unitName: string;
  unitPath: string;
  type: string;
  year: number;
  numberSeq: number;
  numberText: string;
  numberSuffix: string;
  status: DocumentStatus;
  fields: DocumentFields;
  issueDate: string | null;
  approvedBy: number | null;
  approvedAt: string | null;
  approvedByName: string | null;
  issuedBy: number | null;
  issuedByName: string | null;
  issuedAt: string | null;
  sha256: string | null;
  pdfSize: number | null;
  sourceId: number | null;
  createdAt: string;
}

export const columns = [
  'd.id',
  'd.unit_id',
  'd.type',
  'd.year',
  'd.number_seq',
  'd.number_text',
  'd.status',
  'd.data_json',
  'd.issue_date',
  'd.approved_by',
  'd.approved_at',
  'd.issued_by',
  'd.issued_at',
  'd.sha256',
  'd.pdf_size',
  'd.source_id',
  'd.created_at',
  'u.name as unit_name',
  'u.path as unit_path',
  'ua.full_name as approved_by_name',
  'ui.full_name as issued_by_name',
];

/** The documents with their unit and the names of who approved and issued them. */
export const withNames = (db: Db) =>
  db('documents as d')
    .join('units as u', 'u.id', 'd.unit_id')
    .leftJoin('users as ua', 'ua.id', 'd.approved_by')
    .leftJoin('users as ui', 'ui.id', 'd.issued_by');

export function toRecord(r: Record<string, unknown>): DocumentRecord {
  const data = JSON.parse(String(r.data_json)) as { fields: DocumentFields; numberSuffix: string };
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitName: String(r.unit_name),
    unitPath: String(r.unit_path),
    type: String(r.type),
    year: Number(r.year),
    numberSeq: Number(r.number_seq),
    numberText: String(r.number_text),
    numberSuffix: data.numberSuffix,
    status: r.status as DocumentStatus,
    fields: data.fields,
    issueDate: (r.issue_date as string | null) ?? null,
    approvedBy: num(r.approved_by),
    approvedAt: (r.approved_at as string | null) ?? null,
    approvedByName: (r.approved_by_name as string | null) ?? null,
    issuedBy: num(r.issued_by),
    issuedByName: (r.issued_by_name as string | null) ?? null,
    issuedAt: (r.issued_at as string | null) ?? null,
    sha256: (r.sha256 as string | null) ?? null,
    pdfSize: num(r.pdf_size),
    sourceId: num(r.source_id),
    createdAt: String(r.created_at),
  };
}

export interface ListFilter {
  unitId?: number;
  type?: string;
  year?: number;
  status?: string;
}

/** The documents in a scope, newest year first (at most 500), filtered. */
export async function listDocuments(db: Db, scope: Scope, f: ListFilter): Promise<DocumentRecord[]> {
  const q = withNames(db)
    .orderBy([
      { column: 'd.year', order: 'desc' },
      { column: 'd.id', order: 'desc' },
    ])
    .limit(500);
  whereUnitInScope(q, 'u.path', scope);
  if (f.unitId) q.where('d.unit_id', f.unitId);
  if (f.type) q.where('d.type', f.type);
  if (f.year) q.where('d.year', f.year);
  if (f.status) q.where('d.status', f.status);
  return ((await q.select(columns)) as Array<Record<string, unknown>>).map(toRecord);
}

/** One document whoever asks (callers check the scope). */
export async function loadDocument(db: Db, id: number): Promise<DocumentRecord | undefined> {
  const row = (await withNames(db).where('d.id', id).first(columns)) as Record<string, unknown> | undefined;
  return row ? toRecord(row) : undefined;
}

/** The next free number of a unit, year and type. */
export async function nextSeq(db: Db, unitId: number, year: number, type: string): Promise<number> {
  const row = (await db('documents').where({ unit_id: unitId, year, type }).max({ m: 'number_seq' }).first()) as { m: unknown } | undefined;
  return Number(row?.m ?? 0) + 1;
}

export type SourceKind = 'check' | 'review' | 'inspection';
export interface DocumentSource {
  id: number;
  kind: SourceKind;
  date: string;
  status: string;
}

/** Where each kind of source lives, and its date column (the document's year). */
const sources: Record<SourceKind, { table: string; date: string; soft: boolean }> = {
  check: { table: 'checks', date: 'check_date', soft: false },
  review: { table: 'management_reviews', date: 'review_date', soft: true },
  inspection: { table: 'inspections', date: 'inspection_date', soft: true },
};

/** The checks, management reviews and inspections of a unit a document can be printed from. */
export async function sourcesOf(db: Db, unitId: number): Promise<DocumentSource[]> {
  const out: DocumentSource[] = [];
  for (const [kind, s] of Object.entries(sources) as Array<[SourceKind, (typeof sources)[SourceKind]]>) {
    const q = db(s.table).where('unit_id', unitId).orderBy(s.date, 'desc').limit(200).select('id', `${s.date} as day`, 'status');
    if (s.soft) q.whereNull('deleted_at');
    for (const r of (await q) as Array<Record<string, unknown>>) out.push({ id: Number(r.id), kind, date: String(r.day), status: String(r.status) });
  }
  return out;
}

/** The source a document prints, of the unit (undefined when it is not one of the unit's). */
export async function sourceOf(db: Db, kind: SourceKind, id: number | undefined, unitId: number): Promise<{ id: number; year: number } | undefined> {
  const s = sources[kind];
  if (!id) return undefined;
  const q = db(s.table).where({ id, unit_id: unitId });
  if (s.soft) q.whereNull('deleted_at');
  const row = (await q.first('id', `${s.date} as day`)) as Record<string, unknown> | undefined;
  return row ? { id: Number(row.id), year: Number(String(row.day).slice(0, 4)) } : undefined;
}

export interface NewDocument {
  unitId: number;
  type: string;
  year: number;
  seq: number;
  number: string;
  dataJson: string;
  issueDate: string;
  sourceId: number | null;
  createdBy: number;
  at: string;
}

/** A new draft; answers its id. */
export function insertDraft(trx: Db, d: NewDocument): Promise<number> {
  return insertId(
    trx('documents').insert({
      unit_id: d.unitId,
      type: d.type,
      year: d.year,
      number_seq: d.seq,
      number_text: d.number,
      status: 'draft',
      data_json: d.dataJson,
      issue_date: d.issueDate,
      source_id: d.sourceId,
      created_by: d.createdBy,
      created_at: d.at,
      updated_at: d.at,
    }),
  );
}

/** Whether another document of the unit, year and type already has that number. */
export async function numberUsedByAnother(db: Db, d: Pick<DocumentRecord, 'id' | 'unitId' | 'year' | 'type'>, seq: number): Promise<boolean> {
  return !!(await db('documents').where({ unit_id: d.unitId, year: d.year, type: d.type, number_seq: seq }).whereNot('id', d.id).first('id'));
}

/** Saves a document not yet issued back to draft with its new number and fields; false when it was issued meanwhile. */
export async function saveAsDraft(trx: Db, id: number, d: { seq: number; number: string; issueDate: string; dataJson: string; at: string }): Promise<boolean> {
  const changed = await trx('documents').where('id', id).whereNot('status', 'issued').update({
    number_seq: d.seq,
    number_text: d.number,
    issue_date: d.issueDate,
    status: 'draft',
    approved_by: null,
    approved_at: null,
    data_json: d.dataJson,
    updated_at: d.at,
  });
  return changed > 0;
}

/** Approves a draft; false when it is no longer a draft. */
export async function approveDraft(trx: Db, id: number, userId: number, at: string): Promise<boolean> {
  return (await trx('documents').where({ id, status: 'draft' }).update({ status: 'approved', approved_by: userId, approved_at: at, updated_at: at })) > 0;
}

/** Takes an approved document's row for the issue; false when it is no longer approved. */
export async function holdApproved(trx: Db, id: number, at: string): Promise<boolean> {
  return (await trx('documents').where({ id, status: 'approved' }).update({ updated_at: at })) > 0;
}

/** Stores the issue: issuer, time, date, the bytes and their SHA-256, and the facts printed. */
export async function storeIssued(
  trx: Db,
  id: number,
  d: { userId: number; at: string; issueDate: string; sha256: string; pdf: Buffer; dataJson: string },
): Promise<void> {
  await trx('documents').where('id', id).update({
    status: 'issued',
    issued_by: d.userId,
    issued_at: d.at,
    issue_date: d.issueDate,
    sha256: d.sha256,
    pdf: d.pdf,
    pdf_size: d.pdf.length,
    data_json: d.dataJson,
    updated_at: d.at,
  });
}

/** The stored bytes of a document. */
export async function storedPdf(db: Db, id: number): Promise<Buffer> {
  const row = (await db('documents').where('id', id).first('pdf')) as { pdf: Buffer | Uint8Array };
  return Buffer.from(row.pdf);
}

export interface IssuedLine {
  id: number;
  unitId: number;
  number: string;
  issueDate: string;
  size: number;
}

/** The issued documents of a type and year in a subtree, oldest first. */
export async function issuedUnder(db: Db, path: string, type: string, year: number): Promise<IssuedLine[]> {
  const rows = (await db('documents as d')
    .join('units as u', 'u.id', 'd.unit_id')
    .where('u.path', 'like', `${path}%`)
    .where({ 'd.type': type, 'd.year': year, 'd.status': 'issued' })
    .orderBy('d.id')
    .select('d.id', 'd.unit_id', 'd.number_text', 'd.issue_date', 'd.pdf_size')) as Array<Record<string, unknown>>;
  return rows.map((d) => ({
    id: Number(d.id),
    unitId: Number(d.unit_id),
    number: String(d.number_text),
    issueDate: String(d.issue_date),
    size: Number(d.pdf_size ?? 0),
  }));
}
