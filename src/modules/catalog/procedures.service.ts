import type { Knex } from 'knex';
import { scopeFor } from '../../auth/roles.ts';
import type { AppConfig } from '../../config/config.ts';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, monthsBefore, vnDate } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { Unit } from '../units/units.types.ts';
import { unitFor } from './catalog.scope.ts';
import { contentInput, procedureListQuery, versionInput } from './catalog.schemas.ts';
import type { Procedure, Revision, RevisionContent } from './catalog.types.ts';
import { checksOf } from './drafting-rules.ts';
import { fileIdsOfUnit } from './files.repository.ts';
import { headOf, pendingIn, procedureFor } from './procedures.access.ts';
import { listProcedures } from './procedures.list.repository.ts';
import * as repo from './procedures.repository.ts';
import type { TthcService } from './tthc.service.ts';

/** Writing a unit's procedures: create, save a draft (optimistic concurrency), revise, discard. */
export class ProceduresService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly tthc: TthcService,
  ) {}

  today(): string {
    return vnDate(this.clock.now());
  }

  reviewCutoff(): string {
    return monthsBefore(this.today(), this.config.catalog.reviewMonths);
  }

  /** The catalog list of the scope, or of one unit; `fixed.unit` is one the caller has already found readable (its page). */
  async list(actor: Actor, query: unknown, fixed: { unitId?: number; unit?: Unit } = {}) {
    const unitId = fixed.unit?.id ?? fixed.unitId;
    const q = validate(procedureListQuery, { ...(query as object), ...(unitId !== undefined ? { unitId } : {}) });
    if (q.unitId !== undefined && q.unitId !== fixed.unit?.id) await unitFor(this.db, actor, q.unitId, 'catalog.read');
    const cutoff = this.reviewCutoff();
    return listProcedures(this.db, {
      scope: scopeFor(actor.user, 'catalog.read'),
      unitId: q.unitId,
      q: q.q.trim() || undefined,
      field: q.field,
      kind: q.kind,
      status: q.status,
      dueBefore: q.due ? cutoff : undefined,
      reviewCutoff: cutoff,
      overtime: q.overtime,
      templates: q.templates,
      sort: q.sort,
      dir: q.dir,
      page: q.page,
      pageSize: q.pageSize,
    });
  }

  get(actor: Actor, id: number, caps: Parameters<typeof procedureFor>[3] = ['catalog.read']): Promise<Procedure> {
    return procedureFor(this.db, actor, id, caps);
  }

  /** A unit the actor holds `cap` on (404 otherwise). */
  unit(actor: Actor, unitId: number, cap: Parameters<typeof unitFor>[3]): Promise<Unit> {
    return unitFor(this.db, actor, unitId, cap);
  }

  /** The procedure, the revision being written and its unit, for the edit form. */
  async editable(actor: Actor, id: number) {
    const procedure = await procedureFor(this.db, actor, id, ['catalog.write']);
    const head = await headOf(this.db, procedure);
    const unit = await unitFor(this.db, actor, procedure.unitId, 'catalog.read');
    return { procedure, head, unit };
  }

  /** Everything the procedure page shows: head and in-force revisions, history, checks. */
  async details(actor: Actor, id: number) {
    const procedure = await procedureFor(this.db, actor, id);
    const head = await headOf(this.db, procedure);
    const issued =
      procedure.issuedRevisionId && procedure.issuedRevisionId !== head.id ? await repo.findRevision(this.db, procedure.issuedRevisionId) : undefined;
    const tthc = head.tthcId ? await this.tthc.get(actor, head.tthcId).catch(() => undefined) : undefined;
    const revisions = await repo.revisionsOf(this.db, procedure.id);
    const dueForReview = procedure.status === 'issued' && !!procedure.lastReviewedOn && procedure.lastReviewedOn <= this.reviewCutoff();
    return { procedure, head, issued, tthc, revisions, checks: checksOf(head, tthc?.legalDays ?? null, tthc?.timeText ?? null), dueForReview };
  }

  async revision(actor: Actor, id: number, no: number): Promise<{ procedure: Procedure; revision: Revision }> {
    const procedure = await procedureFor(this.db, actor, id);
    const revision = await repo.findRevisionByNo(this.db, procedure.id, no);
    if (!revision) throw new AppError('NOT_FOUND');
    return { procedure, revision };
  }

  /** Checks a content against the unit: code unique in the unit, TTHC of the unit's own province, files of the unit.
   *  Returns the linked TTHC's code and name, for the search text. */
  async checkContent(trx: Knex.Transaction, unit: Unit, c: RevisionContent, exceptId?: number): Promise<string | null> {
    if (await repo.codeTaken(trx, unit.id, c.code, exceptId)) {
      throw new AppError('PROCEDURE_CODE_TAKEN', { code: c.code }, { code: { key: 'v.procedure_code_taken' } });
    }
    if (c.kind === 'tthc' && c.tthcId === null) throw new AppError('VALIDATION_FAILED', {}, { tthcId: { key: 'v.tthc_required' } });
    const t = c.tthcId !== null ? await this.tthc.linkable(trx, unit, c.tthcId) : undefined;
    const fileIds = c.forms.map((f) => f.fileId).filter((x): x is number => x !== null);
    if (fileIds.length) {
      const ownIds = await fileIdsOfUnit(trx, fileIds, unit.id);
      const bad = c.forms.findIndex((f) => f.fileId !== null && !ownIds.has(f.fileId));
      if (bad >= 0) throw new AppError('VALIDATION_FAILED', {}, { [`forms.${bad}.fileId`]: { key: 'v.id' } });
    }
    // What the search finds the procedure by, besides its own code and title.
    return t ? `${t.code} ${t.name}` : null;
  }

  async create(actor: Actor, unitId: number, input: unknown, opts: { isTemplate?: boolean } = {}): Promise<Procedure> {
    const c = validate(contentInput, input) as RevisionContent;
    return this.db.transaction(async (trx) => {
      const unit = await unitFor(trx, actor, unitId, opts.isTemplate ? 'tthc.manage' : 'catalog.write');
      return procedureFor(trx, actor, await this.createIn(trx, actor, unit, c, opts));
    });
  }

  /** Creates a procedure with its first draft inside the caller's transaction (also used by imports). */
  async createIn(trx: Knex.Transaction, actor: Actor, unit: Unit, c: RevisionContent, opts: { isTemplate?: boolean } = {}): Promise<number> {
    const tthcCode = await this.checkContent(trx, unit, c);
    const at = iso(this.clock.now());
    const { id } = await repo.insertProcedure(
      trx,
      { unitId: unit.id, isTemplate: !!opts.isTemplate, templateId: null, templateRevisionNo: null, createdBy: actor.user.id },
      c,
      tthcCode,
      at,
    );
    await writeAudit(trx, {
      at,
      userId: actor.user.id,
      action: 'create',
      entity: 'procedure',
      entityId: id,
      unitId: unit.id,
      after: c,
      requestId: actor.requestId,
    });
    return id;
  }

  /**
   * Saves the draft being written. The form carries the version it was opened at; if someone
   * saved in between, nothing is written and the caller re-shows what was typed (STALE_EDIT).
   */
  async saveDraft(actor: Actor, id: number, input: unknown): Promise<Procedure> {
    const { version } = validate(versionInput, input);
    const c = validate(contentInput, input) as RevisionContent;
    return this.db.transaction(async (trx) => {
      const p = await procedureFor(trx, actor, id, ['catalog.write']);
      const head = await pendingIn(trx, p, ['draft']);
      await this.saveDraftIn(trx, actor, p, head, version, c);
      return procedureFor(trx, actor, id);
    });
  }

  async saveDraftIn(trx: Knex.Transaction, actor: Actor, p: Procedure, head: Revision, version: number, c: RevisionContent): Promise<void> {
    if (p.issuedRevisionId !== null && c.code !== p.code) throw new AppError('VALIDATION_FAILED', {}, { code: { key: 'v.code_fixed' } });
    const unit = await unitFor(trx, actor, p.unitId, 'catalog.read');
    const tthcCode = await this.checkContent(trx, unit, c, p.id);
    const at = iso(this.clock.now());
    if (!(await repo.replaceDraftContent(trx, head.id, version, c, actor.user.id, at))) {
      const now = (await repo.findRevision(trx, head.id)) as Revision;
      throw new AppError('STALE_EDIT', { version: now.version }, { version: { key: 'v.stale' } });
    }
    // Lists show the revision in force; before the first issue, the draft.
    if (p.issuedRevisionId === null) {
      await repo.updateProcedure(
        trx,
        p.id,
        { code: c.code, title: c.title, kind: c.kind, tthc_id: c.tthcId, total_days: repo.totalDays(c.steps), search_text: repo.searchText(c, tthcCode) },
        at,
      );
    } else {
      await repo.updateProcedure(trx, p.id, {}, at);
    }
    await writeAudit(trx, {
      at,
      userId: actor.user.id,
      action: 'update',
      entity: 'procedure',
      entityId: p.id,
      unitId: p.unitId,
      before: contentOf(head),
      after: c,
      requestId: actor.requestId,
    });
  }

  /**
   * Starts the next revision of an issued procedure (lần ban hành + 1) as a copy of the one in
   * force, which stays in force until the new one is issued. `input` may carry new content.
   */
  async revise(actor: Actor, id: number, input?: unknown): Promise<Revision> {
    const given = input && typeof input === 'object' && 'code' in input ? (validate(contentInput, input) as RevisionContent) : undefined;
    return this.db.transaction(async (trx) => {
      const p = await procedureFor(trx, actor, id, ['catalog.write']);
      return (await repo.findRevision(trx, await this.reviseIn(trx, actor, p, given))) as Revision;
    });
  }

  async reviseIn(trx: Knex.Transaction, actor: Actor, p: Procedure, given?: RevisionContent): Promise<number> {
    if (p.status !== 'issued' || p.pendingStatus !== null || p.issuedRevisionId === null) throw new AppError('PROCEDURE_WRONG_STATE');
    const current = (await repo.findRevision(trx, p.issuedRevisionId)) as Revision;
    const content: RevisionContent = given ?? { ...contentOf(current), changeSummary: null };
    if (content.code !== p.code) throw new AppError('VALIDATION_FAILED', {}, { code: { key: 'v.code_fixed' } });
    if (given) await this.checkContent(trx, await unitFor(trx, actor, p.unitId, 'catalog.read'), content, p.id);
    const at = iso(this.clock.now());
    const revId = await repo.insertRevision(
      trx,
      p.id,
      current.revisionNo + 1,
      content,
      { template_revision_no: current.templateRevisionNo, updated_by: actor.user.id },
      at,
    );
    await repo.updateProcedure(trx, p.id, { head_revision_id: revId, pending_status: 'draft' }, at);
    await writeAudit(trx, {
      at,
      userId: actor.user.id,
      action: 'revise',
      entity: 'procedure',
      entityId: p.id,
      unitId: p.unitId,
      after: { revisionNo: current.revisionNo + 1 },
      requestId: actor.requestId,
    });
    return revId;
  }

  /** Drops the revision being prepared; a procedure never issued goes entirely (nothing of it was ever in force). */
  async discard(actor: Actor, id: number): Promise<{ deleted: boolean }> {
    return this.db.transaction(async (trx) => {
      const p = await procedureFor(trx, actor, id, ['catalog.write']);
      const head = await pendingIn(trx, p, ['draft', 'in_review', 'approved']);
      const at = iso(this.clock.now());
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'discard',
        entity: 'procedure',
        entityId: p.id,
        unitId: p.unitId,
        before: { revisionNo: head.revisionNo, ...contentOf(head) },
        requestId: actor.requestId,
      });
      if (p.issuedRevisionId === null) {
        await repo.deleteNeverIssued(trx, p.id);
        return { deleted: true };
      }
      await repo.deleteDraftRevision(trx, head.id);
      await repo.updateProcedure(trx, p.id, { head_revision_id: p.issuedRevisionId, pending_status: null }, at);
      return { deleted: false };
    });
  }
}

/** The written content of a revision, without its life-cycle fields. */
export function contentOf(r: RevisionContent): RevisionContent {
  return {
    code: r.code,
    title: r.title,
    kind: r.kind,
    tthcId: r.tthcId,
    purpose: r.purpose,
    scopeText: r.scopeText,
    referencesText: r.referencesText,
    definitions: r.definitions,
    changeSummary: r.changeSummary,
    steps: r.steps.map((s) => ({ action: s.action, responsible: s.responsible, days: s.days, output: s.output })),
    forms: r.forms.map((f) => ({ code: f.code, name: f.name, fileId: f.fileId })),
    records: r.records.map((x) => ({ name: x.name, keeper: x.keeper, retention: x.retention })),
  };
}
