import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../http/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { nfc } from '../../lib/text.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../audit/audit.repository.ts';
import { unitFor } from './catalog.scope.ts';
import { pendingIn, procedureFor } from './procedures.access.ts';
import * as files from './files.repository.ts';
import type { UploadedFile } from './excel.read.ts';

/** Files attached to the forms (biểu mẫu) of a procedure, kept in the database per unit. */
export class FilesService {
  constructor(private readonly db: Knex, private readonly clock: Clock) {}

  /**
   * Attaches a file to form number `index` of the draft being written. The upload names the
   * draft's version, so a file never lands on a form that someone else has just moved.
   */
  async attach(actor: Actor, procedureId: number, index: number, version: number, file: UploadedFile & { mime: string } | undefined): Promise<void> {
    await this.db.transaction(async (trx) => {
      // Access first: a procedure out of scope (or unknown) is not found, file or no file.
      const p = await procedureFor(trx, actor, procedureId, ['catalog.write']);
      if (!file || file.buffer.length === 0) throw new AppError('UPLOAD_MISSING');
      const head = await pendingIn(trx, p, ['draft']);
      if (head.version !== version) throw new AppError('STALE_EDIT');
      const at = iso(this.clock.now());
      const name = nfc(file.name).replace(/[\\/\r\n"]/g, '_').slice(0, 255) || 'tep';
      const fileId = await files.insertFile(trx, {
        unitId: p.unitId, fileName: name, mime: file.mime.slice(0, 100) || 'application/octet-stream', content: file.buffer,
        sha256: crypto.createHash('sha256').update(file.buffer).digest('hex'), uploadedBy: actor.user.id,
      }, at);
      if (!(await files.setFormFile(trx, head.id, version, index + 1, fileId, at))) throw new AppError('NOT_FOUND');
      await writeAudit(trx, { at, userId: actor.user.id, action: 'attach', entity: 'procedure', entityId: p.id, unitId: p.unitId,
        after: { form: index + 1, fileId, fileName: name, size: file.buffer.length }, requestId: actor.requestId });
    });
  }

  /** A file of a unit the actor can read, or not found. */
  async get(actor: Actor, id: number): Promise<files.StoredFile> {
    const f = await files.findFile(this.db, id);
    if (!f) throw new AppError('NOT_FOUND');
    await unitFor(this.db, actor, f.unitId, 'catalog.read');
    return f;
  }
}
