import type { Knex } from 'knex';
import type { Role } from '../../auth/roles.ts';
import { monthsBefore, vnDate } from '../../lib/time.ts';
import type { DueAction, DueCorrection, ReminderQueries, UnitBrief, UnitFilter, UnitReviews } from '../../plugins/contract.ts';
import * as repo from './reads.repository.ts';

/** Where the reminders read what other areas hold: corrective actions, and the corrections of inspections. */
export interface DueSources {
  actions: {
    dueSoon(day: string, days: number): Promise<DueAction[]>;
    overdue(day: string): Promise<DueAction[]>;
  };
  corrections: { correctionsDue(day: string, leadDays: number): Promise<DueCorrection[]> };
}

/**
 * Read-only queries for reminder handlers (`ctx.reads`). A reminder looks at every unit,
 * not at one user's scope, so these take no actor; they never write, and they return only what
 * a reminder needs to address and word a notification.
 */
export class ReminderReads implements ReminderQueries {
  constructor(
    private readonly db: Knex,
    private readonly reviewMonths: number,
    private readonly sources: DueSources,
  ) {}

  /** The calendar day in Viet Nam (`YYYY-MM-DD`) of an instant, e.g. of `ctx.scheduledFor`. */
  dayOf(d: Date): string {
    return vnDate(d);
  }

  /** Units active on a day, optionally of some kinds and ISO states, ordered by their place in the tree. */
  activeUnits(filter: UnitFilter): Promise<UnitBrief[]> {
    return repo.activeUnits(this.db, filter);
  }

  /** Active users holding a role directly on each unit (a reminder addresses `{ role, unitId }` instead, usually). */
  holders(role: Role, unitIds: number[]): Promise<Map<number, Array<{ id: number; fullName: string }>>> {
    return repo.holders(this.db, role, unitIds);
  }

  /**
   * Procedures due for periodic review on a day, by unit: those last reviewed
   * `CATALOG_REVIEW_MONTHS` or more months before it (the catalog's rule), with when each review
   * fell due. `sample` is how many of each unit's are listed (longest waiting first).
   */
  async proceduresDueForReview(on: string, sample = 3): Promise<UnitReviews[]> {
    const dueOn = (day: string) => monthsBefore(day, -this.reviewMonths);
    const due = await repo.reviewsDueByUnit(this.db, monthsBefore(on, this.reviewMonths), on, sample);
    return due.map((u) => ({
      ...u,
      oldestDueOn: dueOn(u.oldestReviewedOn),
      reviewMonths: this.reviewMonths,
      first: u.first.map((p) => ({ ...p, dueOn: dueOn(p.lastReviewedOn) })),
    }));
  }

  /** Unfinished corrective actions due from `day` to `days` ahead. */
  actionsDueSoon(day: string, days: number): Promise<DueAction[]> {
    return this.sources.actions.dueSoon(day, days);
  }

  /** Unfinished corrective actions due before `day`. */
  actionsOverdue(day: string): Promise<DueAction[]> {
    return this.sources.actions.overdue(day);
  }

  /** Corrections of inspection conclusions still to do, due within `leadDays` of `day` or past. */
  correctionsDue(day: string, leadDays: number): Promise<DueCorrection[]> {
    return this.sources.corrections.correctionsDue(day, leadDays);
  }
}
