import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import { toCount, wherePathPrefix } from '../../db/helpers.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import type { IsoStandard, IsoState, UnitKind } from '../units/units.types.ts';
import { rateOf } from '../ontime/ontime.types.ts';
import { tallies } from '../public/public.repository.ts';
import { indexOf } from '../public/survey.logic.ts';
import type { UnitFacts } from './readiness.ts';

/** The form id of an internal audit (data contract between the areas). */
export const internalAuditForm = 'iso-internal-audit';

/** Commune-level units: what a province dashboard has one row for (DOMAIN.md, The units). */
export const communeKinds: readonly UnitKind[] = ['commune', 'ward', 'town', 'special_zone'];

/** Which units: a subtree (by path), inside a scope, or given ids; nothing set = every unit. */
export interface UnitSet {
  rootPath?: string;
  scope: Scope;
  ids?: number[];
}

export interface DashboardUnit {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  path: string;
  isoState: IsoState;
  isoStandard: IsoStandard | null;
  isoStateChangedAt: string | null;
}

export interface FactsContext {
  today: string;
  year: number;
  /** Procedures last reviewed on or before this day are overdue for review. */
  reviewCutoff: string;
  /** Twelve months before today: survey answers since then count for the readiness. */
  yearAgo: string;
  /** The last finished quarter, whose satisfaction index the dashboard shows. */
  lastQuarter: { from: string; to: string };
}

type Db = Knex;
type Row = Record<string, unknown>;

/** `column IN (the set's unit ids)` as one subquery, or nothing at all for every unit. */
function inSet(db: Db, q: Knex.QueryBuilder, column: string, set: UnitSet): Knex.QueryBuilder {
  if (!set.rootPath && set.scope.all && !set.ids) return q;
  const sub = db('units').select('id');
  if (set.rootPath) wherePathPrefix(sub, 'path', set.rootPath);
  whereUnitInScope(sub, 'path', set.scope);
  if (set.ids) sub.whereIn('id', set.ids);
  return q.whereIn(column, sub);
}

/** The units of a set (commune-level unless `kinds` says otherwise) active today, in tree order. */
export async function unitsOf(
  db: Db,
  set: UnitSet,
  today: string,
  kinds: readonly UnitKind[] | null = communeKinds,
): Promise<Array<DashboardUnit & { declaredOn: string | null }>> {
  const q = db('units').select('id', 'code', 'name', 'kind', 'path', 'iso_state', 'iso_standard', 'iso_state_changed_at', 'iso_declared_on').orderBy('path');
  // Units named by id are read as they are, merged or not; lists show the units active today.
  if (!set.ids) {
    q.where((w) => w.whereNull('active_from').orWhere('active_from', '<=', today)).where((w) => w.whereNull('active_to').orWhere('active_to', '>', today));
  }
  if (kinds) q.whereIn('kind', [...kinds]);
  if (set.rootPath) wherePathPrefix(q, 'path', set.rootPath);
  whereUnitInScope(q, 'path', set.scope);
  if (set.ids) q.whereIn('id', set.ids);
  return ((await q) as Row[]).map((r) => ({
    id: Number(r.id),
    code: String(r.code),
    name: String(r.name),
    kind: r.kind as UnitKind,
    path: String(r.path),
    isoState: r.iso_state as IsoState,
    isoStandard: (r.iso_standard as IsoStandard | null) ?? null,
    isoStateChangedAt: (r.iso_state_changed_at as string | null) ?? null,
    declaredOn: (r.iso_declared_on as string | null) ?? null,
  }));
}

/** A map unit id -> value from grouped rows `{unit_id, v}`. */
async function byUnit<T>(q: Knex.QueryBuilder, value: (r: Row) => T): Promise<Map<number, T>> {
  return new Map(((await q) as Row[]).map((r) => [Number(r.unit_id), value(r)]));
}
const num = (r: Row) => toCount(r.v);
const text = (r: Row) => (r.v == null ? null : String(r.v));

/**
 * The facts behind every figure of the dashboards and the readiness, for a whole set of units at
 * once: one grouped query per figure (never one per unit), run side by side.
 */
