import crypto from 'node:crypto';
import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import type { CheckFile } from './checks.types.ts';
import { evidenceTypes, extensionOf } from './evidence.ts';

/** The queries of a check's evidence files (content in the database, with its SHA-256). */

const metaColumns = ['f.id', 'f.item_id', 'f.finding_id', 'f.file_name', 'f.mime', 'f.size', 'f.sha256', 'f.uploaded_by', 'u.full_name', 'f.created_at'];

function toFile(r: Record<string, unknown>): CheckFile {
  return {
    id: Number(r.id),
    itemId: (r.item_id as string | null) ?? null,
    findingId: r.finding_id === null || r.finding_id === undefined ? null : Number(r.finding_id),
    fileName: String(r.file_name),
    mime: String(r.mime),
    size: Number(r.size),
    sha256: String(r.sha256),
    image: !!evidenceTypes[extensionOf(String(r.file_name))]?.image,
    uploadedBy: Number(r.uploaded_by),
    uploadedByName: String(r.full_name),
    createdAt: String(r.created_at),
  };
}

/** The evidence files of a check (metadata only), oldest first. */
export async function filesOf(db: Db, checkId: number): Promise<CheckFile[]> {
  const rows = (await db('check_files as f')
    .join('users as u', 'u.id', 'f.uploaded_by')
    .where('f.check_id', checkId)
    .orderBy('f.id')
    .select(metaColumns)) as Array<Record<string, unknown>>;
  return rows.map(toFile);
}

/** One file of the check with its content. */
export async function fileWithContent(db: Db, checkId: number, fileId: number): Promise<(CheckFile & { content: Buffer }) | undefined> {
  const row = (await db('check_files as f')
    .join('users as u', 'u.id', 'f.uploaded_by')
    .where({ 'f.id': fileId, 'f.check_id': checkId })
    .first([...metaColumns, 'f.content'])) as Record<string, unknown> | undefined;
  return row ? { ...toFile(row), content: Buffer.from(row.content as Buffer) } : undefined;
}

/** A file of the check attached to an item (not to a finding). */
export async function itemFileOf(
  db: Db,
  checkId: number,
  fileId: number,
): Promise<{ id: number; itemId: string; fileName: string; sha256: string } | undefined> {
  const row = (await db('check_files').where({ id: fileId, check_id: checkId }).whereNotNull('item_id').first('id', 'item_id', 'file_name', 'sha256')) as
    Record<string, unknown> | undefined;
  return row ? { id: Number(row.id), itemId: String(row.item_id), fileName: String(row.file_name), sha256: String(row.sha256) } : undefined;
}

export interface NewCheckFile {
  checkId: number;
  itemId: string | null;
  findingId: number | null;
  name: string;
  mime: string;
  buffer: Buffer;
  uploadedBy: number;
}

/** Stores one file with its SHA-256; its id. */
export function insertFile(trx: Db, f: NewCheckFile, at: string): Promise<number> {
  return insertId(
    trx('check_files').insert({
      check_id: f.checkId,
      item_id: f.itemId,
      finding_id: f.findingId,
      file_name: f.name,
      mime: f.mime,
      size: f.buffer.length,
      sha256: crypto.createHash('sha256').update(f.buffer).digest('hex'),
      content: f.buffer,
      uploaded_by: f.uploadedBy,
      created_at: at,
      updated_at: at,
    }),
  );
}

export async function deleteFile(trx: Db, fileId: number): Promise<void> {
  await trx('check_files').where('id', fileId).del();
}

/** The name of an item's latest file, if one is left. */
export async function latestItemFileName(trx: Db, checkId: number, itemId: string): Promise<string | undefined> {
  const left = (await trx('check_files').where({ check_id: checkId, item_id: itemId }).orderBy('id', 'desc').first('file_name')) as
    { file_name: string } | undefined;
  return left?.file_name;
}
