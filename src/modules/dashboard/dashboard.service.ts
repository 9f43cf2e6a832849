import type { Knex } from 'knex';
import { isAdmin, scopeFor, type Scope } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { foldForSearch } from '../../lib/text.ts';
import { monthsBefore, vnDate } from '../../lib/time.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { previousQuarter, quarterOf } from '../public/survey.logic.ts';
import { findUnit } from '../units/units.repository.ts';
import { isoStates, type IsoState, type Unit } from '../units/units.types.ts';
import { dashboardQuery, type DashboardQuery, type SortKey } from './dashboard.schemas.ts';
import {
  activeProvinces,
  gatherFacts,
  monthlyTrend,
  namesOfOtherUnits,
  unitsOf,
  type DashboardUnit,
  type MonthFigures,
  type UnitSet,
} from './facts.repository.ts';
import { bandOf, readinessOf, type Readiness, type ReadinessContext, type UnitFacts } from './readiness.ts';

export interface DashboardRow extends DashboardUnit {
  facts: UnitFacts;
  readiness: Readiness;
  band: ReturnType<typeof bandOf>;
}

export interface ProvinceDashboard {
  root: Unit;
  /** Other roots the caller may open (a coordinator of two provinces). */
  others: Array<{ id: number; name: string }>;
  rows: DashboardRow[];
  /** Units before the filters. */
  total: number;
  byState: Record<IsoState, number>;
  trend: MonthFigures[];
  query: DashboardQuery;
  dir: 'asc' | 'desc';
  asOf: string;
  /** Names the figures shown (their set, day and load): equal stamps, equal figures. */
  stamp: string;
}

export interface ProvinceSummary {
  id: number;
  code: string;
  name: string;
  units: number;
  byState: Record<IsoState, number>;
  /** Declared units in percent of the units. */
  declaredShare: number | null;
  /** Mean readiness of the units with a score. */
  readiness: number | null;
  openMajors: number | null;
  overdueActions: number | null;
  onTimeRate: number | null;
  belowHalf: number;
}

export interface NationalOverview {
  provinces: ProvinceSummary[];
  totals: { units: number; byState: Record<IsoState, number>; readiness: number | null };
  asOf: string;
}

const emptyStates = (): Record<IsoState, number> => Object.fromEntries(isoStates.map((s) => [s, 0])) as Record<IsoState, number>;
const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

/** The twelve months ending with the month of `today`, oldest first (`YYYY-MM`). */
export function lastTwelveMonths(today: string): string[] {
  return Array.from({ length: 12 }, (_, i) => monthsBefore(`${today.slice(0, 7)}-01`, 11 - i).slice(0, 7));
}

