import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { inScope, scopeFor, type Capability, type Scope } from '../../auth/roles.ts';
import { insertId, isUniqueViolation } from '../../db/helpers.ts';
import { AppError, type FieldErrors } from '../../http/errors.ts';
import { validate } from '../../http/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { DocumentRefusal, type DocumentDefinition, type DocumentFields, type DocumentGatherContext, type DocumentUnit } from '../../plugins/contract.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { writeAudit } from '../audit/audit.repository.ts';
import { findUnit } from '../units/units.repository.ts';
import { DocumentBatch } from './documents.batch.ts';
import { allDefinitions } from './documents.registry.ts';
import { fieldsInput, prepareInput } from './documents.schemas.ts';
import { asciiName, bodyAbbreviation, formAbbreviation, formTitle, issuingBody, numberText, parentBody, placeDate } from './documents.text.ts';
import { missingGlyphs, renderDocument, textsOf } from './nd30.layout.ts';

export type DocumentStatus = 'draft' | 'approved' | 'issued';

export interface DocumentRecord {
  id: number;
  unitId: number;
  unitName: string;
  unitPath: string;
  type: string;
  year: number;
  numberSeq: number;
  numberText: string;
  numberSuffix: string;
  status: DocumentStatus;
  fields: DocumentFields;
  issueDate: string | null;
  approvedBy: number | null;
  approvedAt: string | null;
  approvedByName: string | null;
  issuedBy: number | null;
  issuedByName: string | null;
  issuedAt: string | null;
  sha256: string | null;
  pdfSize: number | null;
  sourceId: number | null;
  createdAt: string;
}

type Db = Knex | Knex.Transaction;
const columns = ['d.id', 'd.unit_id', 'd.type', 'd.year', 'd.number_seq', 'd.number_text', 'd.status', 'd.data_json', 'd.issue_date', 'd.approved_by', 'd.approved_at',
  'd.issued_by', 'd.issued_at', 'd.sha256', 'd.pdf_size', 'd.source_id', 'd.created_at', 'u.name as unit_name', 'u.path as unit_path',
  'ua.full_name as approved_by_name', 'ui.full_name as issued_by_name'];

/** The documents with their unit and the names of who approved and issued them. */
const withNames = (db: Db) => db('documents as d').join('units as u', 'u.id', 'd.unit_id')
  .leftJoin('users as ua', 'ua.id', 'd.approved_by').leftJoin('users as ui', 'ui.id', 'd.issued_by');

function toRecord(r: Record<string, unknown>): DocumentRecord {
  const data = JSON.parse(String(r.data_json)) as { fields: DocumentFields; numberSuffix: string };
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id), unitId: Number(r.unit_id), unitName: String(r.unit_name), unitPath: String(r.unit_path), type: String(r.type), year: Number(r.year),
    numberSeq: Number(r.number_seq), numberText: String(r.number_text), numberSuffix: data.numberSuffix, status: r.status as DocumentStatus, fields: data.fields,
    issueDate: (r.issue_date as string | null) ?? null, approvedBy: num(r.approved_by), approvedAt: (r.approved_at as string | null) ?? null,
    approvedByName: (r.approved_by_name as string | null) ?? null, issuedBy: num(r.issued_by), issuedByName: (r.issued_by_name as string | null) ?? null,
    issuedAt: (r.issued_at as string | null) ?? null, sha256: (r.sha256 as string | null) ?? null, pdfSize: num(r.pdf_size),
    sourceId: num(r.source_id), createdAt: String(r.created_at),
  };
}

const emptyFields: DocumentFields = { subject: '', authority: '', legalBases: [], articles: [], signerOnBehalf: '', signerTitle: '', signerName: '', recipients: [], parts: {} };

export interface ListFilter { unitId?: number; type?: string; year?: number; status?: string }