export async function gatherFacts(
  db: Db,
  set: UnitSet,
  units: Array<DashboardUnit & { declaredOn: string | null }>,
  c: FactsContext,
): Promise<Map<number, UnitFacts>> {
  const grouped = (q: Knex.QueryBuilder, column = 'unit_id') => inSet(db, q, column, set);
  const yearStart = `${c.year}-01-01`;
  const yearEnd = `${c.year}-12-31`;

  // The open work of a unit merged into another (the merger in force) counts on the new unit.
  const predecessorOf = (q: Knex.QueryBuilder, unitColumn: string) =>
    inSet(
      db,
      q.join('units as pu', 'pu.id', unitColumn).whereNotNull('pu.merged_into_id').whereNotNull('pu.active_to').where('pu.active_to', '<=', c.today),
      'pu.merged_into_id',
      set,
    );
  const [
    scopeRows,
    procedures,
    audits,
    onTime,
    majors,
    reviews,
    overdue,
    inspections,
    violations,
    reports,
    inheritedMajors,
    inheritedOverdue,
    quarterAnswers,
    recentAnswers,
  ] = await Promise.all([
    // Adopted TTHC and those without an issued procedure, in one pass over the unit's TTHC.
    byUnit(
      grouped(
        db('unit_tthc as ut')
          .whereNull('ut.dropped_at')
          .leftJoin('procedures as p', (j) => j.on('p.unit_id', 'ut.unit_id').andOn('p.tthc_id', 'ut.tthc_id').andOnVal('p.status', '=', 'issued'))
          .groupBy('ut.unit_id')
          .select('ut.unit_id', db.raw('count(distinct ut.id) as v'), db.raw('count(distinct case when p.id is null then ut.id end) as uncovered')),
        'ut.unit_id',
      ),
      (r) => ({ adopted: toCount(r.v), uncovered: toCount(r.uncovered) }),
    ),
    byUnit(
      grouped(
        db('procedures')
          .where('status', 'issued')
          .where('is_template', false)
          .groupBy('unit_id')
          .select(
            'unit_id',
            db.raw('count(*) as v'),
            db.raw('sum(case when last_reviewed_on is not null and last_reviewed_on <= ? then 1 else 0 end) as overdue', [c.reviewCutoff]),
          ),
      ),
      (r) => ({ issued: toCount(r.v), overdue: toCount(r.overdue) }),
    ),
    byUnit(
      grouped(
        db('checks').where('form_id', internalAuditForm).where('status', 'submitted').groupBy('unit_id').select('unit_id', db.raw('max(check_date) as v')),
      ),
      text,
    ),
    byUnit(
      grouped(
        db('on_time_figures')
          .where('period_start', '>=', yearStart)
          .where('period_start', '<=', yearEnd)
          .groupBy('unit_id')
          .select('unit_id', db.raw('sum(received) as received'), db.raw('sum(early) as early'), db.raw('sum(on_time) as on_time')),
      ),
      (r) => rateOf({ received: toCount(r.received), early: toCount(r.early), onTime: toCount(r.on_time) }),
    ),
    byUnit(
      grouped(
        db('check_findings as f')
          .join('checks as k', 'k.id', 'f.check_id')
          .where('f.severity', 'major')
          .where('f.status', 'open')
          .whereNull('f.deleted_at')
          .groupBy('k.unit_id')
          .select('k.unit_id', db.raw('count(*) as v')),
        'k.unit_id',
      ),
      num,
    ),
    byUnit(
      grouped(db('management_reviews').where('status', 'final').whereNull('deleted_at').groupBy('unit_id').select('unit_id', db.raw('max(review_date) as v'))),
      text,
    ),
    byUnit(
      grouped(
        db('corrective_actions')
          .where('due_date', '<', c.today)
          .whereNotIn('status', ['done', 'verified'])
          .whereNull('deleted_at')
          .groupBy('unit_id')
          .select('unit_id', db.raw('count(*) as v')),
      ),
      num,
    ),
    byUnit(grouped(db('inspections').whereNull('deleted_at').groupBy('unit_id').select('unit_id', db.raw('max(inspection_date) as v'))), text),
    byUnit(
      grouped(
        db('inspection_violations as v')
          .join('inspections as i', 'i.id', 'v.inspection_id')
          .where('i.inspection_date', '>=', yearStart)
          .where('i.inspection_date', '<=', yearEnd)
          .whereNull('i.deleted_at')
          .groupBy('v.unit_id')
          .select('v.unit_id', db.raw('count(*) as v')),
        'v.unit_id',
      ),
      num,
    ),
    // "Sent this year": the report of this year, or any yearly report issued this year.
    byUnit(
      grouped(
        db('documents')
          .where('type', 'yearly-report')
          .where('status', 'issued')
          .where((w) => w.where('year', c.year).orWhereBetween('issue_date', [yearStart, yearEnd]))
          .groupBy('unit_id')
          .select('unit_id', db.raw('count(*) as v')),
      ),
      num,
    ),
    byUnit(
      predecessorOf(
        db('check_findings as f')
          .join('checks as k', 'k.id', 'f.check_id')
          .where('f.severity', 'major')
          .where('f.status', 'open')
          .whereNull('f.deleted_at')
          .groupBy('pu.merged_into_id')
          .select('pu.merged_into_id as unit_id', db.raw('count(*) as v')),
        'k.unit_id',
      ),
      num,
    ),
    byUnit(
      predecessorOf(
        db('corrective_actions as a')
          .where('a.due_date', '<', c.today)
          .whereNotIn('a.status', ['done', 'verified'])
          .whereNull('a.deleted_at')
          .groupBy('pu.merged_into_id')
          .select('pu.merged_into_id as unit_id', db.raw('count(*) as v')),
        'a.unit_id',
      ),
      num,
    ),
    // The satisfaction survey: the last finished quarter's tallies, and answers of the 12 months.
    tallies(db, c.lastQuarter.from, c.lastQuarter.to, (q) => grouped(q)),
    tallies(db, c.yearAgo, c.today, (q) => grouped(q)),
  ]);

  const out = new Map<number, UnitFacts>();
  for (const u of units) {
    const p = procedures.get(u.id);
    out.set(u.id, {
      unitId: u.id,
      isoState: u.isoState,
      isoStandard: u.isoStandard,
      declaredOn: u.declaredOn,
      adoptedTthc: scopeRows.get(u.id)?.adopted ?? 0,
      issuedProcedures: p?.issued ?? 0,
      reviewOverdue: p?.overdue ?? 0,
      tthcWithoutProcedure: scopeRows.get(u.id)?.uncovered ?? 0,
      lastInternalAudit: audits.get(u.id) ?? null,
      lastReview: reviews.get(u.id) ?? null,
      openMajors: (majors.get(u.id) ?? 0) + (inheritedMajors.get(u.id) ?? 0),
      overdueActions: (overdue.get(u.id) ?? 0) + (inheritedOverdue.get(u.id) ?? 0),
      lastInspection: inspections.get(u.id) ?? null,
      violationsThisYear: violations.get(u.id) ?? 0,
      yearlyReportSent: (reports.get(u.id) ?? 0) > 0,
      onTimeRate: onTime.get(u.id) ?? null,
      satisfactionIndex: satisfactionOf(quarterAnswers.get(u.id)),
      lastSurveyAnswer: recentAnswers.get(u.id)?.lastDay ?? null,
    });
  }
  return out;
}

