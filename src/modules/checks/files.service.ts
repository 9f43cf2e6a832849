import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import { sizeText } from '../../http/uploads.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { findItem } from './checks.logic.ts';
import type { CheckFile, CheckGate } from './checks.types.ts';
import { cleanFileName, evidenceTypeOf } from './evidence.ts';
import { takeOpenCheck } from './checks.repository.ts';
import { deleteAnswer, writePhotoAnswer } from './answers.repository.ts';
import { deleteFile, fileWithContent, filesOf, insertFile, itemFileOf, latestItemFileName } from './check-files.repository.ts';

/** A file as the upload reader hands it over; `tooLarge` when multer stopped at the size limit. */
export interface IncomingFile {
  name: string;
  buffer: Buffer;
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
  return insertFile(
    trx,
    { checkId, itemId: target.itemId ?? null, findingId: target.findingId ?? null, name: f.name, mime: f.mime, buffer: f.buffer, uploadedBy: actor.user.id },
    at,
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
      if (!(await takeOpenCheck(trx, checkId, at, true))) throw new AppError('CHECK_LOCKED');
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

  private answerPhoto(trx: Knex.Transaction, checkId: number, sectionId: string, itemId: string, name: string, actor: Actor, at: string): Promise<void> {
    return writePhotoAnswer(trx, { checkId, sectionId, itemId, value: name, answeredBy: actor.user.id, at });
  }

  /**
   * Takes back an item's evidence file (a wrong photo) while the check is not submitted; the
   * audit log keeps its name and SHA-256. A photo item is then answered by its latest photo left,
   * or unanswered when none is left. A finding's evidence stays with the finding.
   */
  async removeFromItem(actor: Actor, checkId: number, fileId: number): Promise<void> {
    const check = await this.checks.answerable(actor, checkId);
    const file = await itemFileOf(this.db, checkId, fileId);
    if (!file) throw new AppError('NOT_FOUND');
    if (check.status === 'submitted') throw new AppError('CHECK_LOCKED');
    const itemId = file.itemId;
    const found = findItem(check.form, itemId);
    const at = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      // The check's row first, as an upload does: a submit waits for this, or this sees it submitted.
      if (!(await takeOpenCheck(trx, checkId, at))) throw new AppError('CHECK_LOCKED');
      await deleteFile(trx, fileId);
      if (found?.item.answer.type === 'photo') {
        const left = await latestItemFileName(trx, checkId, itemId);
        if (left) await this.answerPhoto(trx, checkId, found.sectionId, itemId, left, actor, at);
        else await deleteAnswer(trx, checkId, itemId);
      }
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'detach',
        entity: 'check',
        entityId: checkId,
        unitId: check.unitId,
        before: { itemId, fileId, fileName: file.fileName, sha256: file.sha256 },
        requestId: actor.requestId,
      });
    });
  }

  /** One file of a check the actor can read, with its content; not found otherwise. */
  async get(actor: Actor, checkId: number, fileId: number): Promise<CheckFile & { content: Buffer }> {
    await this.checks.readable(actor, checkId);
    const file = await fileWithContent(this.db, checkId, fileId);
    if (!file) throw new AppError('NOT_FOUND');
    return file;
  }
}
