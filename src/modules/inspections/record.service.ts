import type { Knex } from 'knex';
import { z } from 'zod';
import { scopeFor } from '../../auth/roles.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { optionalText, requiredText, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { dayText, isCalendarDate, iso, vnDate } from '../../lib/time.ts';
import type { DueCorrection, FormDefinition } from '../../plugins/contract.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { readableInspection, type Inspection, type InspectionAccess } from './inspections.access.ts';
import { loadInspection, updateOnSite } from './inspections.repository.ts';
import { deriveViolations } from './inspections.logic.ts';
import * as repo from './record.repository.ts';
import type { Conclusion, Correction, Violation } from './record.repository.ts';
import type { Attendance, InspectionAnswer, InspectionFile, InspectionsService } from './inspections.service.ts';
import type { Db } from '../../kernel/db.ts';

export type { Conclusion, Correction, Violation } from './record.repository.ts';

/**
 * Everything about one inspection that the actor may see. Without the personal right (the unit's
 * officer), `attendance`, the personal answers and the personal violations are left out, and
 * `personalViolations` only counts them.
 */
export interface InspectionRecord {
  inspection: Inspection;
  form: FormDefinition;
  access: InspectionAccess;
  attendance: Attendance[];
  answers: InspectionAnswer[];
  files: InspectionFile[];
  violations: Violation[];
  personalViolationCount: number;
  conclusion: Conclusion | null;
  corrections: Correction[];
  unmarked: number;
}

const closeInput = z.object({ teamLeaderName: requiredText(200), unitRepresentativeName: requiredText(200) });
const answerInput = z.object({ answer: requiredText(4000) });
const reviewInput = z.object({ decision: z.enum(['accept', 'return'], { error: 'v.choose' }), note: optionalText(2000) });

interface CorrectionDraft {
  text: string;
  responsible: string;
  deadline: string;
}

/**
 * Closing the record (biên bản), the conclusion (thông báo kết luận) with its required
 * corrections, and the follow-up: the unit answers, the team accepts or returns.
 */
