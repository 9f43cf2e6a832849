import type { Knex } from 'knex';
import { inScope, scopeFor, type Capability } from '../../auth/roles.ts';
import { isPostgres } from '../../db/helpers.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { toFieldErrors, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { findUnit, findUnitByCode, lockUnitRow } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import type { UploadedFile } from '../catalog/excel.read.ts';
import { openFigureBook, readFigureRows } from './ontime.excel.ts';
import * as repo from './ontime.repository.ts';
import { apiFigureInput, figureInput, type FigureInput } from './ontime.schemas.ts';
import { rateOf, type OnTimeFigure, type OnTimeSource, type TrendPoint } from './ontime.types.ts';
import type { Db } from '../../kernel/db.ts';

/** A unit's figures as its page and the API show them: each with its rate and its change. */
export interface UnitFigures {
  unit: Unit;
  figures: TrendPoint[];
  /** Every period together. */
  total: { received: number; early: number; onTime: number; late: number; apologies: number; rate: number | null };
  canWrite: boolean;
}

/** Rules every figure meets, whatever brought it: the three outcomes add up to the dossiers due. */
export function sumProblem(d: FigureInput): string | undefined {
  const sum = d.early + d.onTime + d.late;
  return sum === d.received ? undefined : String(sum);
}

/**
 * On-time figures (QĐ 766/QĐ-TTg): entered on a unit's page, imported from Excel for a province,
 * or pushed by a provincial one-stop system through the API. One period per unit never overlaps
 * another, so that sums over a year count every dossier once.
 */
export class OnTimeService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  private async unit(actor: Actor, unitId: number, cap: Capability, db: Db = this.db): Promise<Unit> {
    const unit = await findUnit(db, unitId, scopeFor(actor.user, cap));
    if (!unit) throw new AppError('NOT_FOUND');
    return unit;
  }

  canWrite(actor: Actor, unit: Unit): boolean {
    return inScope(scopeFor(actor.user, 'ontime.write'), unit.path);
  }

  /** Whether the actor may import for some units (the import page exists for them). */
  canImport(actor: Actor): boolean {
    const s = scopeFor(actor.user, 'ontime.import');
    return s.all || s.paths.length > 0;
  }

  async forUnit(actor: Actor, unitId: number): Promise<UnitFigures> {
    const unit = await this.unit(actor, unitId, 'unit.read');
    const figures = await repo.figuresOf(this.db, unit.id);
    const trend: TrendPoint[] = figures.map((f, i) => {
      const prev = figures[i - 1];
      const change = prev && prev.rate !== null && f.rate !== null ? Math.round((f.rate - prev.rate) * 10) / 10 : null;
      return { ...f, change };
    });
    const sum = (k: 'received' | 'early' | 'onTime' | 'late' | 'apologies') => figures.reduce((n, f) => n + f[k], 0);
    const c = { received: sum('received'), early: sum('early'), onTime: sum('onTime'), late: sum('late'), apologies: sum('apologies') };
    return { unit, figures: trend, total: { ...c, rate: rateOf(c) }, canWrite: this.canWrite(actor, unit) };
  }

  /** Adds one period of a unit (a page or the API): refused when it overlaps one already there. */
  async add(actor: Actor, unitId: number, input: unknown, source: OnTimeSource = 'form'): Promise<OnTimeFigure> {
    const d = validate(figureInput, input);
    const sum = sumProblem(d);
    if (sum !== undefined) throw new AppError('ONTIME_SUM', { sum, received: d.received }, { received: { key: 'v.ontime_sum', params: { sum } } });
    return this.db.transaction(async (trx) => {
      const unit = await this.unit(actor, unitId, 'ontime.write', trx);
      await this.lockUnit(trx, unit.id);
      const clash = await repo.overlapping(trx, unit.id, d.periodStart, d.periodEnd);
      if (clash) throw this.overlapError(clash);
      const at = iso(this.clock.now());
      const id = await repo.insertFigure(trx, unit.id, d, source, actor.user.id, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'create',
        entity: 'on_time_figure',
        entityId: id,
        unitId: unit.id,
        after: { ...d, source },
        requestId: actor.requestId,
      });
      return (await repo.figuresOf(trx, unit.id)).find((f) => f.id === id) as OnTimeFigure;
    });
  }

  /** The API: the unit named in the body by id or code; one outside the scope does not exist. */
  async addFromApi(actor: Actor, input: unknown): Promise<OnTimeFigure> {
    const body = (input ?? {}) as Record<string, unknown>;
    const who = validate(apiFigureInput, { unitId: body.unitId, unitCode: body.unitCode });
    let unitId = who.unitId;
    if (unitId === undefined && who.unitCode) unitId = (await findUnitByCode(this.db, who.unitCode, scopeFor(actor.user, 'ontime.write')))?.id;
    if (unitId === undefined) {
      // Validate the counts too, so a client learns every problem of its body at once.
      const r = figureInput.safeParse(body);
      const fields: FieldErrors = who.unitCode ? { unitCode: { key: 'v.parent_unknown' } } : { unitId: { key: 'v.required' } };
      throw new AppError('VALIDATION_FAILED', {}, { ...fields, ...(r.success ? {} : toFieldErrors(r.error)) });
    }
    return this.add(actor, unitId, body, 'api');
  }

  /**
   * Imports a province's figures from Excel. Every row is checked (its unit in the caller's import
   * scope, counts, sum, no overlap with the database or with another row) before anything is
   * saved; one problem anywhere and nothing is.
   */
  async importFile(actor: Actor, file: UploadedFile | undefined): Promise<{ created: number }> {
    const scope = scopeFor(actor.user, 'ontime.import');
    if (!scope.all && scope.paths.length === 0) throw new AppError('NOT_FOUND');
    // The file is parsed first: a transaction waiting on a parse would hold SQLite's writes back.
    const wb = await openFigureBook(file);
    return this.db.transaction(async (trx) => {
      const rows = await readFigureRows(trx, wb, scope, (unitId, start, end) => repo.overlapping(trx, unitId, start, end));
      const at = iso(this.clock.now());
      for (const r of rows) {
        const id = await repo.insertFigure(trx, r.unitId, r.figure, 'import', actor.user.id, at);
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'create',
          entity: 'on_time_figure',
          entityId: id,
          unitId: r.unitId,
          after: { ...r.figure, source: 'import' },
          requestId: actor.requestId,
        });
      }
      return { created: rows.length };
    });
  }

  overlapError(clash: OnTimeFigure): AppError {
    return new AppError(
      'ONTIME_OVERLAP',
      { start: clash.periodStart, end: clash.periodEnd },
      { periodStart: { key: 'v.ontime_overlap', params: { start: clash.periodStart, end: clash.periodEnd } } },
    );
  }

  /**
   * Two requests adding periods to one unit at once: on PostgreSQL the unit's row is locked so the
   * second waits and then sees the first; SQLite runs one write transaction at a time anyway.
   */
  private async lockUnit(trx: Knex.Transaction, unitId: number): Promise<void> {
    if (isPostgres(this.db)) await lockUnitRow(trx, unitId);
  }
}
