import type { Knex } from 'knex';
import { z } from 'zod';
import { inScope, scopeFor, type Capability } from '../../auth/roles.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { idList, optionalId, optionalText, requiredDate, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { noHandOff, type HandOff } from '../../kernel/handoff.ts';
import { handOnSubmitted } from './checks.handoff.ts';
import type { FormDefinition, NotificationDraft } from '../../plugins/contract.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { unitFor } from '../units/units.repository.ts';
import { idsInScope, personNotInScope, provincePathOf, resolvePeople } from '../users/people-in-scope.ts';
import type { Unit } from '../units/units.types.ts';
import { CheckFilesService } from './files.service.ts';
import { CheckFindingsService } from './findings.service.ts';
import { CheckCyclesService } from './cycles.service.ts';
import { CheckListService } from './list.service.ts';
import { replacedNotice } from './answers.notice.ts';
import { applyingAfterAudit, internalAuditFormId } from './iso-state.ts';
import * as repo from './checks.repository.ts';
import { answerAuthorOf, answersOf, answerValuesOf, upsertAnswer } from './answers.repository.ts';
import { filesOf } from './check-files.repository.ts';
import { findingsOf, insertRaisedFindings } from './findings.repository.ts';
import {
  checkKinds,
  type Check,
  type CheckDetails,
  type CheckGate,
  type LoadedCheck,
  type ProcedureRef,
  type Replaced,
  type SavedAnswer,
} from './checks.types.ts';
import { findItem, findingsFrom, missingAsFields, normaliseAnswer, noteMax, progressOf, scoreCheck, type StoredAnswer } from './checks.logic.ts';
import type { Db } from '../../kernel/db.ts';

export { checkKinds };
export type { Check, CheckDetails, Replaced, SavedAnswer } from './checks.types.ts';

const planInput = z.object({
  // Pages send `form` as `<id>@<version>`; the API sends formId and formVersion.
  form: optionalText(120),
  formId: optionalText(80),
  formVersion: z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.coerce
      .number({ error: 'v.invalid' })
      .int({ error: 'v.invalid' })
      .positive({ error: 'v.invalid' })
      .max(2 ** 31 - 1, { error: 'v.invalid' })
      .optional(),
  ),
  checkDate: requiredDate,
  kind: z.preprocess((v) => (v === '' || v === undefined ? 'planned' : v), z.enum(checkKinds, { error: 'v.choose' })),
  auditorIds: idList(50),
  // Pages: user names separated by commas or spaces.
  auditors: optionalText(2000),
  // The unit's issued procedures this check looks at (checkboxes, or an array in the API).
  procedureIds: idList(500),
  previousCheckId: optionalId,
});

const answerInput = z.object({
  value: z.union([z.string(), z.number(), z.null()]).optional(),
  note: z.union([z.string(), z.null()]).optional(),
});

const formCacheSize = 500;

/**
 * Checks and internal audits of a unit: plan, answer item by item, score, submit, findings.
 * Scope as for units: a check of a unit outside the caller's scope does not exist (404).
 */
export class ChecksService implements CheckGate {
  readonly files: CheckFilesService;
  readonly findings: CheckFindingsService;
  readonly cycles: CheckCyclesService;
  readonly list: CheckListService;
  /** Frozen forms by check id (see load). */
  private readonly forms = new Map<number, FormDefinition>();

