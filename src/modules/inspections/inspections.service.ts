import type { Knex } from 'knex';
import { inScope, isAdmin, scopeFor } from '../../auth/roles.ts';
import { isUniqueViolation } from '../../db/helpers.ts';
import type { Page } from '../../kernel/pagination.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import type { FormDefinition } from '../../plugins/contract.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { noteMax } from '../checks/checks.logic.ts';
import { accessTo, covers, readableInspection, type Inspection, type InspectionAccess } from './inspections.access.ts';
import { acceptInspectionFile, defaultFileMaxBytes } from './inspections.files.ts';
import * as repo from './inspections.repository.ts';
import { loadInspection, teamPaths, teamsOf } from './inspections.repository.ts';
import * as onSite from './onsite.repository.ts';
import type { Attendance, InspectionAnswer, InspectionFile } from './onsite.repository.ts';
import { checkAnswer, personalItem, presences, unitItem, vnLocalToIso } from './inspections.logic.ts';
import { answerInput, arrivalInput, listQuery, personInput, presenceInput, startInput, type InspectionListQuery } from './inspections.schemas.ts';
import { activeOfficials } from './officials.repository.ts';
import type { Db } from '../../kernel/db.ts';

export type { Attendance, InspectionAnswer, InspectionFile } from './onsite.repository.ts';
export type { InspectionListQuery } from './inspections.schemas.ts';

/**
 * The inspection on site: started from a plan item or unannounced by a team member, then
 * arrival, attendance from the staff list, the answers per person and for the unit, photos.
 * Every entry is saved as it is made (one row each), so a reload loses nothing.
 */
