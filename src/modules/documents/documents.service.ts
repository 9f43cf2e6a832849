import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { inScope, scopeFor, type Capability, type Scope } from '../../auth/roles.ts';
import { isUniqueViolation } from '../../db/helpers.ts';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { DocumentRefusal, type DocumentDefinition, type DocumentFields, type DocumentGatherContext, type DocumentUnit } from '../../plugins/contract.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { noHandOff, type HandOff } from '../../kernel/handoff.ts';
import { handedOn } from './documents.handoff.ts';
import { findUnit } from '../units/units.repository.ts';
import { DocumentBatch } from './documents.batch.ts';
import {
  approveDraft,
  holdApproved,
  insertDraft,
  listDocuments,
  loadDocument,
  nextSeq,
  numberUsedByAnother,
  saveAsDraft,
  sourceOf,
  sourcesOf,
  storedPdf,
  storeIssued,
  type DocumentRecord,
  type DocumentSource,
  type ListFilter,
} from './documents.repository.ts';
import { allDefinitions } from './documents.registry.ts';
import { activeRootsOfScope, activeUnitsInScope, declareUnit, nameAndKind, type UnitChoice } from './documents.units.repository.ts';
import { editedFields, emptyFields, glyphList } from './documents.fields.ts';
import { fieldsInput, prepareInput } from './documents.schemas.ts';
import { asciiName, bodyAbbreviation, formAbbreviation, formTitle, issuingBody, numberText, parentBody, placeDate } from './documents.text.ts';
import { missingGlyphs, renderDocument, textsOf } from './nd30.layout.ts';
import type { Db } from '../../kernel/db.ts';
import { checksOf, declaringTypes, issueGate, overrideReasonOf, type DeclarationCheck } from './documents.declaring.ts';

/**
 * Printable documents: a draft prepared from the unit's data with editable fields, approved by
 * the unit's leader, issued once (PDF and SHA-256 stored; the bytes are served unchanged after).
 * Outside the caller's scope a document does not exist (404).
 */