/** Where each unit stands: the province dashboard, the national overview, a unit's readiness. */
export class DashboardService {
  /**
   * Gathered figures per set of units and day, reused for `cacheMs` (DASHBOARD_CACHE_SECONDS): the
   * national overview reads every unit's history, and a province's coordinators open it all day.
   * The promise is kept, so requests arriving while it loads wait for the same load.
   */
  private readonly cache: TtlCache<string, Promise<unknown>>;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly reviewMonths: number,
    cacheMs = 0,
  ) {
    this.cache = new TtlCache(cacheMs, 500);
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const p = load();
    this.cache.set(key, p);
    // A failed load is not kept.
    p.catch(() => this.cache.delete(key));
    return p;
  }

  context(): ReadinessContext & { reviewCutoff: string; lastQuarter: { from: string; to: string } } {
    const today = vnDate(this.clock.now());
    return {
      lastQuarter: previousQuarter(quarterOf(today)),
      today,
      yearAgo: monthsBefore(today, 12),
      year: Number(today.slice(0, 4)),
      reviewMonths: this.reviewMonths,
      reviewCutoff: monthsBefore(today, this.reviewMonths),
    };
  }

  private scope(actor: Actor): Scope {
    const scope = scopeFor(actor.user, 'dashboard.read');
    if (!scope.all && scope.paths.length === 0) throw new AppError('NOT_FOUND');
    return scope;
  }

  /** Rows with facts and readiness for a set of units. */
  async rowsOf(set: UnitSet, kinds?: Parameters<typeof unitsOf>[3]): Promise<DashboardRow[]> {
    const c = this.context();
    const units = await unitsOf(this.db, set, c.today, kinds);
    const facts = await gatherFacts(this.db, set, units, c);
    const rows = units.map((u) => {
      const f = facts.get(u.id)!;
      const readiness = readinessOf(f, c);
      return { ...u, facts: f, readiness, band: bandOf(readiness.score) };
    });
    return rows;
  }

  /**
   * The dashboard an actor opens at `/dashboard`: the national overview for an administrator
   * without `provinceId`, otherwise the province (or any unit in scope) given, or the caller's own.
   */
  async open(actor: Actor, rawQuery: unknown): Promise<{ national: NationalOverview } | { province: ProvinceDashboard }> {
    const query = validate(dashboardQuery, rawQuery ?? {});
    const scope = this.scope(actor);
    if (query.provinceId === undefined && isAdmin(actor.user)) return { national: await this.national() };
    return { province: await this.province(actor, scope, query) };
  }

  private async province(actor: Actor, scope: Scope, query: DashboardQuery): Promise<ProvinceDashboard> {
    const rootIds = scope.all ? [] : scope.paths.map((p) => Number(p.split('/').filter(Boolean).pop()));
    const rootId = query.provinceId ?? rootIds[0]!;
    const root = await findUnit(this.db, rootId, scope);
    if (!root) throw new AppError('NOT_FOUND');
    const set: UnitSet = { rootPath: root.path, scope };
    const c = this.context();
    const key = `province|${c.today}|${root.path}|${JSON.stringify(scope)}`;
    const [{ rows: cachedRows, loadedAt }, trend, others] = await Promise.all([
      this.cached(key, async () => ({ rows: await this.rowsOf(set), loadedAt: Date.now() })),
      this.cached(`trend|${key}`, () => monthlyTrend(this.db, set, lastTwelveMonths(c.today))),
      rootIds.length > 1 ? namesOfOtherUnits(this.db, rootIds, root.id) : Promise.resolve([]),
    ]);
    const all = [...cachedRows];
    const byState = emptyStates();
    for (const r of all) byState[r.isoState]++;
    const folded = query.q ? foldForSearch(query.q) : undefined;
    const rows = all.filter(
      (r) =>
        (!query.state || r.isoState === query.state) &&
        (query.below === undefined || r.readiness.score === null || r.readiness.score < query.below) &&
        (!folded || foldForSearch(`${r.name} ${r.code}`).includes(folded)),
    );
    const dir = query.dir ?? (query.sort === 'name' || query.sort === 'readiness' || query.sort === 'ontime' || query.sort === 'satisfaction' ? 'asc' : 'desc');
    sortRows(rows, query.sort, dir);
    return {
      root,
      others,
      rows,
      total: all.length,
      byState,
      trend,
      query,
      dir,
      asOf: c.today,
      stamp: `${key}|${loadedAt}`,
    };
  }

  /** Every province of the nation, one line each, from one gathering over all units. */
  national(): Promise<NationalOverview> {
    return this.cached(`national|${this.context().today}`, () => this.loadNational());
  }

  private async loadNational(): Promise<NationalOverview> {
    const c = this.context();
    const [rows, provinces] = await Promise.all([this.rowsOf({ scope: { all: true } }), activeProvinces(this.db, c.today)]);
    const byProvince = new Map<number, DashboardRow[]>();
    for (const r of rows) {
      const top = Number(r.path.split('/')[1]);
      const list = byProvince.get(top) ?? [];
      list.push(r);
      byProvince.set(top, list);
    }
    // A province without units has no figure (null), not zero.
    const sumOf = (list: DashboardRow[], k: 'openMajors' | 'overdueActions') => (list.length ? list.reduce((n, r) => n + r.facts[k], 0) : null);
    const totals = {
      units: rows.length,
      byState: emptyStates(),
      readiness: mean(rows.flatMap((r) => (r.readiness.score === null ? [] : [r.readiness.score]))),
    };
    for (const r of rows) totals.byState[r.isoState]++;
    const out = provinces.map((p) => {
      const list = byProvince.get(p.id) ?? [];
      const byState = emptyStates();
      for (const r of list) byState[r.isoState]++;
      const rates = list.flatMap((r) => (r.facts.onTimeRate === null ? [] : [r.facts.onTimeRate]));
      return {
        id: p.id,
        code: p.code,
        name: p.name,
        units: list.length,
        byState,
        declaredShare: list.length ? Math.round((byState.declared / list.length) * 100) : null,
        readiness: mean(list.flatMap((r) => (r.readiness.score === null ? [] : [r.readiness.score]))),
        openMajors: sumOf(list, 'openMajors'),
        overdueActions: sumOf(list, 'overdueActions'),
        onTimeRate: rates.length ? Math.round((rates.reduce((a, b) => a + b, 0) / rates.length) * 10) / 10 : null,
        belowHalf: list.filter((r) => r.readiness.score !== null && r.readiness.score < 50).length,
      };
    });
    // Vietnamese order (Đ after D) on both engines, whatever the database's collation.
    out.sort((x, y) => collator.compare(x.name, y.name));
    return { provinces: out, totals, asOf: c.today };
  }

  /** One unit's readiness, explained item by item (any unit the caller can read). */
  async unitReadiness(actor: Actor, unitId: number): Promise<{ unit: Unit; row: DashboardRow }> {
    const unit = await findUnit(this.db, unitId, scopeFor(actor.user, 'unit.read'));
    if (!unit) throw new AppError('NOT_FOUND');
    const rows = await this.rowsOf({ scope: { all: true }, ids: [unit.id] }, null);
    if (!rows[0]) throw new AppError('NOT_FOUND');
    return { unit, row: rows[0] };
  }
}

/** One collator for every comparison: `localeCompare(x, 'vi')` builds a new one on each call. */
const collator = new Intl.Collator('vi');

/** Sort keys to the value compared; unknown (null) values always go last. */
const sortValue: Record<SortKey, (r: DashboardRow) => string | number | null | undefined> = {
  name: (r) => foldForSearch(r.name),
  state: (r) => isoStates.indexOf(r.isoState),
  declared: (r) => r.facts.declaredOn,
  audit: (r) => r.facts.lastInternalAudit,
  review: (r) => r.facts.lastReview,
  majors: (r) => r.facts.openMajors,
  overdue: (r) => r.facts.overdueActions,
  inspection: (r) => r.facts.lastInspection,
  violations: (r) => r.facts.violationsThisYear,
  ontime: (r) => r.facts.onTimeRate,
  satisfaction: (r) => r.facts.satisfactionIndex,
  readiness: (r) => r.readiness.score,
};

export function sortRows(rows: DashboardRow[], key: SortKey, dir: 'asc' | 'desc'): void {
  const get = sortValue[key];
  const sign = dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const x = get(a);
    const y = get(b);
    const xn = x === null || x === undefined;
    const yn = y === null || y === undefined;
    if (xn || yn) return xn && yn ? collator.compare(a.name, b.name) : xn ? 1 : -1;
    if (x < y) return -sign;
    if (x > y) return sign;
    return collator.compare(a.name, b.name);
  });
}
