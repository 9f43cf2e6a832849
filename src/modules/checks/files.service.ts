import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import { sizeText } from '../../http/uploads.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { insertId } from '../../db/helpers.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { findItem } from './checks.logic.ts';
import type { CheckFile, CheckGate } from './checks.types.ts';
import { cleanFileName, evidenceTypeOf, evidenceTypes, extensionOf } from './evidence.ts';
import type { Db } from '../../kernel/db.ts';

/** A file as the upload reader hands it over; `tooLarge` when multer stopped at the size limit. */
export interface IncomingFile {
  name: string;
  buffer: Buffer;
}

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

/**
 * Checks one file against the allow-list, the size limit and its own first bytes. Throws a
 * validation error on `field` (the page shows it next to the item), so nothing is stored.
 */
export function acceptFile(file: IncomingFile | undefined, problem: unknown, maxBytes: number, field: string): { name: string; mime: string; buffer: Buffer } {
  if (problem === 'too_large' || (file && file.buffer.length > maxBytes))
    throw new AppError('VALIDATION_FAILED', {}, { [field]: { key: 'v.check_file_too_large', params: { size: sizeText(maxBytes) } } });
  if (problem || !file) throw new AppError('VALIDATION_FAILED', {}, { [field]: { key: 'v.check_file_missing' } });
  const name = cleanFileName(file.name);
  const t = evidenceTypeOf(name, file.buffer);
  if ('error' in t) throw new AppError('VALIDATION_FAILED', {}, { [field]: { key: t.error } });
  return { name, mime: t.type.mime, buffer: file.buffer };
}

/** Stores one accepted file in the caller's transaction and returns its id. */
export async function storeFile(
  trx: Knex.Transaction,
  at: string,
  actor: Actor,
  checkId: number,
  target: { itemId?: string; findingId?: number },
  f: { name: string; mime: string; buffer: Buffer },
): Promise<number> {
  return insertId(
    trx('check_files').insert({
      check_id: checkId,
      item_id: target.itemId ?? null,
      finding_id: target.findingId ?? null,
      file_name: f.name,
      mime: f.mime,
      size: f.buffer.length,
      sha256: crypto.createHash('sha256').update(f.buffer).digest('hex'),
      content: f.buffer,
      uploaded_by: actor.user.id,
      created_at: at,
      updated_at: at,
    }),
  );
}

/**
 * Evidence files and photos per item: stored in the database with their SHA-256 (the evidence
 * of an audit must be the file that was seen), refused once the check is submitted.
 */
export class CheckFilesService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly checks: CheckGate,
    readonly maxBytes: number,
  ) {}

  async uploadForItem(actor: Actor, checkId: number, itemId: string, file: IncomingFile | undefined, problem?: unknown): Promise<CheckFile> {
    const check = await this.checks.answerable(actor, checkId);
    const found = findItem(check.form, itemId);
    if (!found) throw new AppError('NOT_FOUND');
    if (check.status === 'submitted') throw new AppError('CHECK_LOCKED');
    const accepted = acceptFile(file, problem, this.maxBytes, `f.${itemId}`);
    const at = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      // The check's row first, as an answer's save does: a submit waits for this upload, or this
      // upload sees the check submitted.
      const open = await trx('checks').where('id', checkId).whereNot('status', 'submitted').update({ status: 'in_progress', updated_at: at });
      if (!open) throw new AppError('CHECK_LOCKED');
      const fileId = await storeFile(trx, at, actor, checkId, { itemId }, accepted);
      // A photo item is answered by its photo: the answer names the file, so that progress,
      // the mandatory rule and the form's `empty` finding rule see it.
      if (found.item.answer.type === 'photo') await this.answerPhoto(trx, checkId, found.sectionId, itemId, accepted.name, actor, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'attach',
        entity: 'check',
        entityId: checkId,
        unitId: check.unitId,
        after: { itemId, fileId, fileName: accepted.name, size: accepted.buffer.length },
        requestId: actor.requestId,
      });
      return fileId;
    });
    return (await filesOf(this.db, checkId)).find((f) => f.id === id)!;
  }

  private async answerPhoto(trx: Knex.Transaction, checkId: number, sectionId: string, itemId: string, name: string, actor: Actor, at: string): Promise<void> {
    const prev = (await trx('check_answers').where({ check_id: checkId, item_id: itemId }).first('id', 'version')) as
      { id: number; version: number } | undefined;
    if (prev)
      await trx('check_answers')
        .where('id', prev.id)
        .update({ value: name, answered_by: actor.user.id, answered_at: at, version: Number(prev.version) + 1 });
    else
      await trx('check_answers').insert({
        check_id: checkId,
        section_id: sectionId,
        item_id: itemId,
        value: name,
        note: null,
        answered_by: actor.user.id,
        answered_at: at,
        version: 1,
      });
  }

  /**
   * Takes back an item's evidence file (a wrong photo) while the check is not submitted; the
   * audit log keeps its name and SHA-256. A photo item is then answered by its latest photo left,
   * or unanswered when none is left. A finding's evidence stays with the finding.
   */
  async removeFromItem(actor: Actor, checkId: number, fileId: number): Promise<void> {
    const check = await this.checks.answerable(actor, checkId);
    const file = (await this.db('check_files')
      .where({ id: fileId, check_id: checkId })
      .whereNotNull('item_id')
      .first('id', 'item_id', 'file_name', 'sha256')) as Record<string, unknown> | undefined;
    if (!file) throw new AppError('NOT_FOUND');
    if (check.status === 'submitted') throw new AppError('CHECK_LOCKED');
    const itemId = String(file.item_id);
    const found = findItem(check.form, itemId);
    const at = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      // The check's row first, as an upload does: a submit waits for this, or this sees it submitted.
      const open = await trx('checks').where('id', checkId).whereNot('status', 'submitted').update({ updated_at: at });
      if (!open) throw new AppError('CHECK_LOCKED');
      await trx('check_files').where('id', fileId).del();
      if (found?.item.answer.type === 'photo') {
        const left = (await trx('check_files').where({ check_id: checkId, item_id: itemId }).orderBy('id', 'desc').first('file_name')) as
          { file_name: string } | undefined;
        if (left) await this.answerPhoto(trx, checkId, found.sectionId, itemId, left.file_name, actor, at);
        else await trx('check_answers').where({ check_id: checkId, item_id: itemId }).del();
      }
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'detach',
        entity: 'check',
        entityId: checkId,
        unitId: check.unitId,
        before: { itemId, fileId, fileName: String(file.file_name), sha256: String(file.sha256) },
        requestId: actor.requestId,
      });
    });
  }

  /** One file of a check the actor can read, with its content; not found otherwise. */
  async get(actor: Actor, checkId: number, fileId: number): Promise<CheckFile & { content: Buffer }> {
    await this.checks.readable(actor, checkId);
    const row = (await this.db('check_files as f')
      .join('users as u', 'u.id', 'f.uploaded_by')
      .where({ 'f.id': fileId, 'f.check_id': checkId })
      .first([...metaColumns, 'f.content'])) as Record<string, unknown> | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return { ...toFile(row), content: Buffer.from(row.content as Buffer) };
  }
}
