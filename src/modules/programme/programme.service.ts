import type { Knex } from 'knex';
import { z } from 'zod';
import { inScope, scopeFor, type Capability } from '../../auth/roles.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { optionalId, optionalText, toFieldErrors } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import type { FormDefinition, LocalizedText } from '../../plugins/contract.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { findUnit, unitFor, findUnitByCode } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import * as repo from './programme.repository.ts';

export interface ProgrammeItem {
  id: number;
  unitId: number;
  unitName: string;
  unitCode: string;
  plannedMonth: number;
  formId: string;
  formTitle: LocalizedText | null;
  note: string | null;
  /** The check that carried it out: linked by hand, or matched (same unit and form, in that month). */
  done: { checkId: number; checkDate: string; status: string; score: number | null } | null;
}

export interface Programme {
  unit: Unit;
  year: number;
  items: ProgrammeItem[];
  canManage: boolean;
  forms: FormDefinition[];
}

const itemInput = z.object({
  // Pages name the unit by code; the API by id. Empty: the programme's own unit.
  unitCode: optionalText(60),
  unitId: optionalId,
  plannedMonth: z.coerce
    .number({ error: 'v.programme_month' })
    .int({ error: 'v.programme_month' })
    .min(1, { error: 'v.programme_month' })
    .max(12, { error: 'v.programme_month' }),
  formId: z.string({ error: 'v.required' }).trim().min(1, { error: 'v.required' }).max(80, { error: 'v.too_long|80' }),
  note: optionalText(1000),
});

/** A year in the URL: anything else is simply not found. */
export function parseYear(raw: unknown): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2000 || n > 2100) throw new AppError('NOT_FOUND');
  return n;
}

const monthOf = (day: string) => Number(day.slice(5, 7));

/**
 * The yearly internal audit programme (ISO 9001 clause 9.2.2) of a unit or a province: what is
 * planned (unit, month, form) and what was done, each item matched to a check of that unit and
 * form in that month. Scope as for units.
 */
export class ProgrammeService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly plugins: () => PluginRegistry,
  ) {}

  private unit(actor: Actor, unitId: number, cap: Capability): Promise<Unit> {
    return unitFor(this.db, actor, unitId, cap);
  }

  today(): string {
    return vnDate(this.clock.now());
  }

  thisYear(): number {
    return Number(this.today().slice(0, 4));
  }

  private forms(): FormDefinition[] {
    return this.plugins().latestForms('iso-check');
  }

  async show(actor: Actor, unitId: number, year: number): Promise<Programme> {
    const unit = await this.unit(actor, unitId, 'unit.read');
    const rows = await repo.programmeItems(this.db, unit.id, year);
    // Checks of the programme's subtree in the year: one query, matched in memory.
    const checks = rows.length ? await repo.checksOfYear(this.db, unit.path, year) : [];
    const used = new Set<number>();
    const asDone = (c: repo.CheckOfYear) => ({ checkId: c.id, checkDate: c.checkDate, status: c.status, score: c.score });
    const formTitles = new Map(this.forms().map((f) => [f.id, f.title]));
    // Linked by hand first, so an automatic match never takes a check someone linked on purpose.
    for (const r of rows) if (r.checkId !== null) used.add(r.checkId);
    const items = rows.map((r): ProgrammeItem => {
      let done: ProgrammeItem['done'] = null;
      if (r.checkId !== null) {
        const c = checks.find((x) => x.id === r.checkId);
        done = c ? asDone(c) : null;
      } else {
        // A submitted check of that unit and form in that month, else one under way.
        const candidates = checks.filter((c) => !used.has(c.id) && c.unitId === r.unitId && c.formId === r.formId && monthOf(c.checkDate) === r.plannedMonth);
        const c = candidates.find((x) => x.status === 'submitted') ?? candidates[0];
        if (c) {
          used.add(c.id);
          done = asDone(c);
        }
      }
      const { checkId: _c, ...item } = r;
      return { ...item, formTitle: formTitles.get(r.formId) ?? null, done };
    });
    return { unit, year, items, canManage: inScope(scopeFor(actor.user, 'programme.manage'), unit.path), forms: this.forms() };
  }

  async addItem(actor: Actor, unitId: number, year: number, input: unknown): Promise<number> {
    const unit = await this.unit(actor, unitId, 'programme.manage');
    // Every problem at once: the schema's and the rules' (unit, form) together.
    const parsed = itemInput.safeParse(input);
    const fields: FieldErrors = parsed.success ? {} : toFieldErrors(parsed.error);
    const raw = (input ?? {}) as Record<string, unknown>;
    const d = parsed.success ? parsed.data : undefined;
    const scope = scopeFor(actor.user, 'programme.manage');
    const unitIdGiven = d?.unitId ?? (typeof raw.unitId === 'number' ? raw.unitId : undefined);
    const code = d?.unitCode ?? (typeof raw.unitCode === 'string' ? raw.unitCode.trim() : '');
    let target: Unit | undefined = unit;
    if (unitIdGiven) target = await findUnit(this.db, unitIdGiven, scope);
    else if (code) target = await findUnitByCode(this.db, code, scope);
    // Only the programme's unit or one under it: a province plans for its own units.
    if (!target || !target.path.startsWith(unit.path)) fields[unitIdGiven ? 'unitId' : 'unitCode'] ??= { key: 'v.programme_unit_unknown' };
    if (!fields.formId && !this.forms().some((f) => f.id === String(raw.formId ?? '').trim())) fields.formId = { key: 'v.programme_form_unknown' };
    if (Object.keys(fields).length || !target || !d) throw new AppError('VALIDATION_FAILED', {}, fields);
    const itemUnit = target;
    return this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      const programme = await repo.programmeId(trx, unit.id, year, actor.user.id, at);
      const id = await repo.insertItem(
        trx,
        programme,
        { unitId: itemUnit.id, plannedMonth: d.plannedMonth, formId: d.formId, note: d.note ?? null, createdBy: actor.user.id },
        at,
      );
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'create',
        entity: 'audit_programme_item',
        entityId: id,
        unitId: unit.id,
        after: { year, unitId: itemUnit.id, plannedMonth: d.plannedMonth, formId: d.formId, note: d.note ?? null },
        requestId: actor.requestId,
      });
      return id;
    });
  }

  async removeItem(actor: Actor, unitId: number, year: number, itemId: number): Promise<void> {
    const unit = await this.unit(actor, unitId, 'programme.manage');
    await this.db.transaction(async (trx) => {
      const row = await repo.findItem(trx, unit.id, year, itemId);
      if (!row) throw new AppError('NOT_FOUND');
      await repo.deleteItem(trx, itemId);
      const at = iso(this.clock.now());
      // The item itself goes; the log keeps what it was.
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'delete',
        entity: 'audit_programme_item',
        entityId: itemId,
        unitId: unit.id,
        before: { year, ...row },
        requestId: actor.requestId,
      });
    });
  }
}
