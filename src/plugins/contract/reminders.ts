import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Role } from '../../auth/roles.ts';
import type { IsoStandard, IsoState, UnitKind } from '../../modules/units/units.types.ts';
import type { PluginSettings } from './manifest.ts';
import type { LocalizedText } from './text.ts';

/** The reminders of the plugin contract (see src/plugins/contract.ts). */

// ---------------------------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------------------------

/** Who a notification goes to: one user, or everyone holding a role on a unit. */
export type Recipient = { userId: number } | { role: 'admin' | 'coordinator' | 'officer' | 'inspector' | 'leader' | 'viewer'; unitId: number };

/** What a reminder handler returns. The same `dedupeKey` is never delivered twice. */
export interface NotificationDraft {
  recipient: Recipient;
  title: LocalizedText;
  body?: LocalizedText;
  /** A path inside the app, e.g. `/units/12`. */
  link?: string;
  /** `YYYY-MM-DD`. */
  dueDate?: string;
  dedupeKey: string;
}

/** What a reminder needs to know about a unit. */
export interface UnitBrief {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  path: string;
  /** The top of the unit's tree (its province) and that unit's code. */
  provinceId: number;
  provinceCode: string;
  isoState: IsoState;
  isoStandard: IsoStandard | null;
  isoStateReason: string | null;
  isoStateChangedAt: string | null;
}

export interface UnitFilter {
  /** Active on this day (`YYYY-MM-DD`): started, not ended, not merged away. */
  on: string;
  kinds?: readonly UnitKind[];
  isoStates?: readonly IsoState[];
}

/** An issued procedure whose periodic review is due. */
export interface DueProcedure {
  id: number;
  code: string;
  title: string;
  revisionNo: number | null;
  issueDate: string | null;
  lastReviewedOn: string;
}

/** One unit's procedures due for periodic review (see `proceduresDueForReview`). */
export interface UnitReviews {
  unitId: number;
  unitName: string;
  count: number;
  /** The earliest `last_reviewed_on` among them. */
  oldestReviewedOn: string;
  /** The day the longest-waiting review fell due. */
  oldestDueOn: string;
  /** CATALOG_REVIEW_MONTHS: how often a procedure is reviewed. */
  reviewMonths: number;
  /** Up to `sample` of them, longest waiting first. */
  first: Array<DueProcedure & { dueOn: string }>;
}

/** An unfinished corrective action, as a reminder words it and addresses its owner. */
export interface DueAction {
  id: number;
  findingId: number;
  unitId: number;
  unitName: string;
  action: string;
  ownerId: number;
  dueDate: string;
  clauseRef: string;
}

/** A correction an inspection conclusion required, still to do, due soon or overdue. */
export interface DueCorrection {
  id: number;
  unitId: number;
  unitName: string;
  inspectionId: number;
  inspectionDate: string;
  text: string;
  deadline: string;
  band: 'soon' | 'overdue';
  /** Leaders of the team that inspected: they are told too. */
  teamLeaderIds: number[];
}

/**
 * The queries a reminder handler may make: read-only, over every unit (a reminder is for everyone,
 * so there is no actor), returning only what is needed to address and word a notification.
 */
export interface ReminderQueries {
  /** The calendar day in Viet Nam (`YYYY-MM-DD`) of an instant, e.g. of `ctx.scheduledFor`. */
  dayOf(d: Date): string;
  /** Units active on a day, optionally of some kinds and ISO states, ordered by their place in the tree. */
  activeUnits(filter: UnitFilter): Promise<UnitBrief[]>;
  /** Active users holding a role directly on each unit (a reminder addresses `{ role, unitId }` instead, usually). */
  holders(role: Role, unitIds: number[]): Promise<Map<number, Array<{ id: number; fullName: string }>>>;
  /** Procedures due for periodic review on a day, by unit; `sample` of each unit's listed (longest waiting first). */
  proceduresDueForReview(on: string, sample?: number): Promise<UnitReviews[]>;
  /** Unfinished corrective actions due from `day` to `days` ahead. */
  actionsDueSoon(day: string, days: number): Promise<DueAction[]>;
  /** Unfinished corrective actions due before `day`. */
  actionsOverdue(day: string): Promise<DueAction[]>;
  /** Corrections of inspection conclusions still to do whose deadline is within `leadDays` of `day`, or past. */
  correctionsDue(day: string, leadDays: number): Promise<DueCorrection[]>;
}

/**
 * A plugin's database handle: `db('notes')` opens a query on the plugin's table `<id>__notes`, and
 * `db('good__notes')` one of plugin `good`'s tables when the manifest depends on `good`. A
 * statement that names any other table (a join, a subquery, raw SQL in the builder) is refused
 * before it is sent; core data is read through `reads` (reminders) or `gather`'s context (documents).
 */
export interface PluginDb {
  (table: string): Knex.QueryBuilder;
  hasTable(table: string): Promise<boolean>;
  /** Runs `work` in one transaction, with a handle limited the same way. */
  transaction<T>(work: (trx: PluginDb) => Promise<T>): Promise<T>;
}

/** What the scheduler hands a reminder handler for one run. */
export interface ReminderContext {
  pluginId: string;
  reminderId: string;
  /** The slot this run is for (a late run still sees its own slot). */
  scheduledFor: Date;
  now(): Date;
  settings: PluginSettings;
  logger: Logger;
  /** Read-only queries over every unit (no user scope): what is due, and to whom. */
  reads: ReminderQueries;
  /** The plugin's own tables: `db('notes')` is `<id>__notes` (see `PluginDb`). */
  db: PluginDb;
  t(locale: 'vi' | 'en', key: string, params?: Record<string, string | number>): string;
  /** Aborted when the run exceeds its time limit. */
  signal: AbortSignal;
}

export interface ReminderDefinition {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  /**
   * Five fields, `minute hour day-of-month month day-of-week`, in Asia/Ho_Chi_Minh time: numbers,
   * `*`, ranges `a-b`, steps `/n`, lists `a,b`, month names `jan`-`dec`, day names `sun`-`sat`
   * (0 and 7 are Sunday). Restrict the day of the month or the day of the week, not both: cron
   * implementations disagree on what the two together mean.
   */
  cron: string;
  handler(ctx: ReminderContext): Promise<NotificationDraft[]>;
}
