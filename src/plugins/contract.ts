/**
 * The plugin contract: everything a plugin author needs, in one file.
 *
 * A plugin is a folder `plugins/<id>/` whose `index.ts` has a default export made with
 * `definePlugin({...})`. The host loads it in phases: import -> manifest -> register -> locales ->
 * migrations -> init -> routes. A plugin that fails at any phase is shown as failed on the admin
 * page (/admin/plugins) with its error, and the app goes on without it. A plugin reaches the core
 * only through what this file describes: the registrar, the context handed to `init`, and the
 * context handed to reminder handlers. See docs/plugins.md for a walk-through.
 */
import type { Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Role } from '../auth/roles.ts';
import type { IsoStandard, IsoState, UnitKind } from '../modules/units/units.types.ts';

/** Text in both UI languages. Vietnamese is what users read; English is the second language. */
export interface LocalizedText {
  vi: string;
  en: string;
}

// ---------------------------------------------------------------------------------------------
// Manifest
// ---------------------------------------------------------------------------------------------

/** A setting an operator can change through the environment, as `PLUGIN_<ID>_<NAME>` in upper
 *  snake case: setting `auditMonth` of `iso-internal-audit` is `PLUGIN_ISO_INTERNAL_AUDIT_AUDIT_MONTH`. */
export type SettingSpec =
  | { type: 'integer'; default: number; min?: number; max?: number; description: LocalizedText }
  | { type: 'string'; default: string; pattern?: string; description: LocalizedText };

/** Resolved settings: integers as numbers, strings as strings. */
export type PluginSettings = Readonly<Record<string, number | string>>;

export interface PluginManifest {
  /** Lower-case letters, digits and hyphens; the same as the folder name. */
  id: string;
  /** The plugin's own version, `major.minor.patch`. */
  version: string;
  /** The host versions this plugin works with (package.json's version), e.g. `^0.1.0`, `>=0.1.0 <2.0.0`. */
  host: string;
  name: LocalizedText;
  description?: LocalizedText;
  /** Plugins that must be loaded first. If one of them fails, this one fails too. */
  dependsOn?: string[];
  settings?: Record<string, SettingSpec>;
}

// ---------------------------------------------------------------------------------------------
// Forms: audit checklists and inspection forms, as data
// ---------------------------------------------------------------------------------------------

/**
 * `iso-check`: compliance checks and internal audits; `ethics-inspection`: discipline spot checks;
 * `satisfaction-survey`: what citizens answer on a unit's public survey page (SIPAS), one section
 * per aspect, answered by scale, choice or short text only, raising no finding.
 */
export type FormKind = 'iso-check' | 'ethics-inspection' | 'satisfaction-survey';
export type Severity = 'major' | 'minor' | 'observation';

export interface ChoiceOption {
  /** Stored as the answer: lower-case letters, digits and hyphens. */
  value: string;
  label: LocalizedText;
}

/** How an item is answered. `yes-no-na` answers are the strings `yes`, `no` and `na`. */
export type AnswerSpec =
  | { type: 'yes-no-na' }
  | {
      type: 'scale';
      min: number;
      max: number;
      minLabel?: LocalizedText;
      maxLabel?: LocalizedText;
      /** One label per point, from `min` to `max` (a survey's "Rất không hài lòng" … "Rất hài lòng"). */
      labels?: LocalizedText[];
      /** Offers one more answer, stored as `na`, that counts in no average ("Không ý kiến"). */
      noOpinion?: LocalizedText;
    }
  | { type: 'number'; min?: number; max?: number; unit?: LocalizedText }
  | { type: 'text'; multiline?: boolean }
  | { type: 'date' }
  | { type: 'choice'; options: ChoiceOption[] }
  | { type: 'photo' };

/** @public The answer types a form item may have. */
export type AnswerType = AnswerSpec['type'];

/**
 * When an answer raises a finding. Which conditions fit which answer type:
 * - `equals`, `in`: yes-no-na (`yes`/`no`/`na`), choice (option values), scale and number (numbers);
 * - `below`, `above` (strict): scale and number;
 * - `olderThanDays`: date (older than that many days before the check);
 * - `empty` (no answer given): text, date, number and photo items that are not mandatory.
 */
