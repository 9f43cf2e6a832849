import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { cleanFileName } from '../../kernel/files/file-name.ts';
import { sniffFile } from '../../kernel/files/sniff.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { unitFor } from './catalog.scope.ts';
import { pendingIn, procedureFor } from './procedures.access.ts';
import * as files from './files.repository.ts';
import type { UploadedFile } from './excel.read.ts';

/**
 * What an ISO officer attaches to a form: documents and scans, each recognised by its extension
 * AND its first bytes. Active content (HTML, SVG, XML, scripts) is never on the list, so nothing
 * stored here can run in a browser that opens it.
 */
export const attachmentExtensions = ['pdf', 'docx', 'xlsx', 'doc', 'xls', 'odt', 'ods', 'jpg', 'jpeg', 'png', 'webp'] as const;

/** Files attached to the forms (biểu mẫu) of a procedure, kept in the database per unit. */
export class FilesService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  /**
   * Attaches a file to form number `index` of the draft being written. The upload names the
   * draft's version, so a file never lands on a form that someone else has just moved.
   */
  async attach(actor: Actor, procedureId: number, index: number, version: number, file: UploadedFile | undefined): Promise<void> {
    await this.db.transaction(async (trx) => {
      // Access first: a procedure out of scope (or unknown) is not found, file or no file.
      const p = await procedureFor(trx, actor, procedureId, ['catalog.write']);
      // A form number past the integer column failed the save with 500 on PostgreSQL.
      if (!Number.isInteger(index) || index < 0 || index >= 2 ** 31 - 1) throw new AppError('NOT_FOUND');
      if (!file || file.buffer.length === 0) throw new AppError('UPLOAD_MISSING');
      const name = cleanFileName(file.name, 255);
      // The type the browser claimed is never kept: the bytes decide, or the file is refused.
      const sniffed = sniffFile(name, file.buffer, attachmentExtensions);
      if ('refused' in sniffed) throw new AppError('UPLOAD_FILE_TYPE');
      const head = await pendingIn(trx, p, ['draft']);
      if (head.version !== version) throw new AppError('STALE_EDIT');
      const at = iso(this.clock.now());
      const fileId = await files.insertFile(
        trx,
        {
          unitId: p.unitId,
          fileName: name,
          mime: sniffed.type.mime,
          content: file.buffer,
          sha256: crypto.createHash('sha256').update(file.buffer).digest('hex'),
          uploadedBy: actor.user.id,
        },
        at,
      );
      if (!(await files.setFormFile(trx, head.id, version, index + 1, fileId, at))) throw new AppError('NOT_FOUND');
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'attach',
        entity: 'procedure',
        entityId: p.id,
        unitId: p.unitId,
        after: { form: index + 1, fileId, fileName: name, size: file.buffer.length },
        requestId: actor.requestId,
      });
    });
  }

  /**
   * A file of a unit the actor can read, or not found. Its type is sniffed again from its bytes,
   * so that a file kept before attachments were checked is served as a download of unknown type
   * rather than with the type its uploader's browser claimed.
   */
  async get(actor: Actor, id: number): Promise<files.StoredFile> {
    const f = await files.findFile(this.db, id);
    if (!f) throw new AppError('NOT_FOUND');
    await unitFor(this.db, actor, f.unitId, 'catalog.read');
    const sniffed = sniffFile(f.fileName, f.content, attachmentExtensions);
    return { ...f, fileName: cleanFileName(f.fileName, 255), mime: 'type' in sniffed ? sniffed.type.mime : 'application/octet-stream' };
  }
}