  /**
   * `tell` hands notifications to the inbox (the app wires it to the notifications service): the
   * author of an answer another auditor replaced hears of it.
   */
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly plugins: () => PluginRegistry,
    uploadMaxBytes = 10240 * 1024,
    private readonly tell: (drafts: NotificationDraft[]) => Promise<unknown> = async () => undefined,
    private readonly handOff: HandOff = noHandOff,
  ) {
    this.files = new CheckFilesService(db, clock, this, uploadMaxBytes);
    this.findings = new CheckFindingsService(db, clock, this);
    this.cycles = new CheckCyclesService(db, clock, this, plugins, handOff);
    this.list = new CheckListService(db, plugins);
  }

  private unit(actor: Actor, unitId: number, cap: Capability): Promise<Unit> {
    return unitFor(this.db, actor, unitId, cap);
  }

  /** The iso-check forms that can be planned now (every registered version). */
  plannableForms(): FormDefinition[] {
    const reg = this.plugins();
    return reg
      .latestForms('iso-check')
      .flatMap((f) => reg.formVersions(f.id))
      .filter((f) => f.kind === 'iso-check');
  }

  /** A unit's procedures in force: what a check's scope and a finding may name (the caller holds the unit). */
  issuedProcedures(unitId: number): Promise<ProcedureRef[]> {
    return repo.issuedProcedures(this.db, unitId);
  }

  canPlan(actor: Actor, unit: Unit): boolean {
    return inScope(scopeFor(actor.user, 'check.plan'), unit.path);
  }

  canPlanPath(actor: Actor, unitPath: string): boolean {
    return inScope(scopeFor(actor.user, 'check.plan'), unitPath);
  }

  async listForUnit(actor: Actor, unitId: number): Promise<{ unit: Unit; checks: Check[] }> {
    const unit = await this.unit(actor, unitId, 'unit.read');
    return { unit, checks: await repo.checksOfUnit(this.db, unit.id) };
  }

  async plan(actor: Actor, unitId: number, input: unknown): Promise<Check> {
    const unit = await this.unit(actor, unitId, 'check.plan');
    const data = validate(planInput, input);
    const fields: FieldErrors = {};
    let formId = data.formId;
    let version = data.formVersion;
    if (data.form) {
      const [id, v] = data.form.split('@');
      formId = id;
      version = v ? Number(v) : undefined;
    }
    const form = formId ? this.plugins().form(formId, version) : undefined;
    if (!formId) fields.form = { key: 'v.required' };
    else if (!form || form.kind !== 'iso-check') fields.form = { key: 'v.form_unknown' };

    // Auditors may come from any unit of the province (cross audits), never from another one.
    const names = (data.auditors ?? '').split(/[\s,;]+/).filter(Boolean);
    const auditors = await resolvePeople(this.db, { subtrees: [provincePathOf(unit.path)] }, { usernames: names, ids: data.auditorIds });
    if (auditors.missingNames.length) fields.auditors = personNotInScope;
    if (auditors.missingIds.length) fields.auditorIds = personNotInScope;
    if (Object.keys(fields).length || !form) throw new AppError('VALIDATION_FAILED', {}, fields);

    const procedureIds = [...new Set(data.procedureIds)];
    if (procedureIds.length) {
      const issued = await repo.issuedProcedures(this.db, unit.id, procedureIds);
      if (issued.length !== procedureIds.length) fields.procedureIds = { key: 'v.check_procedure_unknown' };
    }
    if (data.previousCheckId !== undefined && !(await repo.isCheckOfUnit(this.db, data.previousCheckId, unit.id))) {
      fields.previousCheckId = { key: 'v.check_previous_unknown' };
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);

    const auditorIds = auditors.found.map((u) => u.id);
    const now = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      const newId = await repo.insertCheck(
        trx,
        {
          unitId: unit.id,
          form,
          checkDate: data.checkDate,
          kind: data.kind,
          createdBy: actor.user.id,
          previousCheckId: data.previousCheckId ?? null,
          auditorIds,
          procedureIds,
        },
        now,
      );
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'create',
        entity: 'check',
        entityId: newId,
        unitId: unit.id,
        after: {
          formId: form.id,
          formVersion: form.version,
          checkDate: data.checkDate,
          kind: data.kind,
          auditorIds,
          procedureIds,
          previousCheckId: data.previousCheckId ?? null,
        },
        requestId: actor.requestId,
      });
      return newId;
    });
    return (await this.load(this.db, id)) as Check;
  }

  /** The check by id, whoever asks (callers check the scope). */
  async load(db: Db, id: number): Promise<LoadedCheck | undefined> {
    // A check's form is a frozen copy, never changed: once read it is kept, and every save after
    // reads neither the column (tens of kB for an audit form) nor parses it again.
    const known = this.forms.get(id);
    const check = await repo.findCheck(db, id, known);
    if (!check) return undefined;
    if (!known) {
      if (this.forms.size >= formCacheSize) this.forms.delete(this.forms.keys().next().value as number);
      this.forms.set(id, check.form);
    }
    return check;
  }

  /** A check the actor may read (404 otherwise), and whether they may answer it. */
  async readable(actor: Actor, id: number, db: Db = this.db) {
    const check = await this.load(db, id);
    if (!check || !inScope(scopeFor(actor.user, 'unit.read'), check.unitPath)) throw new AppError('NOT_FOUND');
    // Those who hold the right on the unit answer; so do the auditors named on the check.
    const canAnswer = inScope(scopeFor(actor.user, 'check.answer'), check.unitPath) || (await repo.isAuditor(db, id, actor.user.id));
    return { check, canAnswer };
  }

  async answerable(actor: Actor, id: number, db: Db = this.db) {
    const r = await this.readable(actor, id, db);
    if (!r.canAnswer) throw new AppError('NOT_FOUND');
    return r.check;
  }

  async details(actor: Actor, id: number): Promise<CheckDetails> {
    const { check, canAnswer } = await this.readable(actor, id);
    const [answers, auditors, findings, files, procedures, signer] = await Promise.all([
      answersOf(this.db, id),
      repo.auditorsOf(this.db, id),
      findingsOf(this.db, id),
      filesOf(this.db, id),
      repo.scopeProceduresOf(this.db, id),
      check.signedOffBy ? repo.fullNameOf(this.db, check.signedOffBy) : Promise.resolve(undefined),
    ]);
    const shownAuditors = await idsInScope(
      this.db,
      { subtrees: [provincePathOf(check.unitPath)] },
      auditors.map((a) => a.id),
    );
    const { form, ...plain } = check;
    return {
      check: plain,
      form,
      answers,
      canAnswer: canAnswer && check.status !== 'submitted',
      // Older checks may name an auditor of another province: such a name is not shown.
      auditors: auditors.filter((a) => shownAuditors.has(a.id)),
      scoring: scoreCheck(form, answers),
      progress: progressOf(form, answers),
      findings,
      files,
      procedures,
      signOff: check.signedOffBy && check.signedOffAt ? { userId: check.signedOffBy, fullName: signer ?? '', at: check.signedOffAt } : null,
      canSign: check.status === 'submitted' && !check.signedOffAt && inScope(scopeFor(actor.user, 'check.sign'), check.unitPath),
      canRecord: canAnswer && check.status !== 'planned' && !check.signedOffAt,
    };
  }

  /**
   * Saves one item's answer and note as given. The same item saved by two people: the later save
   * wins, and its author is told whose answer it replaced. Refused once the check is submitted.
   */
  async saveAnswer(actor: Actor, checkId: number, itemId: string, input: unknown): Promise<SavedAnswer> {
    const data = validate(answerInput, input);
    const check = await this.answerable(actor, checkId);
    const found = findItem(check.form, itemId);
    if (!found) throw new AppError('NOT_FOUND');
    const parsed = normaliseAnswer(found.item, data.value);
    if ('error' in parsed) throw new AppError('VALIDATION_FAILED', {}, { value: { key: parsed.error } });
    const note = typeof data.note === 'string' ? data.note.normalize('NFC').trim() || null : null;
    if (note && note.length > noteMax) throw new AppError('VALIDATION_FAILED', {}, { note: { key: 'v.too_long', params: { n: noteMax } } });
    return this.writeAnswer(check, found.sectionId, itemId, parsed.value, note, actor);
  }

  private async writeAnswer(
    check: LoadedCheck,
    sectionId: string,
    itemId: string,
    value: string | null,
    note: string | null,
    actor: Actor,
  ): Promise<SavedAnswer> {
    const now = iso(this.clock.now());
    const { form, id: checkId } = check;
    // The first answer moves the check on; the row (with its frozen form) is not rewritten by
    // every save after it, nor even visited once the check was seen in progress.
    if (check.status === 'planned') await repo.startCheck(this.db, checkId, now);
    const before = await answerAuthorOf(this.db, checkId, itemId);
    // One statement writes the answer, and only while the check is not submitted (no transaction
    // holds the connection between statements: see upsertAnswer).
    const version = await upsertAnswer(this.db, { checkId, sectionId, itemId, value, note, answeredBy: actor.user.id, at: now });
    if (version === undefined) throw new AppError('CHECK_LOCKED');
    const answer: StoredAnswer = {
      sectionId,
      itemId,
      value,
      note,
      answeredBy: actor.user.id,
      answeredByName: actor.user.fullName,
      answeredAt: now,
      version,
    };
    // The score and progress after this save come from every answer of the check as stored now.
    const byItem = await answerValuesOf(this.db, checkId);
    byItem.set(itemId, answer);
    const after = { scoring: scoreCheck(form, byItem), progress: progressOf(form, byItem) };
    if (!before || before.answeredBy === actor.user.id) return { answer, ...after };
    const replaced: Replaced = {
      itemId,
      userId: before.answeredBy,
      fullName: (await repo.fullNameOf(this.db, before.answeredBy)) ?? '',
      answeredAt: before.answeredAt,
      value: before.value,
    };
    await this.tell([replacedNotice(check, itemId, replaced, actor, vnDate(this.clock.now()))]);
    return { answer, replaced, ...after };
  }

  /**
   * A section's save button (pages without JavaScript). Only the items the user changed on the
   * page are saved (the page carries what it showed), so a stale page does not undo what another
   * auditor answered meanwhile. Every bad item is reported at once and nothing is saved then.
   */
  async saveSection(actor: Actor, checkId: number, sectionId: string, body: Record<string, unknown>): Promise<{ saved: number; replaced: Replaced[] }> {
    const check = await this.answerable(actor, checkId);
    const section = check.form.sections.find((s) => s.id === sectionId);
    if (!section) throw new AppError('NOT_FOUND');
    if (check.status === 'submitted') throw new AppError('CHECK_LOCKED');
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const changed = section.items.filter((item) => {
      const value = body[`a.${item.id}`];
      const note = body[`n.${item.id}`];
      return (
        (value !== undefined && str(value) !== str(body[`was.${item.id}`])) || (note !== undefined && str(note).trim() !== str(body[`wasn.${item.id}`]).trim())
      );
    });
    const fields: FieldErrors = {};
    for (const item of changed) {
      const r = normaliseAnswer(item, body[`a.${item.id}`] ?? body[`was.${item.id}`]);
      if ('error' in r) fields[`a.${item.id}`] = { key: r.error };
      if (str(body[`n.${item.id}`]).length > noteMax) fields[`n.${item.id}`] = { key: 'v.too_long', params: { n: noteMax } };
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);
    const replaced: Replaced[] = [];
    for (const item of changed) {
      const value = body[`a.${item.id}`] ?? body[`was.${item.id}`];
      const note = body[`n.${item.id}`] ?? body[`wasn.${item.id}`];
      const r = await this.saveAnswer(actor, checkId, item.id, { value: str(value), note: str(note) });
      if (r.replaced) replaced.push(r.replaced);
    }
    return { saved: changed.length, replaced };
  }

  /**
   * Submits the check: refused while a mandatory item is unanswered (the missing items are the
   * error's fields). Then the answers are locked, the score stored and the findings raised.
   */
  async submit(actor: Actor, checkId: number): Promise<Check> {
    await this.answerable(actor, checkId);
    const now = this.clock.now();
    await this.db.transaction(async (trx) => {
      if (!(await repo.takeOpenCheck(trx, checkId, iso(now)))) throw new AppError('CHECK_LOCKED');
      const check = (await this.load(trx, checkId))!;
      const answers = await answersOf(trx, checkId);
      const progress = progressOf(check.form, answers);
      if (progress.missing.length) throw new AppError('CHECK_INCOMPLETE', { n: progress.missing.length }, missingAsFields(progress.missing));
      const asOf = new Date(Date.parse(`${check.checkDate}T12:00:00+07:00`));
      const raised = findingsFrom(check.form, answers, asOf);
      await insertRaisedFindings(trx, checkId, raised, iso(now));
      const score = scoreCheck(check.form, answers).overall.percent;
      await repo.markSubmitted(trx, checkId, actor.user.id, iso(now), score);
      // Answers are not logged one by one: each keeps its author and time; the submit is the record.
      await writeAudit(trx, {
        at: iso(now),
        userId: actor.user.id,
        action: 'submit',
        entity: 'check',
        entityId: checkId,
        unitId: check.unitId,
        after: { score, findings: raised.length },
        requestId: actor.requestId,
      });
      if (check.formId === internalAuditFormId) await applyingAfterAudit(trx, actor, check.unitId, check.checkDate, iso(now));
    });
    const submitted = (await this.load(this.db, checkId))!;
    await handOnSubmitted(this.db, this.handOff, actor, submitted);
    return submitted;
  }
}
