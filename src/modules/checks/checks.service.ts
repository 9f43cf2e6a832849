import type { Knex } from 'knex';
import { z } from 'zod';
import { inScope, scopeFor, type Capability } from '../../auth/roles.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { idList, optionalId, optionalText, requiredDate, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { dayText, iso, vnDate } from '../../lib/time.ts';
import { insertId, isPostgres } from '../../db/helpers.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { FormDefinition, NotificationDraft } from '../../plugins/contract.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { unitFor } from '../units/units.repository.ts';
import { idsInScope, personNotInScope, provincePathOf, resolvePeople } from '../users/people-in-scope.ts';
import type { Unit } from '../units/units.types.ts';
import { CheckFilesService, filesOf } from './files.service.ts';
import { CheckFindingsService, findingsOf } from './findings.service.ts';
import { CheckCyclesService } from './cycles.service.ts';
import { CheckListService } from './list.service.ts';
import { applyingAfterAudit, internalAuditFormId, issuedProcedures } from './iso-state.ts';
import {
  checkKinds,
  type Check,
  type CheckDetails,
  type CheckGate,
  type CheckKind,
  type CheckStatus,
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

const checkColumns = [
  'c.id',
  'c.unit_id',
  'c.form_id',
  'c.form_version',
  'c.form_json',
  'c.check_date',
  'c.kind',
  'c.status',
  'c.score',
  'c.submitted_at',
  'c.created_at',
  'c.signed_off_by',
  'c.signed_off_at',
  'c.previous_check_id',
  'u.path as unit_path',
  'u.name as unit_name',
];

function toCheck(r: Record<string, unknown>, known?: FormDefinition): Check & { form: FormDefinition } {
  const form = known ?? (JSON.parse(String(r.form_json)) as FormDefinition);
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitPath: String(r.unit_path),
    unitName: String(r.unit_name),
    formId: String(r.form_id),
    formVersion: Number(r.form_version),
    formTitle: form.title,
    checkDate: String(r.check_date),
    kind: r.kind as CheckKind,
    status: r.status as CheckStatus,
    score: r.score === null || r.score === undefined ? null : Number(r.score),
    submittedAt: (r.submitted_at as string | null) ?? null,
    createdAt: String(r.created_at),
    form,
    signedOffBy: r.signed_off_by === null || r.signed_off_by === undefined ? null : Number(r.signed_off_by),
    signedOffAt: (r.signed_off_at as string | null) ?? null,
    previousCheckId: r.previous_check_id === null || r.previous_check_id === undefined ? null : Number(r.previous_check_id),
  };
}

/**
 * Checks and internal audits of a unit: plan, answer item by item, score, submit, findings.
 * Scope as for units: a check of a unit outside the caller's scope does not exist (404).
 */
/**
 * The earlier author of an answer another auditor replaced is told so in the inbox (issue 5:
 * "the later one wins and the earlier author is told"): which item, by whom, what it now says.
 * Once per item, person replaced and day, however often the two go back and forth.
 */
