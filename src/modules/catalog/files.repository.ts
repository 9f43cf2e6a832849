import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';

export interface StoredFile {
  id: number;
  unitId: number;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  content: Buffer;
}

export async function insertFile(
  trx: Db,
  f: { unitId: number; fileName: string; mime: string; content: Buffer; sha256: string; uploadedBy: number },
  at: string,
): Promise<number> {
  return insertId(
    trx('catalog_files').insert({
      unit_id: f.unitId,
      file_name: f.fileName,
      mime: f.mime,
      size: f.content.length,
      sha256: f.sha256,
      content: f.content,
      uploaded_by: f.uploadedBy,
      created_at: at,
      updated_at: at,
    }),
  );
}

/** Points form `position` of a draft at a file, if the draft is still at `version` (then bumps it). */
export async function setFormFile(trx: Db, revisionId: number, version: number, position: number, fileId: number, at: string): Promise<boolean> {
  const bumped = await trx('procedure_revisions')
    .where({ id: revisionId, version, status: 'draft' })
    .update({ version: version + 1, updated_at: at });
  if (bumped !== 1) return false;
  const n = await trx('procedure_forms').where({ revision_id: revisionId, position }).update({ file_id: fileId, updated_at: at });
  return n === 1;
}

export async function findFile(db: Db, id: number): Promise<StoredFile | undefined> {
  const r = (await db('catalog_files').where('id', id).first()) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    fileName: String(r.file_name),
    mime: String(r.mime),
    size: Number(r.size),
    sha256: String(r.sha256),
    content: Buffer.isBuffer(r.content) ? r.content : Buffer.from(r.content as Uint8Array),
  };
}

/** Of some file ids, those stored for the unit. */
export async function fileIdsOfUnit(db: Db, ids: number[], unitId: number): Promise<Set<number>> {
  const rows = (await db('catalog_files').whereIn('id', ids).where('unit_id', unitId).select('id')) as Array<{ id: number }>;
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * A file's copy for the unit: the same id when the file is the unit's already, a new copy's id
 * when it is another unit's, null when there is no such file.
 */
export async function fileCopyFor(trx: Db, fileId: number, unitId: number, at: string): Promise<number | null> {
  const src = (await trx('catalog_files').where('id', fileId).first()) as Record<string, unknown> | undefined;
  if (!src) return null;
  if (Number(src.unit_id) === unitId) return fileId;
  const [row] = (await trx('catalog_files')
    .insert({
      unit_id: unitId,
      file_name: src.file_name,
      mime: src.mime,
      size: src.size,
      sha256: src.sha256,
      content: src.content,
      uploaded_by: src.uploaded_by,
      created_at: at,
      updated_at: at,
    })
    .returning('id')) as Array<{ id: number } | number>;
  return typeof row === 'number' ? row : Number(row?.id);
}
