import type { IsoStandard, IsoState } from '../units/units.types.ts';

/**
 * The readiness of a unit's quality management system, item by item. A pure function of
 * facts gathered by facts.repository.ts, so that the rules are read and tested without a database.
 * Every fact is gathered (the app's migrations create the tables behind each), so every item is met
 * or not met; the score is met items over known items, and `unknown` stays in the API's vocabulary
 * (docs/api.md) without being produced.
 */
export interface UnitFacts {
  unitId: number;
  isoState: IsoState;
  isoStandard: IsoStandard | null;
  /** Date of the last declaration decision. */
  declaredOn: string | null;
  /** TTHC the unit has adopted into its scope (not dropped). */
  adoptedTthc: number;
  issuedProcedures: number;
  /** Issued procedures last reviewed before the catalog's review cut-off. */
  reviewOverdue: number;
  /** Adopted TTHC without an issued procedure. */
  tthcWithoutProcedure: number;
  /** Check date of the last submitted internal audit. */
  lastInternalAudit: string | null;
  /** Date of the last final management review. */
  lastReview: string | null;
  openMajors: number;
  overdueActions: number;
  lastInspection: string | null;
  violationsThisYear: number;
  yearlyReportSent: boolean;
  /** On-time rate of the periods that started this year (null: no dossier due). */
  onTimeRate: number | null;
  /** SIPAS index of the last finished quarter in percent (null: no answer with an opinion). */
  satisfactionIndex: number | null;
  /** Day of the newest survey answer of the last 12 months (null: none). */
  lastSurveyAnswer: string | null;
}

export const readinessItems = [
  'scope',
  'procedures',
  'internal_audit',
  'management_review',
  'no_open_major',
  'declaration',
  'yearly_report',
  'satisfaction',
] as const;
/**
 * Items shown and explained but left out of the score: the score has long been the seven items
 * above, and people compare it from year to year.
 */
export const informationalItems: readonly ReadinessItemKey[] = ['satisfaction'];
export type ReadinessItemKey = (typeof readinessItems)[number];
export type ItemStatus = 'met' | 'not_met' | 'unknown';

export interface ReadinessItem {
  key: ReadinessItemKey;
  status: ItemStatus;
  /**
   * The message key of the explanation (`dashboard.readiness.<key>.<reason>`): what is true now,
   * and, when not met, what to do next.
   */
  reason: string;
  params: Record<string, string | number>;
  /** Shown with the others, not counted in the score. */
  informational?: true;
}

export interface Readiness {
  unitId: number;
  /** Met over known items, in percent (informational items left out); null when no item could be known. */
  score: number | null;
  met: number;
  known: number;
  items: ReadinessItem[];
}

export interface ReadinessContext {
  /** Today in Viet Nam, `YYYY-MM-DD`. */
  today: string;
  /** Twelve months before today: an internal audit or review since then is "within 12 months". */
  yearAgo: string;
  year: number;
  /** The catalog's review period in months (CATALOG_REVIEW_MONTHS). */
  reviewMonths: number;
}

const item = (key: ReadinessItemKey, status: ItemStatus, reason: string, params: Record<string, string | number> = {}): ReadinessItem => ({
  key,
  status,
  reason,
  params,
});

export function readinessOf(f: UnitFacts, c: ReadinessContext): Readiness {
  const items: ReadinessItem[] = [];
  items.push(f.adoptedTthc > 0 ? item('scope', 'met', 'met', { n: f.adoptedTthc }) : item('scope', 'not_met', 'none'));

  if (f.issuedProcedures === 0) items.push(item('procedures', 'not_met', 'none'));
  else if (f.tthcWithoutProcedure > 0) items.push(item('procedures', 'not_met', 'missing', { n: f.tthcWithoutProcedure }));
  else if (f.reviewOverdue > 0) items.push(item('procedures', 'not_met', 'overdue', { n: f.reviewOverdue, months: c.reviewMonths }));
  else items.push(item('procedures', 'met', 'met', { n: f.issuedProcedures, months: c.reviewMonths }));

  if (!f.lastInternalAudit) items.push(item('internal_audit', 'not_met', 'none'));
  else if (f.lastInternalAudit < c.yearAgo) items.push(item('internal_audit', 'not_met', 'old', { date: f.lastInternalAudit }));
  else items.push(item('internal_audit', 'met', 'met', { date: f.lastInternalAudit }));

  if (!f.lastReview) items.push(item('management_review', 'not_met', 'none'));
  else if (f.lastReview < c.yearAgo) items.push(item('management_review', 'not_met', 'old', { date: f.lastReview }));
  else items.push(item('management_review', 'met', 'met', { date: f.lastReview }));

  if (f.openMajors > 0) items.push(item('no_open_major', 'not_met', 'open', { n: f.openMajors }));
  else items.push(item('no_open_major', 'met', 'met'));

  // ISO 9001 and QĐ 19/2014: a declaration holds for the scope it was made for; a changed scope
  // (new TTHC, a merger, a new standard) needs a re-declaration.
  if (f.isoState === 'declared') items.push(item('declaration', 'met', f.declaredOn ? 'met_on' : 'met', f.declaredOn ? { date: f.declaredOn } : {}));
  else if (f.isoState === 'needs_redeclaration') items.push(item('declaration', 'not_met', 'redeclare'));
  else items.push(item('declaration', 'not_met', 'not_declared'));

  if (f.yearlyReportSent) items.push(item('yearly_report', 'met', 'met', { year: c.year }));
  else items.push(item('yearly_report', 'not_met', 'none', { year: c.year }));

  // ISO 9001:2015, 9.1.2: the unit monitors how satisfied the people it serves are.
  if (f.lastSurveyAnswer) items.push(item('satisfaction', 'met', 'met', { date: f.lastSurveyAnswer }));
  else items.push(item('satisfaction', 'not_met', 'none'));
  for (const i of items) if (informationalItems.includes(i.key)) i.informational = true;

  const scored = items.filter((i) => !i.informational);
  const known = scored.filter((i) => i.status !== 'unknown').length;
  const met = scored.filter((i) => i.status === 'met').length;
  return { unitId: f.unitId, score: known ? Math.round((met / known) * 100) : null, met, known, items };
}

/** The colour band of a score, with its text label (colour is never the only signal). */
export function bandOf(score: number | null): 'high' | 'mid' | 'low' | 'none' {
  if (score === null) return 'none';
  return score >= 80 ? 'high' : score >= 50 ? 'mid' : 'low';
}