function replacedNotice(check: Check & { form: FormDefinition }, itemId: string, r: Replaced, by: Actor, day: string): NotificationDraft {
  const item = findItem(check.form, itemId)?.item;
  const ref = item ? `${item.ref} ` : '';
  const what = { vi: item ? item.text.vi : itemId, en: item ? item.text.en : itemId };
  const was = (v: string | null, none: string) => (v === null || v === '' ? none : `“${v.length > 200 ? `${v.slice(0, 200)}…` : v}”`);
  const date = dayText(check.checkDate);
  return {
    recipient: { userId: r.userId },
    title: {
      vi: `Câu trả lời của bạn đã được thay: ${ref}(${check.unitName}, ${date})`,
      en: `Your answer was replaced: ${ref}(${check.unitName}, ${date})`,
    },
    body: {
      vi: `${by.user.fullName} đã trả lời lại câu “${what.vi}”. Trước đó bạn trả lời ${was(r.value, 'để trống')}.`,
      en: `${by.user.fullName} answered “${what.en}” again. Your answer was ${was(r.value, 'empty')}.`,
    },
    link: `/checks/${check.id}#i-${encodeURIComponent(itemId)}`,
    dedupeKey: `answer-replaced:${check.id}:${itemId}:${r.userId}:${day}`,
  };
}

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
    readonly db: Knex,
    private readonly clock: Clock,
    private readonly plugins: () => PluginRegistry,
    uploadMaxBytes = 10240 * 1024,
    private readonly tell: (drafts: NotificationDraft[]) => Promise<unknown> = async () => undefined,
  ) {
    this.files = new CheckFilesService(db, clock, this, uploadMaxBytes);
    this.findings = new CheckFindingsService(db, clock, this);
    this.cycles = new CheckCyclesService(db, clock, this, plugins);
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

  canPlan(actor: Actor, unit: Unit): boolean {
    return inScope(scopeFor(actor.user, 'check.plan'), unit.path);
  }

  canPlanPath(actor: Actor, unitPath: string): boolean {
    return inScope(scopeFor(actor.user, 'check.plan'), unitPath);
  }

  async listForUnit(actor: Actor, unitId: number): Promise<{ unit: Unit; checks: Check[] }> {
    const unit = await this.unit(actor, unitId, 'unit.read');
    const rows = (await this.db('checks as c')
      .join('units as u', 'u.id', 'c.unit_id')
      .where('c.unit_id', unit.id)
      .orderBy([
        { column: 'c.check_date', order: 'desc' },
        { column: 'c.id', order: 'desc' },
      ])
      .select(checkColumns)) as Array<Record<string, unknown>>;
    return {
      unit,
      checks: rows.map((r) => {
        const { form: _form, ...c } = toCheck(r);
        return c;
      }),
    };
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
      const issued = await issuedProcedures(this.db, unit.id, procedureIds);
      if (issued.length !== procedureIds.length) fields.procedureIds = { key: 'v.check_procedure_unknown' };
    }
    if (data.previousCheckId !== undefined && !(await this.db('checks').where({ id: data.previousCheckId, unit_id: unit.id }).first('id'))) {
      fields.previousCheckId = { key: 'v.check_previous_unknown' };
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);

    const auditorIds = auditors.found.map((u) => u.id);
    const now = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      const newId = await insertId(
        trx('checks').insert({
          unit_id: unit.id,
          form_id: form.id,
          form_version: form.version,
          form_json: JSON.stringify(form),
          check_date: data.checkDate,
          kind: data.kind,
          status: 'planned',
          created_by: actor.user.id,
          created_at: now,
          updated_at: now,
          previous_check_id: data.previousCheckId ?? null,
        }),
      );
      if (auditorIds.length) await trx('check_auditors').insert(auditorIds.map((user_id) => ({ check_id: newId, user_id })));
      if (procedureIds.length) await trx('check_procedures').insert(procedureIds.map((procedure_id) => ({ check_id: newId, procedure_id })));
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
  async load(db: Db, id: number): Promise<(Check & { form: FormDefinition }) | undefined> {
    // A check's form is a frozen copy, never changed: once read it is kept, and every save after
    // reads neither the column (tens of kB for an audit form) nor parses it again.
    const known = this.forms.get(id);
    const row = (await db('checks as c')
      .join('units as u', 'u.id', 'c.unit_id')
      .where('c.id', id)
      .first(known ? checkColumns.filter((c) => c !== 'c.form_json') : checkColumns)) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    const check = toCheck(row, known);
    if (!known) {
      if (this.forms.size >= formCacheSize) this.forms.delete(this.forms.keys().next().value as number);
      this.forms.set(id, check.form);
    }
    return check;
  }

  private async isAuditor(db: Db, checkId: number, userId: number): Promise<boolean> {
    return !!(await db('check_auditors').where({ check_id: checkId, user_id: userId }).first('user_id'));
  }

  /** A check the actor may read (404 otherwise), and whether they may answer it. */
  async readable(actor: Actor, id: number, db: Db = this.db) {
    const check = await this.load(db, id);
    if (!check || !inScope(scopeFor(actor.user, 'unit.read'), check.unitPath)) throw new AppError('NOT_FOUND');
    // Those who hold the right on the unit answer; so do the auditors named on the check.
    const canAnswer = inScope(scopeFor(actor.user, 'check.answer'), check.unitPath) || (await this.isAuditor(db, id, actor.user.id));
    return { check, canAnswer };
  }

  async answerable(actor: Actor, id: number, db: Db = this.db) {
    const r = await this.readable(actor, id, db);
    if (!r.canAnswer) throw new AppError('NOT_FOUND');
    return r.check;
  }

  private async answersOf(db: Db, checkId: number): Promise<Map<string, StoredAnswer>> {
    const rows = (await db('check_answers as a')
      .join('users as u', 'u.id', 'a.answered_by')
      .where('a.check_id', checkId)
      .select('a.section_id', 'a.item_id', 'a.value', 'a.note', 'a.answered_by', 'u.full_name', 'a.answered_at', 'a.version')) as Array<
      Record<string, unknown>
    >;
    return new Map(
      rows.map((r) => [
        String(r.item_id),
        {
          sectionId: String(r.section_id),
          itemId: String(r.item_id),
          value: (r.value as string | null) ?? null,
          note: (r.note as string | null) ?? null,
          answeredBy: Number(r.answered_by),
          answeredByName: String(r.full_name),
          answeredAt: String(r.answered_at),
          version: Number(r.version),
        },
      ]),
    );
  }

  async details(actor: Actor, id: number): Promise<CheckDetails> {
    const { check, canAnswer } = await this.readable(actor, id);
    const [answers, auditors, findings, files, procedures, signer] = await Promise.all([
      this.answersOf(this.db, id),
      this.db('check_auditors as ca')
        .join('users as u', 'u.id', 'ca.user_id')
        .where('ca.check_id', id)
        .orderBy('u.full_name')
        .select('u.id', 'u.username', 'u.full_name') as Promise<Array<Record<string, unknown>>>,
      findingsOf(this.db, id),
      filesOf(this.db, id),
      this.db('check_procedures as cp')
        .join('procedures as p', 'p.id', 'cp.procedure_id')
        .where('cp.check_id', id)
        .orderBy('p.code')
        .select('p.id', 'p.code', 'p.title') as Promise<Array<Record<string, unknown>>>,
      check.signedOffBy
        ? (this.db('users').where('id', check.signedOffBy).first('full_name') as Promise<{ full_name: string } | undefined>)
        : Promise.resolve(undefined),
    ]);
    const shownAuditors = await idsInScope(
      this.db,
      { subtrees: [provincePathOf(check.unitPath)] },
      auditors.map((a) => Number(a.id)),
    );
    const { form, ...plain } = check;
    return {
      check: plain,
      form,
      answers,
      canAnswer: canAnswer && check.status !== 'submitted',
      // Older checks may name an auditor of another province: such a name is not shown.
      auditors: auditors
        .filter((a) => shownAuditors.has(Number(a.id)))
        .map((a) => ({ id: Number(a.id), username: String(a.username), fullName: String(a.full_name) })),
      scoring: scoreCheck(form, answers),
      progress: progressOf(form, answers),
      findings,
      files,
      procedures: procedures.map((p) => ({ id: Number(p.id), code: String(p.code), title: String(p.title) })),
      signOff: check.signedOffBy && check.signedOffAt ? { userId: check.signedOffBy, fullName: String(signer?.full_name ?? ''), at: check.signedOffAt } : null,
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
    check: Check & { form: FormDefinition },
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
    if (check.status === 'planned') await this.db('checks').where({ id: checkId, status: 'planned' }).update({ status: 'in_progress', updated_at: now });
    const before = (await this.db('check_answers').where({ check_id: checkId, item_id: itemId }).first('answered_by', 'answered_at', 'value')) as
      Record<string, unknown> | undefined;
    // One statement writes the answer, and only while the check is not submitted: no transaction
    // holds the connection between statements (SQLite has one, and 50 auditors saving at once
    // would queue behind each other's round trips). The version grows in the statement itself.
    // On PostgreSQL the check's row is read shared: a submit (which updates the row) waits for
    // this save, or this save waits for the submit and then sees the check submitted.
    const share = isPostgres(this.db) ? ' for share' : '';
    const written = (await this.db.raw(
      `insert into check_answers (check_id, section_id, item_id, value, note, answered_by, answered_at, version)
       select ?, ?, ?, ?, ?, ?, ?, 1 where (select status from checks where id = ?${share}) <> 'submitted'
       on conflict (check_id, item_id) do update set value = excluded.value, note = excluded.note,
         answered_by = excluded.answered_by, answered_at = excluded.answered_at, version = check_answers.version + 1
       returning version`,
      [checkId, sectionId, itemId, value, note, actor.user.id, now, checkId],
    )) as Array<{ version: number }> | { rows: Array<{ version: number }> };
    const [row] = Array.isArray(written) ? written : written.rows;
    if (!row) throw new AppError('CHECK_LOCKED');
    const answer: StoredAnswer = {
      sectionId,
      itemId,
      value,
      note,
      answeredBy: actor.user.id,
      answeredByName: actor.user.fullName,
      answeredAt: now,
      version: Number(row.version),
    };
    // The score and progress after this save come from every answer of the check as stored now.
    const rows = (await this.db('check_answers').where('check_id', checkId).select('item_id', 'value')) as Array<Record<string, unknown>>;
    const byItem = new Map(rows.map((r) => [String(r.item_id), { value: (r.value as string | null) ?? null } as StoredAnswer]));
    byItem.set(itemId, answer);
    const after = { scoring: scoreCheck(form, byItem), progress: progressOf(form, byItem) };
    if (!before || Number(before.answered_by) === actor.user.id) return { answer, ...after };
    const who = (await this.db('users').where('id', Number(before.answered_by)).first('full_name')) as { full_name: string } | undefined;
    const replaced: Replaced = {
      itemId,
      userId: Number(before.answered_by),
      fullName: String(who?.full_name ?? ''),
      answeredAt: String(before.answered_at),
      value: (before.value as string | null) ?? null,
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
      const locked = await trx('checks')
        .where('id', checkId)
        .whereNot('status', 'submitted')
        .update({ updated_at: iso(now) });
      if (!locked) throw new AppError('CHECK_LOCKED');
      const check = (await this.load(trx, checkId))!;
      const answers = await this.answersOf(trx, checkId);
      const progress = progressOf(check.form, answers);
      if (progress.missing.length) throw new AppError('CHECK_INCOMPLETE', { n: progress.missing.length }, missingAsFields(progress.missing));
      const asOf = new Date(Date.parse(`${check.checkDate}T12:00:00+07:00`));
      const raised = findingsFrom(check.form, answers, asOf);
      if (raised.length) {
        await trx('check_findings').insert(
          raised.map((f) => ({
            check_id: checkId,
            section_id: f.sectionId,
            item_id: f.itemId,
            severity: f.severity,
            clause_ref: f.clauseRef,
            answer: f.answer,
            source: 'automatic',
            created_at: iso(now),
          })),
        );
      }
      const score = scoreCheck(check.form, answers).overall.percent;
      await trx('checks')
        .where('id', checkId)
        .update({ status: 'submitted', submitted_by: actor.user.id, submitted_at: iso(now), score });
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
    return (await this.load(this.db, checkId))!;
  }
}