export type FindingCondition =
  { equals: string | number } | { in: Array<string | number> } | { below: number } | { above: number } | { olderThanDays: number } | { empty: true };

/** When several rules of an item match, the most severe one wins. */
export interface FindingRule {
  when: FindingCondition;
  severity: Severity;
}

export interface FormItem {
  id: string;
  text: LocalizedText;
  /** The ISO clause (`9.2`) or the legal reference (`Chỉ thị 26/CT-TTg`) the item checks. */
  ref: string;
  help?: LocalizedText;
  answer: AnswerSpec;
  mandatory: boolean;
  /** Weight in the score; 0 for items that only collect information. */
  weight: number;
  findings?: FindingRule[];
}

export interface FormSection {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  /** Answered once per person (an inspection: one group per official). */
  repeatPerPerson?: boolean;
  items: FormItem[];
}

/**
 * A form version. Changing a form means registering a new version (keep the old ones registered):
 * a completed check keeps the id, version and a copy of the definition it was answered against.
 */
export interface FormDefinition {
  id: string;
  version: number;
  title: LocalizedText;
  description?: LocalizedText;
  kind: FormKind;
  appliesTo: 'unit' | 'procedure';
  sections: FormSection[];
}

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

// ---------------------------------------------------------------------------------------------
// Documents: printed in the NĐ 30/2020 layout by the documents module
// ---------------------------------------------------------------------------------------------

/** What a document's body is made of; the documents module lays it out (fonts, margins, breaks). */
export type DocumentBlock =
  /** A bold line on its own (`I. KẾT QUẢ ...`, `QUYẾT ĐỊNH:`), left or centred. */
  | { kind: 'heading'; text: string; align?: 'left' | 'center' }
  /** Justified with a first-line indent unless said; `lead` is printed bold before the text (`Điều 1.`). */
  | { kind: 'paragraph'; text: string; lead?: string; italic?: boolean; indent?: boolean; align?: 'justify' | 'center' | 'left' }
  /** Repeats its header row on every page and never splits a row. Widths are shares of the line (they are scaled to fill it). */
  | { kind: 'table'; columns: Array<{ header: string; width: number; align?: 'left' | 'center' | 'right' }>; rows: string[][] };

/** The unit a document is issued by, as the layout needs it. */
export interface DocumentUnit {
  id: number;
  code: string;
  name: string;
  kind: string;
  path: string;
  placeName: string | null;
  parentName: string | null;
  parentKind: string | null;
}

/** The fields a person edits on the draft; the definition proposes them, the person may change each. */
export interface DocumentFields {
  subject: string;
  /** For a decision: `CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ...`, the line under the subject (empty for none). */
  authority: string;
  /** One `Căn cứ ...;` per line. */
  legalBases: string[];
  /** A decision's articles, one per line, numbered when printed (`Điều 1.`). */
  articles: string[];
  signerOnBehalf: string;
  signerTitle: string;
  signerName: string;
  /** Printed under `Nơi nhận:`, each line starting `- `. */
  recipients: string[];
  /** The definition's own free-text parts, by id (see `textParts`). */
  parts: Record<string, string>;
}

/** What a definition's `gather` may read: the database (read only, by convention) and the request. */
export interface DocumentGatherContext {
  db: Knex;
  unit: DocumentUnit;
  year: number;
  /** The check, review or inspection printed (null for unit documents); `gather` checks it belongs to the unit. */
  sourceId: number | null;
  /** For tables that may be missing: a plugin's own, or those of another plugin that may be turned off. */
  hasTable(name: string): Promise<boolean>;
  hasColumn(table: string, column: string): Promise<boolean>;
}

/** The complete printed document, handed to the layout. */
export interface DocumentContent {
  /** QUYẾT ĐỊNH, BÁO CÁO, BIÊN BẢN, THÔNG BÁO. */
  typeTitle: string;
  subject: string;
  authority?: string;
  body: DocumentBlock[];
  signer: { onBehalf?: string; title: string; name: string };
  recipients: string[];
  /** Printed from a new page after the signature (the declaration's list of TTHC). */
  annex?: { title: string; subtitle?: string; blocks: DocumentBlock[] };
}

