import type { Knex } from 'knex';
import { inScope, scopeFor } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { vnDate } from '../../lib/time.ts';
import { findUnit } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import type { FormDefinition } from '../../plugins/contract.ts';
import * as repo from './public.repository.ts';
import { parseQuarter, previousQuarter, quarterOf, summarise, type Quarter, type SurveySummary } from './survey.logic.ts';

/** A unit's survey results of one quarter, as its page, the export and the API show them. */
export interface SatisfactionResults {
  unit: Unit;
  quarter: Quarter;
  /** The four quarters before it and itself, newest first, to pick from. */
  quarters: Quarter[];
  form: FormDefinition | undefined;
  summary: SurveySummary | undefined;
  /** Answers per calendar day (Viet Nam time), oldest first: a flood stands out. */
  perDay: Array<{ day: string; answers: number }>;
  comments: Array<{ day: string; text: string; dossierCode: string | null }>;
  /** Only for the unit's officer and leader (NĐ 13/2023/NĐ-CP): numbers given with consent. */
  callbacks: repo.Callback[] | undefined;
}

/** The results of a unit's survey, for the people of the unit and its coordinators (404 for anyone else). */
export class SatisfactionService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly surveyForm: () => FormDefinition | undefined,
  ) {}

  async unit(actor: Actor, unitId: number): Promise<Unit> {
    const unit = await findUnit(this.db, unitId, scopeFor(actor.user, 'satisfaction.read'));
    if (!unit) throw new AppError('NOT_FOUND');
    return unit;
  }

  async results(actor: Actor, unitId: number, quarterKey?: unknown): Promise<SatisfactionResults> {
    const unit = await this.unit(actor, unitId);
    const current = quarterOf(vnDate(this.clock.now()));
    const quarter = parseQuarter(quarterKey) ?? current;
    const quarters = [current];
    for (let i = 0; i < 4; i++) quarters.push(previousQuarter(quarters[quarters.length - 1]!));
    const rows = await repo.answersOf(this.db, unit.id, quarter.from, quarter.to);
    const form = this.surveyForm() ?? rows[rows.length - 1]?.definition;
    const perDay = new Map<string, number>();
    for (const r of rows) perDay.set(r.day, (perDay.get(r.day) ?? 0) + 1);
    const callbacksAllowed = inScope(scopeFor(actor.user, 'satisfaction.callbacks'), unit.path);
    return {
      unit,
      quarter,
      quarters,
      form,
      summary: form ? summarise(form, rows) : undefined,
      perDay: [...perDay.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([day, answers]) => ({ day, answers })),
      comments: rows.filter((r) => r.comment).map((r) => ({ day: r.day, text: r.comment!, dossierCode: r.dossierCode })),
      callbacks: callbacksAllowed ? await repo.callbacksOf(this.db, unit.id, quarter.from, quarter.to) : undefined,
    };
  }
}