const satisfactionOf = (t: { rated: number; satisfied: number; points: number } | undefined) => (t ? indexOf(t.rated, t.satisfied, t.points).index : null);

/** Month `YYYY-MM` -> figures, for the trend chart of the last twelve months. */
export interface MonthFigures {
  month: string;
  audits: number;
  received: number;
  rate: number | null;
}

export async function monthlyTrend(db: Db, set: UnitSet, months: string[]): Promise<MonthFigures[]> {
  const from = `${months[0]}-01`;
  const to = `${months[months.length - 1]}-31`;
  const m = (col: string) => db.raw(`substr(${col}, 1, 7)`);
  const [audits, figures] = await Promise.all([
    inSet(
      db,
      db('checks')
        .where('form_id', internalAuditForm)
        .where('status', 'submitted')
        .where('check_date', '>=', from)
        .where('check_date', '<=', to)
        .groupBy(m('check_date'))
        .select(db.raw('substr(check_date, 1, 7) as month'), db.raw('count(*) as n')),
      'unit_id',
      set,
    ) as Promise<Row[]>,
    inSet(
      db,
      db('on_time_figures')
        .where('period_start', '>=', from)
        .where('period_start', '<=', to)
        .groupBy(m('period_start'))
        .select(
          db.raw('substr(period_start, 1, 7) as month'),
          db.raw('sum(received) as received'),
          db.raw('sum(early) as early'),
          db.raw('sum(on_time) as on_time'),
        ),
      'unit_id',
      set,
    ) as Promise<Row[]>,
  ]);
  const a = new Map(audits.map((r) => [String(r.month), toCount(r.n)]));
  const f = new Map(figures.map((r) => [String(r.month), r]));
  return months.map((month) => {
    const r = f.get(month);
    const c = { received: toCount(r?.received), early: toCount(r?.early), onTime: toCount(r?.on_time) };
    return { month, audits: a.get(month) ?? 0, received: c.received, rate: rateOf(c) };
  });
}

/** The names of the units of `ids` but one, by name (the other roots a caller may open). */
export async function namesOfOtherUnits(db: Db, ids: number[], exceptId: number): Promise<Array<{ id: number; name: string }>> {
  const rows = (await db('units').whereIn('id', ids).whereNot('id', exceptId).orderBy('name').select('id', 'name')) as Array<Record<string, unknown>>;
  return rows.map((o) => ({ id: Number(o.id), name: String(o.name) }));
}

/** The provinces still active on `today`. */
export async function activeProvinces(db: Db, today: string): Promise<Array<{ id: number; code: string; name: string }>> {
  const rows = (await db('units')
    .whereNull('parent_id')
    .where((w) => w.whereNull('active_to').orWhere('active_to', '>', today))
    .select('id', 'code', 'name')) as Array<Record<string, unknown>>;
  return rows.map((p) => ({ id: Number(p.id), code: String(p.code), name: String(p.name) }));
}
