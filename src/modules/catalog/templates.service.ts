import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import { optionalText } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { unitFor } from './catalog.scope.ts';
import { fileCopyFor } from './files.repository.ts';
import type { FormItem, Procedure, Revision, RevisionContent } from './catalog.types.ts';
import { headOf, procedureFor } from './procedures.access.ts';
import { procedureQuery, toProcedure } from './procedures.repository.ts';
import * as repo from './procedures.repository.ts';
import { contentOf, type ProceduresService } from './procedures.service.ts';
import { contentsEqual, diffContents, takeChanges, type DiffRow } from './revisions.diff.ts';
import type { Db } from '../../kernel/db.ts';

export interface TemplateStatus {
  template: Procedure;
  fromRevision: number;
  toRevision: number;
  updated: boolean;
  diff: DiffRow[];
}

/**
 * The framework model (QĐ 101/QĐ-BKHCN): a coordinator publishes template procedures (a template
 * is a procedure of the province marked as such, published by issuing it); a unit adopts a copy
 * that remembers the template and its revision, and later takes the template's changes.
 */
export class TemplatesService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly procedures: ProceduresService,
  ) {}

  /** Published templates of the unit's province (or any unit above it), with the unit's copy if any. */
  async available(actor: Actor, unitId: number, db: Db = this.db) {
    const unit = await unitFor(db, actor, unitId, 'catalog.read');
    const rows = (await procedureQuery(db)
      .where('p.is_template', true)
      .where('p.status', 'issued')
      .whereRaw(`? LIKE u.path || '%'`, [unit.path])
      .orderBy('p.code')) as Array<Record<string, unknown>>;
    const templates = rows.map(toProcedure);
    const copyOf = await repo.templateCopiesOf(db, unit.id);
    return { unit, items: templates.map((t) => ({ template: t, copyId: copyOf.get(t.id) ?? null })) };
  }

  /** Copies form files into the unit that receives the forms (files are kept per unit). */
  private async copyFiles(trx: Db, forms: FormItem[], unitId: number, at: string): Promise<FormItem[]> {
    const out: FormItem[] = [];
    for (const f of forms) {
      if (f.fileId === null) {
        out.push({ ...f });
        continue;
      }
      out.push({ ...f, fileId: await fileCopyFor(trx, f.fileId, unitId, at) });
    }
    return out;
  }

  async adopt(actor: Actor, unitId: number, templateId: number, input: unknown = {}): Promise<Procedure> {
    const code = optionalText(50).safeParse((input as { code?: unknown })?.code);
    return this.db.transaction(async (trx) => {
      const unit = await unitFor(trx, actor, unitId, 'catalog.write');
      const { items } = await this.available(actor, unit.id, trx);
      const item = items.find((i) => i.template.id === templateId);
      if (!item) throw new AppError('NOT_FOUND');
      if (item.copyId !== null) throw new AppError('TEMPLATE_ALREADY_ADOPTED');
      const t = item.template;
      const source = (await repo.findRevision(trx, t.issuedRevisionId as number)) as Revision;
      const at = iso(this.clock.now());
      const content: RevisionContent = { ...contentOf(source), code: (code.success && code.data) || t.code, changeSummary: null };
      content.forms = await this.copyFiles(trx, content.forms, unit.id, at);
      const tthcCode = await this.procedures.checkContent(trx, unit, content);
      const { id } = await repo.insertProcedure(
        trx,
        { unitId: unit.id, isTemplate: false, templateId: t.id, templateRevisionNo: source.revisionNo, createdBy: actor.user.id },
        content,
        tthcCode,
        at,
      );
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'adopt_template',
        entity: 'procedure',
        entityId: id,
        unitId: unit.id,
        after: { templateId: t.id, templateRevisionNo: source.revisionNo, code: content.code },
        requestId: actor.requestId,
      });
      return procedureFor(trx, actor, id);
    });
  }

  /** For a copy: whether its template has a newer issued revision, and what changed in it. */
  async status(actor: Actor, procedureId: number, db: Db = this.db): Promise<TemplateStatus | undefined> {
    const p = await procedureFor(db, actor, procedureId);
    if (p.templateId === null || p.templateRevisionNo === null) return undefined;
    const tRow = (await procedureQuery(db).where('p.id', p.templateId).first()) as Record<string, unknown> | undefined;
    if (!tRow) return undefined;
    const template = toProcedure(tRow);
    const latest = template.revisionNo ?? p.templateRevisionNo;
    const updated = template.status === 'issued' && latest > p.templateRevisionNo;
    let diff: DiffRow[] = [];
    if (updated) {
      const base = await repo.findRevisionByNo(db, template.id, p.templateRevisionNo);
      const next = await repo.findRevisionByNo(db, template.id, latest);
      if (base && next) diff = diffContents(base, next).filter((r) => r.changed && r.label !== 'changeSummary');
    }
    return { template, fromRevision: p.templateRevisionNo, toRevision: latest, updated, diff };
  }

  /**
   * Takes the template's changes into the copy: into its draft if it has one, otherwise into a
   * new revision of the issued copy. The copy then remembers the template's new revision.
   */
  async take(actor: Actor, procedureId: number): Promise<Procedure> {
    return this.db.transaction(async (trx) => {
      const p = await procedureFor(trx, actor, procedureId, ['catalog.write']);
      const st = await this.status(actor, p.id, trx);
      if (!st || !st.updated) throw new AppError('TEMPLATE_UP_TO_DATE');
      const base = await repo.findRevisionByNo(trx, st.template.id, st.fromRevision);
      const next = await repo.findRevisionByNo(trx, st.template.id, st.toRevision);
      if (!base || !next) throw new AppError('TEMPLATE_UP_TO_DATE');
      const head = await headOf(trx, p);
      const at = iso(this.clock.now());
      const merged = takeChanges(contentOf(head), contentOf(base), contentOf(next));
      merged.forms = await this.copyFiles(trx, merged.forms, p.unitId, at);
      merged.changeSummary = `Cập nhật theo mẫu ${st.template.code}, lần ban hành ${st.toRevision}`;
      const unit = await unitFor(trx, actor, p.unitId, 'catalog.read');
      const tthcCode = await this.procedures.checkContent(trx, unit, merged, p.id);
      if (head.status === 'draft') {
        if (!(await repo.replaceDraftContent(trx, head.id, head.version, merged, actor.user.id, at))) throw new AppError('STALE_EDIT');
        await repo.updateRevision(trx, head.id, { template_revision_no: st.toRevision }, at);
        if (p.issuedRevisionId === null) {
          await repo.updateProcedure(
            trx,
            p.id,
            {
              title: merged.title,
              kind: merged.kind,
              tthc_id: merged.tthcId,
              total_days: repo.totalDays(merged.steps),
              search_text: repo.searchText(merged, tthcCode),
            },
            at,
          );
        }
      } else if (head.status === 'issued' && p.status === 'issued') {
        const revId = await repo.insertRevision(trx, p.id, head.revisionNo + 1, merged, { template_revision_no: st.toRevision, updated_by: actor.user.id }, at);
        await repo.updateProcedure(trx, p.id, { head_revision_id: revId, pending_status: 'draft' }, at);
      } else {
        throw new AppError('PROCEDURE_WRONG_STATE');
      }
      await repo.updateProcedure(trx, p.id, { template_revision_no: st.toRevision }, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'take_template',
        entity: 'procedure',
        entityId: p.id,
        unitId: p.unitId,
        before: { templateRevisionNo: st.fromRevision },
        after: { templateRevisionNo: st.toRevision, unchanged: contentsEqual(contentOf(head), merged) },
        requestId: actor.requestId,
      });
      return procedureFor(trx, actor, p.id);
    });
  }
}
