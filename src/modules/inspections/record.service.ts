import type { Knex } from 'knex';
import { z } from 'zod';
import { scopeFor } from '../../auth/roles.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { optionalText, requiredText, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { dayText, isCalendarDate, iso, vnDate } from '../../lib/time.ts';
import type { DueCorrection, FormDefinition, Severity } from '../../plugins/contract.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import { loadInspection, readableInspection, type Inspection, type InspectionAccess } from './inspections.access.ts';
import { deriveViolations, type DerivedViolation } from './inspections.logic.ts';
import type { Attendance, InspectionAnswer, InspectionFile, InspectionsService } from './inspections.service.ts';
import type { Db } from '../../kernel/db.ts';

export type CorrectionStatus = 'open' | 'answered' | 'accepted' | 'returned';

export interface Violation extends DerivedViolation {
  id: number;
}

export interface Correction {
  id: number;
  inspectionId: number;
  unitId: number;
  text: string;
  responsible: string;
  deadline: string;
  status: CorrectionStatus;
  answer: string | null;
  answeredAt: string | null;
  evidenceFileId: number | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  overdue: boolean;
}

export interface Conclusion {
  text: string;
  concludedAt: string;
  concludedBy: number | null;
}

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

function toCorrection(r: Record<string, unknown>, today: string): Correction {
  const status = r.status as CorrectionStatus;
  return {
    id: Number(r.id),
    inspectionId: Number(r.inspection_id),
    unitId: Number(r.unit_id),
    text: String(r.text),
    responsible: String(r.responsible),
    deadline: String(r.deadline),
    status,
    answer: (r.answer as string | null) ?? null,
    answeredAt: (r.answered_at as string | null) ?? null,
    evidenceFileId: r.evidence_file_id === null || r.evidence_file_id === undefined ? null : Number(r.evidence_file_id),
    reviewNote: (r.review_note as string | null) ?? null,
    reviewedAt: (r.reviewed_at as string | null) ?? null,
    overdue: String(r.deadline) < today && (status === 'open' || status === 'returned'),
  };
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
    const [attendance, answers, files, violationRows, conclusion, corrections] = await Promise.all([
      this.inspections.attendance(this.db, id),
      this.inspections.answers(this.db, id),
      this.inspections.files(id),
      this.db('inspection_violations').where('inspection_id', id).orderBy('id').select() as Promise<Array<Record<string, unknown>>>,
      this.db('inspection_conclusions').where('inspection_id', id).first() as Promise<Record<string, unknown> | undefined>,
      this.corrections(this.db, id),
    ]);
    const violations: Violation[] = violationRows.map((v) => ({
      id: Number(v.id),
      attendanceId: v.attendance_id === null ? null : Number(v.attendance_id),
      officialId: v.official_id === null ? null : Number(v.official_id),
      fullName: (v.full_name as string | null) ?? null,
      itemId: String(v.item_id),
      kind: String(v.kind),
      severity: v.severity as Severity,
      answer: (v.answer as string | null) ?? null,
    }));
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
      conclusion: conclusion
        ? {
            text: String(conclusion.text),
            concludedAt: String(conclusion.concluded_at),
            concludedBy: conclusion.concluded_by === null ? null : Number(conclusion.concluded_by),
          }
        : null,
      corrections,
      unmarked: attendance.filter((a) => !a.presence).length,
    };
  }

  private async corrections(db: Db, inspectionId: number): Promise<Correction[]> {
    const rows = (await db('inspection_corrections').where('inspection_id', inspectionId).orderBy('id').select()) as Array<Record<string, unknown>>;
    const today = this.today();
    return rows.map((r) => toCorrection(r, today));
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
      const locked = await trx('inspections')
        .where({ id, status: 'on_site' })
        .update({ updated_at: iso(now) });
      if (!locked) throw new AppError('INSPECTION_WRONG_STATE');
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
      if (derived.length) {
        await trx('inspection_violations').insert(
          derived.map((v) => ({
            inspection_id: id,
            unit_id: current.unitId,
            attendance_id: v.attendanceId,
            official_id: v.officialId,
            full_name: v.fullName,
            item_id: v.itemId,
            kind: v.kind,
            severity: v.severity,
            answer: v.answer,
            year: Number(current.inspectionDate.slice(0, 4)),
            month: Number(current.inspectionDate.slice(5, 7)),
            created_at: iso(now),
          })),
        );
      }
      await trx('inspections')
        .where('id', id)
        .update({ status: 'record_closed', closed_at: iso(now), team_leader_name: data.teamLeaderName, unit_representative_name: data.unitRepresentativeName });
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
      const n = await trx('inspections').where({ id, status: 'record_closed' }).update({ status: 'concluded', updated_at: now });
      if (!n) throw new AppError('INSPECTION_WRONG_STATE');
      await trx('inspection_conclusions').insert({ inspection_id: id, text, concluded_at: now, concluded_by: actor.user.id, created_at: now, updated_at: now });
      for (const c of drafts) {
        await trx('inspection_corrections').insert({
          inspection_id: id,
          unit_id: inspection.unitId,
          text: c.text.normalize('NFC').trim(),
          responsible: c.responsible.normalize('NFC').trim(),
          deadline: c.deadline,
          status: 'open',
          created_at: now,
          updated_at: now,
        });
      }
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
    const row = (await this.db('inspection_corrections').where('id', correctionId).first()) as Record<string, unknown> | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    const { inspection, access } = await readableInspection(this.db, actor.user, Number(row.inspection_id));
    return { correction: toCorrection(row, this.today()), inspection, access };
  }

  /** The inspection a correction belongs to (404 when there is none). */
  async inspectionOf(correctionId: number): Promise<number> {
    const row = (await this.db('inspection_corrections').where('id', correctionId).first('inspection_id')) as { inspection_id: number } | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return Number(row.inspection_id);
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
      const n = await trx('inspection_corrections')
        .where('id', correctionId)
        .whereIn('status', ['open', 'returned'])
        .update({
          status: 'answered',
          answer: data.answer,
          answered_at: now,
          answered_by: actor.user.id,
          evidence_file_id: evidence?.id ?? correction.evidenceFileId,
          updated_at: now,
        });
      if (!n) throw new AppError('CORRECTION_WRONG_STATE');
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
      const n = await trx('inspection_corrections')
        .where({ id: correctionId, status: 'answered' })
        .update({
          status: data.decision === 'accept' ? 'accepted' : 'returned',
          review_note: data.note ?? null,
          reviewed_by: actor.user.id,
          reviewed_at: now,
          updated_at: now,
        });
      if (!n) throw new AppError('CORRECTION_WRONG_STATE');
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
    const today = this.today();
    const q = this.db('inspection_corrections as c')
      .join('inspections as i', 'i.id', 'c.inspection_id')
      .join('units as u', 'u.id', 'c.unit_id')
      .whereIn('c.status', ['open', 'returned', 'answered'])
      .whereNull('i.deleted_at')
      .orderBy([{ column: 'c.deadline' }, { column: 'c.id' }])
      .limit(500)
      .select('c.*', 'u.name as unit_name', 'i.inspection_date');
    whereUnitInScope(q, 'u.path', scopeFor(actor.user, 'inspection.manage'));
    if (onlyOverdue) q.where('c.deadline', '<', today).whereIn('c.status', ['open', 'returned']);
    return ((await q) as Array<Record<string, unknown>>).map((r) => ({
      ...toCorrection(r, today),
      unitName: String(r.unit_name),
      inspectionDate: String(r.inspection_date),
    }));
  }

  /**
   * For the reminder of the discipline-inspection plugin: corrections still to do whose deadline
   * is within `leadDays` of `day` or past, with the unit and the team leader to tell.
   */
  async correctionsDue(day: string, leadDays: number): Promise<DueCorrection[]> {
    const until = new Date(Date.parse(`${day}T00:00:00Z`) + leadDays * 86_400_000).toISOString().slice(0, 10);
    const rows = (await this.db('inspection_corrections as c')
      .join('inspections as i', 'i.id', 'c.inspection_id')
      .join('units as u', 'u.id', 'c.unit_id')
      .whereIn('c.status', ['open', 'returned'])
      .where('c.deadline', '<=', until)
      .whereNull('i.deleted_at')
      .orderBy('c.id')
      .select('c.id', 'c.unit_id', 'u.name as unit_name', 'c.inspection_id', 'i.inspection_date', 'c.text', 'c.deadline', 'i.team_id')) as Array<
      Record<string, unknown>
    >;
    const teamIds = [...new Set(rows.map((r) => Number(r.team_id)))];
    const leaders = teamIds.length
      ? ((await this.db('inspection_team_members').whereIn('team_id', teamIds).where('is_leader', true).select('team_id', 'user_id')) as Array<
          Record<string, unknown>
        >)
      : [];
    return rows.map((r) => ({
      id: Number(r.id),
      unitId: Number(r.unit_id),
      unitName: String(r.unit_name),
      inspectionId: Number(r.inspection_id),
      inspectionDate: String(r.inspection_date),
      text: String(r.text),
      deadline: String(r.deadline),
      band: String(r.deadline) < day ? 'overdue' : 'soon',
      teamLeaderIds: leaders.filter((l) => Number(l.team_id) === Number(r.team_id)).map((l) => Number(l.user_id)),
    }));
  }
}