/**
 * Printable documents: a draft prepared from the unit's data with editable fields, approved by
 * the unit's leader, issued once (PDF and SHA-256 stored; the bytes are served unchanged after).
 * Outside the caller's scope a document does not exist (404).
 */
export class DocumentsService {
  readonly batch: DocumentBatch;

  constructor(private readonly db: Knex, private readonly clock: Clock, private readonly plugins: () => PluginRegistry) {
    this.batch = new DocumentBatch(db);
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

  rights(actor: Actor, d: DocumentRecord): { write: boolean; approve: boolean; issue: boolean } {
    const open = d.status !== 'issued';
    return {
      write: open && this.can(actor, 'document.write', d.unitPath),
      approve: d.status === 'draft' && this.can(actor, 'document.approve', d.unitPath),
      issue: open && this.can(actor, 'document.issue', d.unitPath),
    };
  }

  async canWriteUnit(actor: Actor, unitId: number): Promise<boolean> {
    return !!(await findUnit(this.db, unitId, scopeFor(actor.user, 'document.write')));
  }

  /** The units the actor may prepare documents for, in tree order (the page's choice of unit). */
  async writableUnits(actor: Actor): Promise<Array<{ id: number; code: string; name: string; depth: number }>> {
    const scope = scopeFor(actor.user, 'document.write');
    if (!scope.all && !scope.paths.length) return [];
    const q = this.db('units').whereNull('active_to').orderBy('path').limit(1000);
    if (!scope.all) q.where((w) => { for (const p of scope.paths) w.orWhere('path', 'like', `${p}%`); });
    return ((await q.select('id', 'code', 'name', 'depth')) as Array<Record<string, unknown>>).map((u) => ({ id: Number(u.id), code: String(u.code), name: String(u.name), depth: Number(u.depth) }));
  }

  /** The units whose subtree the actor may print in one ZIP: every province for an administrator. */
  async batchRoots(actor: Actor): Promise<Array<{ id: number; code: string; name: string }>> {
    const scope = scopeFor(actor.user, 'document.batch');
    const q = this.db('units').whereNull('active_to').orderBy('name');
    if (scope.all) q.whereNull('parent_id');
    else if (scope.paths.length) q.whereIn('path', scope.paths);
    else return [];
    return ((await q.select('id', 'code', 'name')) as Array<Record<string, unknown>>).map((u) => ({ id: Number(u.id), code: String(u.code), name: String(u.name) }));
  }

  /** The unit as the layout needs it; undefined outside the scope. */
  async unitOf(db: Db, unitId: number, scope: Scope): Promise<DocumentUnit | undefined> {
    const u = await findUnit(db, unitId, scope);
    if (!u) return undefined;
    const parent = u.parentId ? ((await db('units').where('id', u.parentId).first('name', 'kind')) as Record<string, unknown> | undefined) : undefined;
    return { id: u.id, code: u.code, name: u.name, kind: u.kind, path: u.path, placeName: u.placeName, parentName: (parent?.name as string | undefined) ?? null, parentKind: (parent?.kind as string | undefined) ?? null };
  }

  private gatherContext(db: Db, unit: DocumentUnit, year: number, sourceId: number | null): DocumentGatherContext {
    return {
      db: db as Knex, unit, year, sourceId,
      hasTable: (name) => db.schema.hasTable(name),
      hasColumn: (table, column) => db.schema.hasColumn(table, column),
    };
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

  async list(actor: Actor, f: ListFilter): Promise<DocumentRecord[]> {
    const scope = scopeFor(actor.user, 'unit.read');
    const q = withNames(this.db).orderBy([{ column: 'd.year', order: 'desc' }, { column: 'd.id', order: 'desc' }]).limit(500);
    if (!scope.all) q.where((w) => { for (const p of scope.paths) w.orWhere('u.path', 'like', `${p}%`); if (!scope.paths.length) w.whereRaw('1 = 0'); });
    if (f.unitId) q.where('d.unit_id', f.unitId);
    if (f.type) q.where('d.type', f.type);
    if (f.year) q.where('d.year', f.year);
    if (f.status) q.where('d.status', f.status);
    return ((await q.select(columns)) as Array<Record<string, unknown>>).map(toRecord);
  }

  private async load(db: Db, id: number): Promise<DocumentRecord | undefined> {
    const row = (await withNames(db).where('d.id', id).first(columns)) as Record<string, unknown> | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** A document the actor may read (404 otherwise). */
  async get(actor: Actor, id: number, db: Db = this.db): Promise<DocumentRecord> {
    const d = await this.load(db, id);
    if (!d || !this.can(actor, 'unit.read', d.unitPath)) throw new AppError('NOT_FOUND');
    return d;
  }

  /** A document the actor holds `cap` on (404 otherwise: beyond one's role it does not exist). */
  private async withCap(actor: Actor, id: number, cap: Capability, db: Db = this.db): Promise<DocumentRecord> {
    const d = await this.get(actor, id, db);
    if (!this.can(actor, cap, d.unitPath)) throw new AppError('NOT_FOUND');
    return d;
  }

  /** The next free number of a unit, year and type. */
  private async nextSeq(db: Db, unitId: number, year: number, type: string): Promise<number> {
    const row = (await db('documents').where({ unit_id: unitId, year, type }).max({ m: 'number_seq' }).first()) as { m: unknown } | undefined;
    return Number(row?.m ?? 0) + 1;
  }

  /** Where each kind of source lives, and its date column (the document's year). */
  private static readonly sources = {
    check: { table: 'checks', date: 'check_date', soft: false },
    review: { table: 'management_reviews', date: 'review_date', soft: true },
    inspection: { table: 'inspections', date: 'inspection_date', soft: true },
  } as const;

  /** The checks, management reviews and inspections of a unit a document can be printed from. */
  async sourcesOf(unitId: number): Promise<Array<{ id: number; kind: 'check' | 'review' | 'inspection'; date: string; status: string }>> {
    const out: Array<{ id: number; kind: 'check' | 'review' | 'inspection'; date: string; status: string }> = [];
    for (const [kind, s] of Object.entries(DocumentsService.sources) as Array<['check' | 'review' | 'inspection', { table: string; date: string; soft: boolean }]>) {
      const q = this.db(s.table).where('unit_id', unitId).orderBy(s.date, 'desc').limit(200).select('id', `${s.date} as day`, 'status');
      if (s.soft) q.whereNull('deleted_at');
      for (const r of (await q) as Array<Record<string, unknown>>) out.push({ id: Number(r.id), kind, date: String(r.day), status: String(r.status) });
    }
    return out;
  }

  /** The source a document prints, of the unit (undefined when it is not one of the unit's). */
  private async source(kind: 'check' | 'review' | 'inspection', id: number | undefined, unitId: number): Promise<{ id: number; year: number } | undefined> {
    const s = DocumentsService.sources[kind];
    if (!id) return undefined;
    const q = this.db(s.table).where({ id, unit_id: unitId });
    if (s.soft) q.whereNull('deleted_at');
    const row = (await q.first('id', `${s.date} as day`)) as Record<string, unknown> | undefined;
    return row ? { id: Number(row.id), year: Number(String(row.day).slice(0, 4)) } : undefined;
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
      const src = await this.source(def.appliesTo, data.sourceId, unit.id);
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
          const seq = await this.nextSeq(trx, unit.id, year, def.id);
          const newId = await insertId(trx('documents').insert({
            unit_id: unit.id, type: def.id, year, number_seq: seq, number_text: numberText(seq, suffix), status: 'draft',
            data_json: JSON.stringify({ fields, numberSuffix: suffix }), issue_date: vnDate(now), source_id: sourceId, created_by: actor.user.id, created_at: at, updated_at: at,
          }));
          await writeAudit(trx, { at, userId: actor.user.id, action: 'create', entity: 'document', entityId: newId, unitId: unit.id, after: { type: def.id, year, number: numberText(seq, suffix), sourceId }, requestId: actor.requestId });
          return newId;
        });
        return (await this.load(this.db, id))!;
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
      ? { numberSeq: d.numberSeq, numberSuffix: d.numberSuffix, issueDate: d.issueDate ?? undefined, ...keptFields, ...given,
        parts: { ...keptParts, ...(typeof given.parts === 'object' && given.parts !== null ? given.parts : {}) } }
      : given;
    const data = validate(fieldsInput, body);
    const fieldErrors: FieldErrors = {};
    // Free-text parts: `parts` (API) or `part_<id>` (pages).
    const givenParts = (typeof body.parts === 'object' && body.parts !== null ? body.parts : {}) as Record<string, unknown>;
    const parts: Record<string, string> = {};
    for (const p of def.textParts ?? []) {
      const raw = givenParts[p.id] ?? body[`part_${p.id}`];
      const text = typeof raw === 'string' ? raw.normalize('NFC').trim() : '';
      if (text.length > 8000) fieldErrors[`part_${p.id}`] = { key: 'v.too_long', params: { n: 8000 } };
      if (p.options && text && !p.options.some((o) => o.value === text)) fieldErrors[`part_${p.id}`] = { key: 'v.choose' };
      parts[p.id] = text;
    }
    const fields: DocumentFields = {
      subject: data.subject, authority: data.authority ?? '', legalBases: data.legalBases, articles: data.articles,
      signerOnBehalf: data.signerOnBehalf ?? '', signerTitle: data.signerTitle, signerName: data.signerName ?? '', recipients: data.recipients, parts,
    };
    const asText: Record<string, string[]> = {
      subject: [fields.subject], authority: [fields.authority], legalBases: fields.legalBases, articles: fields.articles, signerOnBehalf: [fields.signerOnBehalf],
      signerTitle: [fields.signerTitle], signerName: [fields.signerName], recipients: fields.recipients, numberSuffix: [data.numberSuffix],
      ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [`part_${k}`, [v]])),
    };
    for (const [name, texts] of Object.entries(asText)) {
      const missing = missingGlyphs(texts);
      if (missing.length) fieldErrors[name] = { key: 'v.doc_glyphs', params: { chars: glyphList(missing) } };
    }
    if (Object.keys(fieldErrors).length) throw new AppError('VALIDATION_FAILED', {}, fieldErrors);
    const at = iso(this.clock.now());
    const text = numberText(data.numberSeq, data.numberSuffix);
    try {
      await this.db.transaction(async (trx) => {
        const taken = await trx('documents').where({ unit_id: d.unitId, year: d.year, type: d.type, number_seq: data.numberSeq }).whereNot('id', d.id).first('id');
        if (taken) throw numberTaken();
        const changed = await trx('documents').where('id', d.id).whereNot('status', 'issued').update({
          number_seq: data.numberSeq, number_text: text, issue_date: data.issueDate, status: 'draft', approved_by: null, approved_at: null,
          data_json: JSON.stringify({ fields, numberSuffix: data.numberSuffix }), updated_at: at,
        });
        if (!changed) throw new AppError('DOCUMENT_WRONG_STATE');
        await writeAudit(trx, { at, userId: actor.user.id, action: 'update', entity: 'document', entityId: d.id, unitId: d.unitId,
          before: { number: d.numberText, status: d.status, issueDate: d.issueDate }, after: { number: text, status: 'draft', issueDate: data.issueDate, fields }, requestId: actor.requestId });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw numberTaken();
      throw err;
    }
    return (await this.load(this.db, d.id))!;
  }

  /** The leader's approval of a draft. */
  async approve(actor: Actor, id: number): Promise<DocumentRecord> {
    const d = await this.withCap(actor, id, 'document.approve');
    const at = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      const changed = await trx('documents').where({ id: d.id, status: 'draft' }).update({ status: 'approved', approved_by: actor.user.id, approved_at: at, updated_at: at });
      if (!changed) throw new AppError('DOCUMENT_WRONG_STATE');
      await writeAudit(trx, { at, userId: actor.user.id, action: 'approve', entity: 'document', entityId: d.id, unitId: d.unitId, after: { number: d.numberText }, requestId: actor.requestId });
    });
    return (await this.load(this.db, d.id))!;
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
  async issue(actor: Actor, id: number): Promise<DocumentRecord> {
    const d = await this.withCap(actor, id, 'document.issue');
    if (d.status === 'draft') throw new AppError('DOCUMENT_NOT_APPROVED');
    if (d.status !== 'approved') throw new AppError('DOCUMENT_WRONG_STATE');
    const now = this.clock.now();
    const at = iso(now);
    await this.db.transaction(async (trx) => {
      // Takes the row first: two issues at once, or an edit meanwhile, cannot both pass.
      const held = await trx('documents').where({ id: d.id, status: 'approved' }).update({ updated_at: at });
      if (!held) throw new AppError('DOCUMENT_WRONG_STATE');
      const current = (await this.load(trx, d.id))!;
      const { pdf, facts } = await this.render(trx, current, now);
      const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
      const issueDate = current.issueDate ?? vnDate(now);
      await trx('documents').where('id', d.id).update({
        status: 'issued', issued_by: actor.user.id, issued_at: at, issue_date: issueDate, sha256, pdf, pdf_size: pdf.length,
        data_json: JSON.stringify({ fields: current.fields, numberSuffix: current.numberSuffix, facts }), updated_at: at,
      });
      await writeAudit(trx, { at, userId: actor.user.id, action: 'issue', entity: 'document', entityId: d.id, unitId: d.unitId, after: { number: current.numberText, issueDate, sha256 }, requestId: actor.requestId });
      if (d.type === 'declaration' || d.type === 'redeclaration') {
        const before = (await trx('units').where('id', d.unitId).first('iso_state', 'iso_declaration_number', 'iso_declared_on')) as Record<string, unknown>;
        await trx('units').where('id', d.unitId).update({
          iso_state: 'declared', iso_standard: '2015', iso_state_changed_at: at, iso_state_reason: `Quyết định số ${current.numberText}`,
          iso_declared_on: issueDate, iso_declaration_number: current.numberText, iso_declared_document_id: d.id, updated_at: at,
        });
        await writeAudit(trx, { at, userId: actor.user.id, action: 'iso_state', entity: 'unit', entityId: d.unitId, unitId: d.unitId,
          before: { isoState: before.iso_state, declarationNumber: before.iso_declaration_number, declaredOn: before.iso_declared_on },
          after: { isoState: 'declared', declarationNumber: current.numberText, declaredOn: issueDate, documentId: d.id }, requestId: actor.requestId });
      }
    });
    return (await this.load(this.db, d.id))!;
  }

  /** The stored bytes of an issued document, exactly as issued. */
  async download(actor: Actor, id: number): Promise<{ pdf: Buffer; fileName: string; doc: DocumentRecord }> {
    const d = await this.get(actor, id);
    if (d.status !== 'issued') throw new AppError('DOCUMENT_NOT_ISSUED');
    const row = (await this.db('documents').where('id', id).first('pdf')) as { pdf: Buffer | Uint8Array };
    return { pdf: Buffer.from(row.pdf), fileName: this.fileName(d), doc: d };
  }
}

function numberTaken(): AppError {
  return new AppError('DOCUMENT_NUMBER_TAKEN', {}, { numberSeq: { key: 'v.doc_number_taken' } });
}

/** `😀 (U+1F600)`: the character and its code, so that an invisible one can be found too. */
function glyphList(chars: string[]): string {
  return chars.slice(0, 10).map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
}