export class RecordService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly inspections: InspectionsService,
    private readonly changed: () => void = () => {},
  ) {}

  private today(): string {
    return vnDate(this.clock.now());
  }

  async record(actor: Actor, id: number): Promise<InspectionRecord> {
    const { inspection, access } = await readableInspection(this.db, actor.user, id);
    const { form, ...plain } = inspection;
    const [attendance, answers, files, violations, conclusion, corrections] = await Promise.all([
      this.inspections.attendance(this.db, id),
      this.inspections.answers(this.db, id),
      this.inspections.files(id),
      repo.violationsOf(this.db, id),
      repo.conclusionOf(this.db, id),
      this.corrections(this.db, id),
    ]);
    const personal = violations.filter((v) => v.attendanceId !== null);
    return {
      inspection: plain,
      form,
      access,
      attendance: access.personal ? attendance : [],
      answers: access.personal ? answers : answers.filter((a) => a.attendanceId === null),
      files,
      violations: access.personal ? violations : violations.filter((v) => v.attendanceId === null),
      personalViolationCount: personal.length,
      conclusion,
      corrections,
      unmarked: attendance.filter((a) => !a.presence).length,
    };
  }

  private corrections(db: Db, inspectionId: number): Promise<Correction[]> {
    return repo.correctionsOf(db, inspectionId, this.today());
  }

  /**
   * Closes the record: refused while anyone on the attendance list is unmarked (the error's fields
   * name them) or the arrival time is missing. Stores the time, both signatories, and the
   * violations derived from the entries, in one transaction.
   */
  async close(actor: Actor, id: number, input: unknown): Promise<void> {
    // The right first: someone who may not close the record learns nothing from its form.
    const { inspection, access } = await readableInspection(this.db, actor.user, id);
    if (!access.team) throw new AppError('NOT_FOUND');
    const data = validate(closeInput, input);
    const now = this.clock.now();
    await this.db.transaction(async (trx) => {
      if (!(await updateOnSite(trx, id, {}, iso(now)))) throw new AppError('INSPECTION_WRONG_STATE');
      const current = (await loadInspection(trx, id))!;
      const people = await this.inspections.attendance(trx, id);
      const unmarked = people.filter((p) => !p.presence);
      if (unmarked.length || !current.arrivedAt) {
        const fields: FieldErrors = Object.fromEntries(unmarked.map((p) => [`presence.${p.id}`, { key: 'v.insp_unmarked', params: { name: p.fullName } }]));
        if (!current.arrivedAt) fields.arrivedAt = { key: 'v.required' };
        throw new AppError('INSPECTION_UNMARKED', { n: unmarked.length, names: unmarked.map((p) => p.fullName).join(', ') || '-' }, fields);
      }
      const answers = await this.inspections.answers(trx, id);
      const asOf = new Date(Date.parse(`${current.inspectionDate}T12:00:00+07:00`));
      const derived = deriveViolations(current.form, people, answers, asOf);
      await repo.insertViolations(trx, current, derived, iso(now));
      await repo.markRecordClosed(trx, id, data, iso(now));
      // The audit row counts the violations and names nobody: the log is read more widely than the record.
      await writeAudit(trx, {
        at: iso(now),
        userId: actor.user.id,
        action: 'close_record',
        entity: 'inspection',
        entityId: id,
        unitId: inspection.unitId,
        after: { violations: derived.length, people: people.length, teamLeaderName: data.teamLeaderName, unitRepresentativeName: data.unitRepresentativeName },
        requestId: actor.requestId,
      });
    });
    this.changed();
  }

  /** Reads the corrections typed on the page (`c.<n>.text` ...) or sent by the API (`corrections: [...]`). */
  private correctionDrafts(input: Record<string, unknown>): CorrectionDraft[] {
    if (Array.isArray(input.corrections))
      return (input.corrections as Array<Record<string, unknown>>).map((c) => ({
        text: String(c?.text ?? ''),
        responsible: String(c?.responsible ?? ''),
        deadline: String(c?.deadline ?? ''),
      }));
    const out: CorrectionDraft[] = [];
    for (let n = 0; n < 50; n++) {
      const text = String(input[`c.${n}.text`] ?? '').trim();
      const responsible = String(input[`c.${n}.responsible`] ?? '').trim();
      const deadline = String(input[`c.${n}.deadline`] ?? '').trim();
      if (text || responsible || deadline) out.push({ text, responsible, deadline });
    }
    return out;
  }

  /**
   * The conclusion: its text and the required corrections, each with who is responsible and a
   * deadline not before the inspection date. Every bad row is reported at once; nothing is saved.
   */
  async conclude(actor: Actor, id: number, input: unknown): Promise<void> {
    const body = (input ?? {}) as Record<string, unknown>;
    const { text } = validate(z.object({ text: requiredText(20000) }), body);
    const { inspection, access } = await readableInspection(this.db, actor.user, id);
    if (!access.conclude) throw new AppError('NOT_FOUND');
    const drafts = this.correctionDrafts(body);
    const fields: FieldErrors = {};
    drafts.forEach((c, n) => {
      if (!c.text.trim()) fields[`c.${n}.text`] = { key: 'v.required' };
      else if (c.text.length > 4000) fields[`c.${n}.text`] = { key: 'v.too_long', params: { n: 4000 } };
      if (!c.responsible.trim()) fields[`c.${n}.responsible`] = { key: 'v.required' };
      else if (c.responsible.length > 200) fields[`c.${n}.responsible`] = { key: 'v.too_long', params: { n: 200 } };
      if (!c.deadline) fields[`c.${n}.deadline`] = { key: 'v.required' };
      else if (!isCalendarDate(c.deadline)) fields[`c.${n}.deadline`] = { key: 'v.date' };
      else if (c.deadline < inspection.inspectionDate)
        fields[`c.${n}.deadline`] = { key: 'v.insp_deadline_before', params: { date: dayText(inspection.inspectionDate) } };
    });
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      const corrections = drafts.map((c) => ({
        text: c.text.normalize('NFC').trim(),
        responsible: c.responsible.normalize('NFC').trim(),
        deadline: c.deadline,
      }));
      if (!(await repo.insertConclusion(trx, inspection, text, corrections, actor.user.id, now))) throw new AppError('INSPECTION_WRONG_STATE');
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'conclude',
        entity: 'inspection',
        entityId: id,
        unitId: inspection.unitId,
        after: { corrections: drafts.length },
        requestId: actor.requestId,
      });
    });
  }

  private async correction(actor: Actor, correctionId: number) {
    const correction = await repo.findCorrection(this.db, correctionId, this.today());
    if (!correction) throw new AppError('NOT_FOUND');
    const { inspection, access } = await readableInspection(this.db, actor.user, correction.inspectionId);
    return { correction, inspection, access };
  }

  /** The inspection a correction belongs to (404 when there is none). */
  async inspectionOf(correctionId: number): Promise<number> {
    const inspectionId = await repo.inspectionIdOfCorrection(this.db, correctionId);
    if (inspectionId === undefined) throw new AppError('NOT_FOUND');
    return inspectionId;
  }

  /** The unit answers a correction: what it did, and optionally an evidence file. */
  async answer(actor: Actor, correctionId: number, input: unknown, file?: { name: string; buffer: Buffer }, uploadProblem?: string): Promise<Correction> {
    const { correction, inspection, access } = await this.correction(actor, correctionId);
    if (!access.answer) throw new AppError('NOT_FOUND');
    const data = validate(answerInput, input);
    if (correction.status !== 'open' && correction.status !== 'returned') throw new AppError('CORRECTION_WRONG_STATE');
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      const evidence = file || uploadProblem ? await this.inspections.storeFile(trx, actor, inspection.id, file, uploadProblem) : undefined;
      const answered = await repo.answerCorrection(
        trx,
        correctionId,
        { answer: data.answer, by: actor.user.id, evidenceFileId: evidence?.id ?? correction.evidenceFileId },
        now,
      );
      if (!answered) throw new AppError('CORRECTION_WRONG_STATE');
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'answer',
        entity: 'inspection_correction',
        entityId: correctionId,
        unitId: inspection.unitId,
        after: { answer: data.answer, evidence: evidence?.sha256 ?? null },
        requestId: actor.requestId,
      });
    });
    return (await this.correction(actor, correctionId)).correction;
  }

  /** The team (or a coordinator) accepts an answer or sends it back with a note. */
  async review(actor: Actor, correctionId: number, input: unknown): Promise<Correction> {
    const { correction, inspection, access } = await this.correction(actor, correctionId);
    if (!access.conclude) throw new AppError('NOT_FOUND');
    const data = validate(reviewInput, input);
    if (data.decision === 'return' && !data.note) throw new AppError('VALIDATION_FAILED', {}, { note: { key: 'v.required' } });
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      const reviewed = await repo.reviewCorrection(trx, correctionId, { accept: data.decision === 'accept', note: data.note ?? null, by: actor.user.id }, now);
      if (!reviewed) throw new AppError('CORRECTION_WRONG_STATE');
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: data.decision,
        entity: 'inspection_correction',
        entityId: correctionId,
        unitId: inspection.unitId,
        before: { status: correction.status },
        after: { note: data.note ?? null },
        requestId: actor.requestId,
      });
    });
    return (await this.correction(actor, correctionId)).correction;
  }

  /** A re-inspection of the same unit by the same team, linked to this one. */
  async reinspect(actor: Actor, id: number): Promise<Inspection> {
    const { inspection, access } = await readableInspection(this.db, actor.user, id);
    if (!access.team) throw new AppError('NOT_FOUND');
    if (inspection.status === 'on_site') throw new AppError('INSPECTION_WRONG_STATE');
    return this.inspections.create(actor, {
      unitId: inspection.unitId,
      teamId: inspection.teamId,
      kind: 'unannounced',
      form: inspection.form,
      planItemId: null,
      earlierId: id,
    });
  }

  /** Corrections of the coordinator's units still to do (open or returned), overdue first. */
  async pending(actor: Actor, onlyOverdue: boolean): Promise<Array<Correction & { unitName: string; inspectionDate: string }>> {
    return repo.pendingCorrections(this.db, scopeFor(actor.user, 'inspection.manage'), this.today(), onlyOverdue);
  }

  /**
   * For the reminder of the discipline-inspection plugin: corrections still to do whose deadline
   * is within `leadDays` of `day` or past, with the unit and the team leader to tell.
   */
  async correctionsDue(day: string, leadDays: number): Promise<DueCorrection[]> {
    const until = new Date(Date.parse(`${day}T00:00:00Z`) + leadDays * 86_400_000).toISOString().slice(0, 10);
    const rows = await repo.correctionsDueBy(this.db, until);
    const leaders = await repo.teamLeadersOf(this.db, [...new Set(rows.map((r) => r.teamId))]);
    return rows.map(({ teamId, ...r }) => ({
      ...r,
      band: r.deadline < day ? 'overdue' : 'soon',
      teamLeaderIds: leaders.filter((l) => l.teamId === teamId).map((l) => l.userId),
    }));
  }
}