export class InspectionsService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly plugins: () => PluginRegistry,
    private readonly changed: () => void = () => {},
    readonly fileMaxBytes = defaultFileMaxBytes,
  ) {}

  /** The ethics-inspection forms that can be used now (latest versions). */
  forms(): FormDefinition[] {
    return this.plugins()
      .latestForms('ethics-inspection')
      .filter((f) => f.kind === 'ethics-inspection');
  }

  /** The teams the actor records with (member, inspector role), with their assigned roots. */
  async myTeams(actor: Actor): Promise<Array<{ id: number; name: string; year: number; paths: string[] }>> {
    const ids = await teamsOf(this.db, actor.user.id);
    if (!ids.length) return [];
    const teams = await repo.teamsByIds(this.db, ids);
    return Promise.all(teams.map(async (t) => ({ ...t, paths: await teamPaths(this.db, t.id) })));
  }

  /** The inspections the actor may read, newest first, a page at a time; `status` filters (a bad filter: 422). */
  async list(actor: Actor, query: unknown): Promise<{ filter: InspectionListQuery; page: Page<Inspection> }> {
    const filter = validate(listQuery, query ?? {});
    const teamIds = await teamsOf(this.db, actor.user.id);
    const unitScopes = [scopeFor(actor.user, 'inspection.manage'), scopeFor(actor.user, 'inspection.unit')];
    return { filter, page: await repo.readableInspectionsPage(this.db, actor.user, teamIds, unitScopes, filter) };
  }

  /**
   * Starts an inspection. Unannounced: a unit (by code or id) inside the assignment of one of the
   * actor's teams, and a form. Planned: from a plan item of the actor's team. The attendance list
   * is the unit's active staff list at this moment, each one unmarked.
   */
  async start(actor: Actor, input: unknown): Promise<Inspection> {
    const data = validate(startInput, input);
    const fields: FieldErrors = {};
    const forms = this.forms();
    let form: FormDefinition | undefined;
    if (data.form) {
      const [id, v] = data.form.split('@');
      form = this.plugins().form(id!, v ? Number(v) : undefined);
      if (form && form.kind !== 'ethics-inspection') form = undefined;
    } else if (forms.length === 1) form = forms[0];
    if (!form) fields.form = { key: data.form ? 'v.form_unknown' : 'v.required' };

    const mine = await this.myTeams(actor);
    let kind: 'planned' | 'unannounced' = 'unannounced';
    let planItem: Awaited<ReturnType<typeof repo.planItemToStart>>;
    let unit: { id: number; path: string } | undefined;
    let teamId = data.teamId;
    if (data.planItemId) {
      planItem = await repo.planItemToStart(this.db, data.planItemId);
      if (!planItem || !mine.some((t) => t.id === planItem!.teamId)) throw new AppError('NOT_FOUND');
      if (planItem.inspectionId !== null) throw new AppError('INSPECTION_WRONG_STATE');
      kind = 'planned';
      teamId = planItem.teamId;
      unit = { id: planItem.unitId, path: planItem.unitPath };
    } else {
      const row = data.unitId
        ? await repo.unitToInspect(this.db, { id: data.unitId })
        : data.unitCode
          ? await repo.unitToInspect(this.db, { code: data.unitCode })
          : undefined;
      const field = data.unitId ? 'unitId' : 'unitCode';
      if (!data.unitId && !data.unitCode) fields.unitCode = { key: 'v.required' };
      else if (!row) fields[field] = { key: 'v.insp_unit_not_assigned' };
      else {
        const path = row.path;
        const candidates = mine.filter((t) => (teamId === undefined || t.id === teamId) && covers(t.paths, path));
        if (!candidates.length) fields[field] = { key: 'v.insp_unit_not_assigned' };
        else {
          teamId = candidates[0]!.id;
          unit = { id: row.id, path };
        }
      }
    }
    if (Object.keys(fields).length || !form || !unit || !teamId) throw new AppError('VALIDATION_FAILED', {}, fields);
    // The inspector role must hold on the unit too (a team member who is not an inspector there records nothing).
    if (!isAdmin(actor.user) && !inScope(scopeFor(actor.user, 'inspection.inspect'), unit.path))
      throw new AppError('VALIDATION_FAILED', {}, { unitCode: { key: 'v.insp_unit_not_assigned' } });
    return this.create(actor, { unitId: unit.id, teamId, kind, form, planItemId: planItem ? planItem.id : null, earlierId: null });
  }

  /** Inserts an inspection with its attendance list (the staff list) in one transaction. */
  async create(
    actor: Actor,
    d: { unitId: number; teamId: number; kind: 'planned' | 'unannounced'; form: FormDefinition; planItemId: number | null; earlierId: number | null },
  ): Promise<Inspection> {
    const now = this.clock.now();
    const day = vnDate(now);
    const id = await this.db.transaction(async (trx) => {
      const staff = await activeOfficials(trx, d.unitId);
      const newId = await repo.insertInspection(trx, { ...d, createdBy: actor.user.id, staff }, day, iso(now));
      if (d.planItemId && !(await repo.takePlanItem(trx, d.planItemId, newId, iso(now)))) throw new AppError('INSPECTION_WRONG_STATE');
      await writeAudit(trx, {
        at: iso(now),
        userId: actor.user.id,
        action: 'create',
        entity: 'inspection',
        entityId: newId,
        unitId: d.unitId,
        after: {
          teamId: d.teamId,
          kind: d.kind,
          formId: d.form.id,
          formVersion: d.form.version,
          planItemId: d.planItemId,
          earlierInspectionId: d.earlierId,
          staff: staff.length,
        },
        requestId: actor.requestId,
      });
      return newId;
    });
    this.changed();
    const { form: _f, ...i } = (await loadInspection(this.db, id))!;
    return i;
  }

  /** An inspection the actor may enter data into now (on site, team member); 404 or 409 otherwise. */
  private async recordable(actor: Actor, id: number, db: Db = this.db) {
    const { inspection, access } = await readableInspection(db, actor.user, id);
    if (!access.team) throw new AppError('NOT_FOUND');
    if (inspection.status !== 'on_site') throw new AppError('INSPECTION_WRONG_STATE');
    return inspection;
  }

  async get(actor: Actor, id: number): Promise<{ inspection: Inspection & { form: FormDefinition }; access: InspectionAccess }> {
    return readableInspection(this.db, actor.user, id);
  }

  attendance(db: Db, id: number): Promise<Attendance[]> {
    return onSite.attendanceOf(db, id);
  }

  answers(db: Db, id: number): Promise<InspectionAnswer[]> {
    return onSite.answersOf(db, id);
  }

  files(id: number): Promise<InspectionFile[]> {
    return onSite.filesOf(this.db, id);
  }

  /** The present moment by the service's clock: the arrival field starts there until one is saved. */
  now(): Date {
    return this.clock.now();
  }

  /** Arrival time of the team, as typed (Viet Nam time) or an ISO instant; never in the future. */
  async setArrival(actor: Actor, id: number, input: unknown): Promise<string> {
    const raw = validate(arrivalInput, input).arrivedAt;
    const at = vnLocalToIso(raw);
    if (!at) throw new AppError('VALIDATION_FAILED', {}, { arrivedAt: { key: 'v.insp_datetime' } });
    const now = this.clock.now();
    // A minute of slack: the phone's clock and the server's differ a little.
    if (Date.parse(at) > now.getTime() + 60_000) throw new AppError('VALIDATION_FAILED', {}, { arrivedAt: { key: 'v.insp_arrival_future' } });
    const inspection = await this.recordable(actor, id);
    await this.db.transaction(async (trx) => {
      if (!(await repo.updateOnSite(trx, id, { arrivedAt: at }, iso(now)))) throw new AppError('INSPECTION_WRONG_STATE');
      await writeAudit(trx, {
        at: iso(now),
        userId: actor.user.id,
        action: 'arrive',
        entity: 'inspection',
        entityId: id,
        unitId: inspection.unitId,
        after: { arrivedAt: at },
        requestId: actor.requestId,
      });
    });
    return at;
  }

  /** Someone not on the staff list, added by name on site. */
  async addPerson(actor: Actor, id: number, input: unknown): Promise<Attendance> {
    const data = validate(personInput, input);
    const inspection = await this.recordable(actor, id);
    const now = iso(this.clock.now());
    const newId = await this.db.transaction(async (trx) => {
      const added = await onSite.addAttendee(trx, id, { fullName: data.fullName, position: data.position ?? null, badgeNo: data.badgeNo ?? null }, now);
      // The name stays out of the log (personal data); the attendance row keeps it.
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'add_person',
        entity: 'inspection',
        entityId: id,
        unitId: inspection.unitId,
        after: { attendanceId: added },
        requestId: actor.requestId,
      });
      return added;
    });
    return (await this.attendance(this.db, id)).find((a) => a.id === newId)!;
  }

  /**
   * Marks one person present, absent with or without reason, or late. Like a check's answers,
   * the entries on site are not logged one by one (a spot check makes hundreds, and they name
   * people): closing the record is the audited act, with its counts.
   */
  async setPresence(actor: Actor, id: number, attendanceId: number, input: unknown): Promise<Attendance> {
    const data = validate(presenceInput, input);
    await this.recordable(actor, id);
    const now = iso(this.clock.now());
    if (!(await onSite.setPresence(this.db, id, attendanceId, data.presence, data.reason ?? null, now))) throw new AppError('NOT_FOUND');
    return (await this.attendance(this.db, id)).find((a) => a.id === attendanceId)!;
  }

  /**
   * Saves one answer: of a person (attendanceId given: the form's per-person items) or of the unit
   * (office and one-stop items). The later save of the same item wins.
   */
  async saveAnswer(actor: Actor, id: number, itemId: string, attendanceId: number | null, input: unknown): Promise<InspectionAnswer> {
    const data = validate(answerInput, input);
    const inspection = await this.recordable(actor, id);
    const item = attendanceId === null ? unitItem(inspection.form, itemId) : personalItem(inspection.form, itemId);
    if (!item) throw new AppError('NOT_FOUND');
    if (attendanceId !== null && !(await onSite.isAttendeeOf(this.db, id, attendanceId))) throw new AppError('NOT_FOUND');
    const parsed = checkAnswer(item, data.value);
    if ('error' in parsed) throw new AppError('VALIDATION_FAILED', {}, { value: { key: parsed.error } });
    const note = typeof data.note === 'string' ? data.note.normalize('NFC').trim() || null : null;
    if (note && note.length > noteMax) throw new AppError('VALIDATION_FAILED', {}, { note: { key: 'v.too_long', params: { n: noteMax } } });
    const subject = attendanceId === null ? 'unit' : `a${attendanceId}`;
    const now = iso(this.clock.now());
    const write = () =>
      this.db.transaction(async (trx) => {
        if (!(await repo.updateOnSite(trx, id, {}, now))) throw new AppError('INSPECTION_WRONG_STATE');
        await onSite.writeAnswer(trx, { inspectionId: id, attendanceId, subject, itemId, value: parsed.value, note, answeredBy: actor.user.id, at: now });
      });
    try {
      await write();
    } catch (err) {
      // Two first saves at once: the loser saves again as an update.
      if (!isUniqueViolation(err)) throw err;
      await write();
    }
    return { attendanceId, itemId, value: parsed.value, note, answeredAt: now };
  }

  /**
   * A section's save button (pages without JavaScript): `a.<item>` and `n.<item>` fields, for one
   * person (attendanceId) or for the unit's section. Only values that differ from what is stored
   * are written, so a stale page does not undo a teammate's entries. Every bad item is reported at
   * once and nothing is saved then.
   */
  async saveMany(actor: Actor, id: number, attendanceId: number | null, sectionId: string | null, body: Record<string, unknown>): Promise<number> {
    const inspection = await this.recordable(actor, id);
    const form = inspection.form;
    const items =
      attendanceId !== null
        ? (form.sections.find((s) => s.repeatPerPerson)?.items ?? []).filter((i) => personalItem(form, i.id))
        : form.sections.find((s) => !s.repeatPerPerson && s.id === sectionId)?.items.filter((i) => i.answer.type !== 'photo');
    if (!items) throw new AppError('NOT_FOUND');
    if (attendanceId !== null && !(await onSite.isAttendeeOf(this.db, id, attendanceId))) throw new AppError('NOT_FOUND');
    const stored = new Map((await this.answers(this.db, id)).filter((a) => a.attendanceId === attendanceId).map((a) => [a.itemId, a]));
    const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const fields: FieldErrors = {};
    const changed = items.filter((item) => {
      const v = body[`a.${item.id}`];
      const nt = body[`n.${item.id}`];
      const was = stored.get(item.id);
      return (v !== undefined && str(v) !== (was?.value ?? '')) || (nt !== undefined && str(nt) !== (was?.note ?? ''));
    });
    for (const item of changed) {
      const r = checkAnswer(item, body[`a.${item.id}`] ?? stored.get(item.id)?.value ?? null);
      if ('error' in r) fields[`a.${item.id}`] = { key: r.error };
      if (str(body[`n.${item.id}`]).length > noteMax) fields[`n.${item.id}`] = { key: 'v.too_long', params: { n: noteMax } };
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);
    for (const item of changed) {
      await this.saveAnswer(actor, id, item.id, attendanceId, {
        value: str(body[`a.${item.id}`] ?? stored.get(item.id)?.value ?? ''),
        note: str(body[`n.${item.id}`] ?? stored.get(item.id)?.note ?? ''),
      });
    }
    return changed.length;
  }

  /** The attendance section's save button: `p.<id>` (presence) and `r.<id>` (reason) per person. */
  async saveAttendance(actor: Actor, id: number, body: Record<string, unknown>): Promise<number> {
    await this.recordable(actor, id);
    const people = await this.attendance(this.db, id);
    const fields: FieldErrors = {};
    const changes: Array<{ id: number; presence: string; reason: string }> = [];
    for (const p of people) {
      const presence = typeof body[`p.${p.id}`] === 'string' ? String(body[`p.${p.id}`]) : '';
      const reason = typeof body[`r.${p.id}`] === 'string' ? String(body[`r.${p.id}`]).trim() : (p.reason ?? '');
      if (!presence) continue;
      if (!(presences as readonly string[]).includes(presence)) {
        fields[`p.${p.id}`] = { key: 'v.choose' };
        continue;
      }
      if (reason.length > 2000) {
        fields[`r.${p.id}`] = { key: 'v.too_long', params: { n: 2000 } };
        continue;
      }
      if (presence !== p.presence || reason !== (p.reason ?? '')) changes.push({ id: p.id, presence, reason });
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);
    for (const c of changes) await this.setPresence(actor, id, c.id, { presence: c.presence, reason: c.reason });
    return changes.length;
  }

  /** A photo of the premises (or any evidence) taken on site. */
  async addFile(
    actor: Actor,
    id: number,
    file: { name: string; buffer: Buffer } | undefined,
    problem: string | undefined,
    itemId?: string,
  ): Promise<InspectionFile> {
    const inspection = await this.recordable(actor, id);
    return this.db.transaction(async (trx) => {
      const stored = await this.storeFile(trx, actor, id, file, problem, itemId);
      await writeAudit(trx, {
        at: stored.createdAt,
        userId: actor.user.id,
        action: 'add_file',
        entity: 'inspection',
        entityId: id,
        unitId: inspection.unitId,
        after: { fileId: stored.id, sha256: stored.sha256, size: stored.size },
        requestId: actor.requestId,
      });
      return stored;
    });
  }

  /** Checks and stores one file (type by name and magic bytes, size, sha256). */
  async storeFile(
    db: Db,
    actor: Actor,
    inspectionId: number,
    file: { name: string; buffer: Buffer } | undefined,
    problem: string | undefined,
    itemId?: string,
  ): Promise<InspectionFile> {
    const { name, mime, sha256, buffer } = acceptInspectionFile(file, problem, this.fileMaxBytes);
    const now = iso(this.clock.now());
    const newId = await onSite.insertFile(
      db,
      { inspectionId, itemId: itemId ?? null, fileName: name, mime, sha256, content: buffer, uploadedBy: actor.user.id },
      now,
    );
    return { id: newId, itemId: itemId ?? null, fileName: name, mime, size: buffer.length, sha256, createdAt: now };
  }

  /** A file of an inspection the actor may read. */
  async file(actor: Actor, fileId: number): Promise<{ fileName: string; mime: string; content: Buffer }> {
    const row = await onSite.fileWithContent(this.db, fileId);
    if (!row) throw new AppError('NOT_FOUND');
    await readableInspection(this.db, actor.user, row.inspectionId);
    return { fileName: row.fileName, mime: row.mime, content: row.content };
  }

  async accessFor(actor: Actor, i: Inspection): Promise<InspectionAccess> {
    return accessTo(this.db, actor.user, i);
  }
}
