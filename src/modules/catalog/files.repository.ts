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