/** Thrown by `gather` when there is nothing to print: the person is told the message (422). */
export class DocumentRefusal extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
  }
}

/**
 * A document type. The core registers its own (declaration, yearly report, ...); a plugin adds a
 * province's form with `r.documents(...)` without touching the core. Facts are read once by
 * `gather` and kept with an issued document, so that its record says what it printed.
 */
export interface DocumentDefinition<Facts = unknown> {
  /** Lower-case letters, digits and hyphens; unique across the core and every plugin. */
  id: string;
  title: LocalizedText;
  /** Gives the number's abbreviation (QĐ, BC, BB, TB) and the printed type title. */
  form: 'decision' | 'report' | 'record' | 'notice';
  /** What the document is printed from: the unit itself, or one of its checks, management reviews or inspections. */
  appliesTo: 'unit' | 'check' | 'review' | 'inspection';
  /** Free-text parts offered on the draft besides the common fields; with `options`, a choice. */
  textParts?: Array<{ id: string; label: LocalizedText; options?: Array<{ value: string; label: LocalizedText }> }>;
  gather(ctx: DocumentGatherContext): Promise<Facts>;
  /** The fields proposed on a new draft. */
  defaults(input: { unit: DocumentUnit; year: number; facts: Facts }): Partial<DocumentFields>;
  build(input: { unit: DocumentUnit; year: number; facts: Facts; fields: DocumentFields; number: string; issueDate: string }): DocumentContent;
  /** The download's file name without `.pdf` (ASCII is safest); `<type>-<unit code>-<year>-<number>` when absent. */
  fileName?(input: { unit: DocumentUnit; year: number; number: string }): string;
}

// ---------------------------------------------------------------------------------------------
// Registration and start
// ---------------------------------------------------------------------------------------------

/** Handed to `register`: declare what the plugin adds. Synchronous and declarative: no I/O. */
export interface Registrar {
  readonly pluginId: string;
  readonly settings: PluginSettings;
  forms(...defs: FormDefinition[]): void;
  reminders(...defs: ReminderDefinition[]): void;
  documents(...defs: DocumentDefinition[]): void;
  /**
   * Routes mounted under `/p/<id>`, for signed-in users only. Inside them `res.render('name')`
   * renders `plugins/<id>/views/name.ejs`, and views get `pt(key)` for the plugin's own texts.
   */
  routes(mount: (router: Router) => void): void;
}

/** Handed to `init`, after the plugin's migrations ran. */
export interface PluginContext {
  id: string;
  settings: PluginSettings;
  logger: Logger;
  /** The plugin's own tables: `db('notes')` is `<id>__notes` (see `PluginDb`). */
  db: PluginDb;
  now(): Date;
  /** `table('notes')` is `<id>__notes`: plugin tables must carry that prefix. */
  table(name: string): string;
  /** Texts from `plugins/<id>/locales/<locale>.json` (keys without the namespace). */
  t(locale: 'vi' | 'en', key: string, params?: Record<string, string | number>): string;
  /** Aborted when `init` runs past its time limit: stop what you started. */
  signal: AbortSignal;
}

export interface Plugin {
  manifest: PluginManifest;
  register(r: Registrar): void;
  init?(ctx: PluginContext): Promise<void>;
}

/** Declares a plugin; `export default definePlugin({...})` in `plugins/<id>/index.ts`. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}

/** Score weight of a yes/no item by how serious its "no" is: the score leans on what matters most. */
const weightBySeverity: Record<Severity, number> = { major: 3, minor: 2, observation: 1 };

/**
 * The most common checklist item: a yes / no / not-applicable question phrased so that "yes"
 * means the requirement is met, whose "no" raises a finding of the given severity. `ref` is the
 * ISO clause or legal basis. Mandatory; weighted by severity.
 */
export function yesNoItem(id: string, ref: string, text: LocalizedText, severity: Severity, help?: LocalizedText): FormItem {
  return {
    id,
    ref,
    text,
    help,
    answer: { type: 'yes-no-na' },
    mandatory: true,
    weight: weightBySeverity[severity],
    findings: [{ when: { equals: 'no' }, severity }],
  };
}