export class DocumentsService {
  readonly batch: DocumentBatch;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly plugins: () => PluginRegistry,
    private readonly handOff: HandOff = noHandOff,
  ) {
    this.batch = new DocumentBatch(db);
  }

  /** After the step's commit, whom the document now waits for (`documents.handoff.ts`). */
  private handedOn(actor: Actor, d: DocumentRecord): Promise<DocumentRecord> {
    return handedOn(this.handOff, actor, d, this.definition(d.type)?.title.vi);
  }

  definitions(): DocumentDefinition[] {
    return allDefinitions(this.plugins());
  }

  definition(type: string): DocumentDefinition | undefined {
    return this.definitions().find((d) => d.id === type);
  }

  can(actor: Actor, cap: Capability, unitPath: string): boolean {
    return inScope(scopeFor(actor.user, cap), unitPath);
  }

  /** `override`: the leader may issue a declaring document that misses a check, with a reason. */
  rights(actor: Actor, d: DocumentRecord): { write: boolean; approve: boolean; issue: boolean; override: boolean } {
    const open = d.status !== 'issued';
    const leader = this.can(actor, 'document.approve', d.unitPath);
    return {
      write: open && this.can(actor, 'document.write', d.unitPath),
      approve: d.status === 'draft' && leader,
      issue: open && this.can(actor, 'document.issue', d.unitPath),
      override: d.status === 'approved' && leader && declaringTypes.includes(d.type),
    };
  }

  /** What a declaring document checks before it is issued, as of its date (null for other types). */
  checks(d: DocumentRecord): Promise<DeclarationCheck[] | null> {
    return checksOf(this.db, d, d.issueDate ?? vnDate(this.clock.now()));
  }

  async canWriteUnit(actor: Actor, unitId: number): Promise<boolean> {
    return !!(await findUnit(this.db, unitId, scopeFor(actor.user, 'document.write')));
  }

  /** The units the actor may prepare documents for, in tree order (the page's choice of unit). */
  writableUnits(actor: Actor): Promise<UnitChoice[]> {
    return activeUnitsInScope(this.db, scopeFor(actor.user, 'document.write'));
  }

  /** The units whose subtree the actor may print in one ZIP: every province for an administrator. */
  batchRoots(actor: Actor): Promise<Array<Omit<UnitChoice, 'depth'>>> {
    return activeRootsOfScope(this.db, scopeFor(actor.user, 'document.batch'));
  }

  /** The unit as the layout needs it; undefined outside the scope. */
  async unitOf(db: Db, unitId: number, scope: Scope): Promise<DocumentUnit | undefined> {
    const u = await findUnit(db, unitId, scope);
    if (!u) return undefined;
    const parent = u.parentId ? await nameAndKind(db, u.parentId) : undefined;
    return {
      id: u.id,
      code: u.code,
      name: u.name,
      kind: u.kind,
      path: u.path,
      placeName: u.placeName,
      parentName: parent?.name ?? null,
      parentKind: parent?.kind ?? null,
    };
  }

  private gatherContext(db: Db, unit: DocumentUnit, year: number, sourceId: number | null): DocumentGatherContext {
    const schema = db.schema;
    return { db: db as Knex, unit, year, sourceId, hasTable: (name) => schema.hasTable(name), hasColumn: (table, column) => schema.hasColumn(table, column) };
  }

  /** The definition's facts; its refusal ("nothing to print") becomes a 422 with its message. */
  private async gather(def: DocumentDefinition, ctx: DocumentGatherContext): Promise<unknown> {
    try {
      return await def.gather(ctx);
    } catch (err) {
      if (err instanceof DocumentRefusal) throw new AppError('DOCUMENT_REFUSED', { reason: err.text.vi, reasonEn: err.text.en });
      throw err;
    }
  }

  /** The documents the actor may read, newest year first (at most 500). */
  list(actor: Actor, f: ListFilter): Promise<DocumentRecord[]> {
    return listDocuments(this.db, scopeFor(actor.user, 'unit.read'), f);
  }

  /** The checks, management reviews and inspections of a unit a document can be printed from. */
  sourcesOf(unitId: number): Promise<DocumentSource[]> {
    return sourcesOf(this.db, unitId);
  }

  /** A document the actor may read (404 otherwise). */
  async get(actor: Actor, id: number, db: Db = this.db): Promise<DocumentRecord> {
    const d = await loadDocument(db, id);
    if (!d || !this.can(actor, 'unit.read', d.unitPath)) throw new AppError('NOT_FOUND');
    return d;
  }

  /** A document the actor holds `cap` on (404 otherwise: beyond one's role it does not exist). */
  private async withCap(actor: Actor, id: number, cap: Capability, db: Db = this.db): Promise<DocumentRecord> {
    const d = await this.get(actor, id, db);
    if (!this.can(actor, cap, d.unitPath)) throw new AppError('NOT_FOUND');
    return d;
  }

  /** Prepares a draft from the unit's data: facts read, fields proposed, the next number reserved. */
  async prepare(actor: Actor, unitId: number, input: unknown): Promise<DocumentRecord> {
    const unit = await this.unitOf(this.db, unitId, scopeFor(actor.user, 'document.write'));
    if (!unit) throw new AppError('NOT_FOUND');
    const data = validate(prepareInput, input);
    const def = this.definition(data.type);
    if (!def) throw new AppError('VALIDATION_FAILED', {}, { type: { key: 'v.doc_type' } });
    const now = this.clock.now();
    let year = data.year ?? Number(vnDate(now).slice(0, 4));
    let sourceId: number | null = null;
    if (def.appliesTo !== 'unit') {
      const src = await sourceOf(this.db, def.appliesTo, data.sourceId, unit.id);
      if (!src) throw new AppError('VALIDATION_FAILED', {}, { sourceId: { key: 'v.doc_source' } });
      sourceId = src.id;
      year = src.year;
    }
    const facts = await this.gather(def, this.gatherContext(this.db, unit, year, sourceId));
    const fields: DocumentFields = { ...emptyFields, ...def.defaults({ unit, year, facts }) };
    fields.parts = { ...Object.fromEntries((def.textParts ?? []).map((p) => [p.id, ''])), ...(fields.parts ?? {}) };
    const suffix = `${formAbbreviation[def.form]}-${bodyAbbreviation(unit)}`;
    const at = iso(now);
    for (let attempt = 0; ; attempt++) {
      try {
        const id = await this.db.transaction(async (trx) => {
          const seq = await nextSeq(trx, unit.id, year, def.id);
          const newId = await insertDraft(trx, {
            unitId: unit.id,
            type: def.id,
            year,
            seq,
            number: numberText(seq, suffix),
            dataJson: JSON.stringify({ fields, numberSuffix: suffix }),
            issueDate: vnDate(now),
            sourceId,
            createdBy: actor.user.id,
            at,
          });
          await writeAudit(trx, {
            at,
            userId: actor.user.id,
            action: 'create',
            entity: 'document',
            entityId: newId,
            unitId: unit.id,
            after: { type: def.id, year, number: numberText(seq, suffix), sourceId },
            requestId: actor.requestId,
          });
          return newId;
        });
        return await this.handedOn(actor, (await loadDocument(this.db, id))!);
      } catch (err) {
        // Two drafts prepared at once took the same number: the later one takes the next.
        if (!isUniqueViolation(err) || attempt >= 3) throw err;
      }
    }
  }

  /**
   * Saves the draft's fields and number. A number already used for that unit, year and type is
   * refused on its field; so is text the font cannot print. Saving an approved document sends it
   * back to draft: the leader approved other words. An issued document never changes.
   * `partial` (the API): a field left out keeps its value; the page always sends the whole form.
   */
  async update(actor: Actor, id: number, input: unknown, partial = false): Promise<DocumentRecord> {
    const d = await this.withCap(actor, id, 'document.write');
    const def = this.definition(d.type);
    if (d.status === 'issued' || !def) throw new AppError('DOCUMENT_WRONG_STATE');
    const given = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
    const { parts: keptParts, ...keptFields } = d.fields;
    const body: Record<string, unknown> = partial
      ? {
          numberSeq: d.numberSeq,
          numberSuffix: d.numberSuffix,
          issueDate: d.issueDate ?? undefined,
          ...keptFields,
          ...given,
          parts: { ...keptParts, ...(typeof given.parts === 'object' && given.parts !== null ? given.parts : {}) },
        }
      : given;
    const data = validate(fieldsInput, body);
    const { fields, fieldErrors } = editedFields(def, body, data);
    if (Object.keys(fieldErrors).length) throw new AppError('VALIDATION_FAILED', {}, fieldErrors);
    const at = iso(this.clock.now());
    const text = numberText(data.numberSeq, data.numberSuffix);
    try {
      await this.db.transaction(async (trx) => {
        if (await numberUsedByAnother(trx, d, data.numberSeq)) throw numberTaken();
        const saved = await saveAsDraft(trx, d.id, {
          seq: data.numberSeq,
          number: text,
          issueDate: data.issueDate,
          dataJson: JSON.stringify({ fields, numberSuffix: data.numberSuffix }),
          at,
        });
        if (!saved) throw new AppError('DOCUMENT_WRONG_STATE');
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'update',
          entity: 'document',
          entityId: d.id,
          unitId: d.unitId,
          before: { number: d.numberText, status: d.status, issueDate: d.issueDate },
          after: { number: text, status: 'draft', issueDate: data.issueDate, fields },
          requestId: actor.requestId,
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw numberTaken();
      throw err;
    }
    const saved = (await loadDocument(this.db, d.id))!;
    // An approved document edited is a draft again: the leader approves the new words.
    return d.status === 'approved' ? this.handedOn(actor, saved) : saved;
  }

  /** The leader's approval of a draft. */
  async approve(actor: Actor, id: number): Promise<DocumentRecord> {
    const d = await this.withCap(actor, id, 'document.approve');
    const at = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      if (!(await approveDraft(trx, d.id, actor.user.id, at))) throw new AppError('DOCUMENT_WRONG_STATE');
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'approve',
        entity: 'document',
        entityId: d.id,
        unitId: d.unitId,
        after: { number: d.numberText },
        requestId: actor.requestId,
      });
    });
    return this.handedOn(actor, (await loadDocument(this.db, d.id))!);
  }

  /** Renders the document as it stands now: a draft from today's data, an issued one from its stored bytes. */
  async preview(actor: Actor, id: number): Promise<{ pdf: Buffer; fileName: string; doc: DocumentRecord }> {
    const d = await this.get(actor, id);
    if (d.status === 'issued') return this.download(actor, id);
    const { pdf } = await this.render(this.db, d, this.clock.now());
    return { pdf, fileName: this.fileName(d), doc: d };
  }

  private fileName(d: DocumentRecord): string {
    const def = this.definition(d.type);
    const unit = { id: d.unitId, code: '', name: d.unitName } as DocumentUnit;
    const base = def?.fileName?.({ unit, year: d.year, number: d.numberText }) ?? `${d.type}-${d.unitName}-${d.year}-${d.numberText}`;
    return `${asciiName(base)}.pdf`;
  }

  private async render(db: Db, d: DocumentRecord, createdAt: Date): Promise<{ pdf: Buffer; facts: unknown }> {
    const def = this.definition(d.type);
    const unit = await this.unitOf(db, d.unitId, { all: true });
    if (!def || !unit) throw new AppError('DOCUMENT_WRONG_STATE');
    const facts = await this.gather(def, this.gatherContext(db, unit, d.year, d.sourceId));
    const issueDate = d.issueDate ?? vnDate(createdAt);
    const content = def.build({ unit, year: d.year, facts, fields: d.fields, number: d.numberText, issueDate });
    content.typeTitle ||= formTitle[def.form];
    const letterhead = { parentBody: parentBody(unit), issuingBody: issuingBody(unit), number: d.numberText, placeDate: placeDate(unit, issueDate) };
    const missing = missingGlyphs([...textsOf(content), ...Object.values(letterhead).map((v) => v ?? '')]);
    if (missing.length) throw new AppError('DOCUMENT_GLYPHS', { chars: glyphList(missing) });
    const pdf = await renderDocument(letterhead, content, { createdAt, title: `${d.numberText} ${content.subject}`, author: unit.name });
    return { pdf, facts };
  }

  /**
   * Issues an approved document: rendered once more from the data of now, stored with its SHA-256,
   * issuer and time, never rendered again. A declaration also makes the unit declared.
   */
  async issue(actor: Actor, id: number, input: unknown = {}): Promise<DocumentRecord> {
    const d = await this.get(actor, id);
    const [canIssue, isLeader] = [this.can(actor, 'document.issue', d.unitPath), this.can(actor, 'document.approve', d.unitPath)];
    if (!canIssue && !isLeader) throw new AppError('NOT_FOUND');
    if (d.status === 'draft') throw new AppError('DOCUMENT_NOT_APPROVED');
    if (d.status !== 'approved') throw new AppError('DOCUMENT_WRONG_STATE');
    const now = this.clock.now();
    const at = iso(now);
    await this.db.transaction(async (trx) => {
      // Takes the row first: two issues at once, or an edit meanwhile, cannot both pass.
      if (!(await holdApproved(trx, d.id, at))) throw new AppError('DOCUMENT_WRONG_STATE');
      const current = (await loadDocument(trx, d.id))!;
      const { pdf, facts } = await this.render(trx, current, now);
      const issueDate = current.issueDate ?? vnDate(now);
      // A declaration checks what it declares; with something missing only the leader issues it, with a reason.
      const override = issueGate(await checksOf(trx, current, issueDate), overrideReasonOf(input), canIssue, isLeader);
      const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
      await storeIssued(trx, d.id, {
        userId: actor.user.id,
        at,
        issueDate,
        sha256,
        pdf,
        dataJson: JSON.stringify({ fields: current.fields, numberSuffix: current.numberSuffix, facts }),
      });
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'issue',
        entity: 'document',
        entityId: d.id,
        unitId: d.unitId,
        after: { number: current.numberText, issueDate, sha256, ...(override ? { overrideReason: override.reason, missing: override.missing } : {}) },
        requestId: actor.requestId,
      });
      if (d.type === 'declaration' || d.type === 'redeclaration') {
        const before = await declareUnit(trx, d.unitId, { number: current.numberText, issueDate, documentId: d.id, at });
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'iso_state',
          entity: 'unit',
          entityId: d.unitId,
          unitId: d.unitId,
          before,
          after: { isoState: 'declared', declarationNumber: current.numberText, declaredOn: issueDate, documentId: d.id },
          requestId: actor.requestId,
        });
      }
    });
    return this.handedOn(actor, (await loadDocument(this.db, d.id))!);
  }

  /** The stored bytes of an issued document, exactly as issued. */
  async download(actor: Actor, id: number): Promise<{ pdf: Buffer; fileName: string; doc: DocumentRecord }> {
    const d = await this.get(actor, id);
    if (d.status !== 'issued') throw new AppError('DOCUMENT_NOT_ISSUED');
    return { pdf: await storedPdf(this.db, id), fileName: this.fileName(d), doc: d };
  }
}

function numberTaken(): AppError {
  return new AppError('DOCUMENT_NUMBER_TAKEN', {}, { numberSeq: { key: 'v.doc_number_taken' } });
}
