import type { Scope } from '../../auth/roles.ts';
import { insertId, likeEscape, toCount } from '../../db/helpers.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import { foldForSearch } from '../../lib/text.ts';
import { visibleProvinces, whereProvinceVisible } from './provinces.repository.ts';
import type { OnlineLevel, Tthc, TthcLevel } from './catalog.types.ts';
import type { TthcInput } from './catalog.schemas.ts';
import type { Db } from '../../kernel/db.ts';

const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));

/** The stored levels; the single level alone when a typed edit changed it to one they lack. */
function levelsOfRow(r: Record<string, unknown>): TthcLevel[] {
  const all = String(r.levels ?? '')
    .split(',')
    .filter(Boolean) as TthcLevel[];
  return all.includes(r.level as TthcLevel) ? all : [r.level as TthcLevel];
}

export function toTthc(r: Record<string, unknown>): Tthc {
  return {
    id: Number(r.id),
    provinceId: Number(r.province_id),
    provinceName: (r.province_name as string | undefined) ?? undefined,
    code: String(r.code),
    name: String(r.name),
    field: String(r.field),
    level: r.level as TthcLevel,
    legalDays: numOrNull(r.legal_days),
    fees: (r.fees as string | null) ?? null,
    legalBasis: (r.legal_basis as string | null) ?? null,
    onlineLevel: r.online_level as OnlineLevel,
    levels: levelsOfRow(r),
    noNationalCode: r.no_national_code === true || r.no_national_code === 1,
    timeText: (r.time_text as string | null) ?? null,
    timeDays: r.time_days ? String(r.time_days).split(',').map(Number) : [],
    feeAmount: numOrNull(r.fee_amount),
    retiredAt: (r.retired_at as string | null) ?? null,
    retiredDecisionNo: (r.retired_decision_no as string | null) ?? null,
    retiredDecisionDate: (r.retired_decision_date as string | null) ?? null,
    version: Number(r.version),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

function base(db: Db) {
  return db('tthc as t').join('units as pr', 'pr.id', 't.province_id');
}

/** A TTHC visible to the scope (see whereProvinceVisible), or undefined. */
export async function findTthc(db: Db, id: number, scope: Scope): Promise<Tthc | undefined> {
  const q = base(db).where('t.id', id).select('t.*', 'pr.name as province_name', 'pr.path as province_path');
  whereProvinceVisible(q, 'pr.path', scope);
  const row = (await q.first()) as Record<string, unknown> | undefined;
  return row ? toTthc(row) : undefined;
}

export async function findTthcByCode(db: Db, provinceId: number, code: string): Promise<Tthc | undefined> {
  const row = (await db('tthc').where({ province_id: provinceId, code }).first()) as Record<string, unknown> | undefined;
  return row ? toTthc(row) : undefined;
}

export async function tthcByCodes(db: Db, provinceId: number, codes: string[]): Promise<Map<string, Tthc>> {
  const out = new Map<string, Tthc>();
  for (let i = 0; i < codes.length; i += 500) {
    const rows = (await db('tthc')
      .where('province_id', provinceId)
      .whereIn('code', codes.slice(i, i + 500))) as Array<Record<string, unknown>>;
    for (const r of rows) out.set(String(r.code), toTthc(r));
  }
  return out;
}

export interface TthcFilter {
  scope: Scope;
  q?: string;
  provinceId?: number;
  field?: string;
  level?: TthcLevel;
  page: number;
  pageSize: number;
}

export async function listTthc(db: Db, f: TthcFilter): Promise<Page<Tthc>> {
  const q = base(db);
  whereProvinceVisible(q, 'pr.path', f.scope);
  if (f.q) {
    const folded = foldForSearch(f.q);
    q.where((w) => w.whereRaw(`t.search_text LIKE ? ESCAPE '\\'`, [`%${likeEscape(folded)}%`]).orWhere('t.code', f.q as string));
  }
  if (f.provinceId !== undefined) q.where('t.province_id', f.provinceId);
  if (f.field) q.where('t.field', f.field);
  if (f.level) q.where('t.level', f.level);
  const [{ n } = { n: 0 }] = (await q.clone().count({ n: '*' })) as Array<{ n: unknown }>;
  const rows = (await q
    .select('t.*', 'pr.name as province_name')
    .orderBy([{ column: 't.field' }, { column: 't.code' }, { column: 't.id' }])
    .limit(f.pageSize)
    .offset(offsetOf(f.page, f.pageSize))) as Array<Record<string, unknown>>;
  return pageOf(rows.map(toTthc), toCount(n), f.page, f.pageSize);
}

/** The fields (lĩnh vực) of the TTHC lists a scope sees, for the filter menus. */
export async function tthcFields(db: Db, scope: Scope, provinceId?: number): Promise<string[]> {
  // On every catalog page: the provinces first (by id and path index), then the (province, field)
  // index, rather than testing every TTHC of the country against the scope's paths.
  const q = db('tthc as t').distinct('t.field').orderBy('t.field');
  if (!scope.all) q.whereIn('t.province_id', visibleProvinces(db, scope));
  if (provinceId !== undefined) q.where('t.province_id', provinceId);
  const rows = (await q) as Array<{ field: string }>;
  return rows.map((r) => r.field);
}

/** What an import adds to a typed TTHC: the published texts and what was read from them. */
export interface PublishedFacts {
  levels: TthcLevel[];
  noNationalCode: boolean;
  timeText: string | null;
  timeDays: number[];
  feeAmount: number | null;
}

function tthcRow(d: TthcInput & Partial<PublishedFacts>): Record<string, unknown> {
  // A typed TTHC (the form, the API) leaves the published facts as they are.
  const published =
    d.levels === undefined
      ? {}
      : {
          levels: d.levels.join(','),
          no_national_code: d.noNationalCode ?? false,
          time_text: d.timeText ?? null,
          time_days: d.timeDays?.length ? d.timeDays.join(',') : null,
          fee_amount: d.feeAmount ?? null,
        };
  return {
    ...published,
    code: d.code,
    name: d.name,
    field: d.field,
    level: d.level,
    legal_days: d.legalDays,
    fees: d.fees,
    legal_basis: d.legalBasis,
    online_level: d.onlineLevel,
    search_text: foldForSearch(`${d.code} ${d.name} ${d.field}`),
  };
}

export async function insertTthc(trx: Db, provinceId: number, d: TthcInput & Partial<PublishedFacts>, at: string): Promise<number> {
  return insertId(trx('tthc').insert({ ...tthcRow(d), province_id: provinceId, created_at: at, updated_at: at }));
}

/** Writes only if the row is still at `version`; false when someone changed it meanwhile. */
export async function updateTthc(trx: Db, id: number, version: number, d: TthcInput & Partial<PublishedFacts>, at: string): Promise<boolean> {
  const n = await trx('tthc')
    .where({ id, version })
    .update({ ...tthcRow(d), version: version + 1, updated_at: at });
  return n === 1;
}

export interface AdoptedTthc extends Tthc {
  adoptedAt: string;
  procedureCount: number;
}

/** The TTHC a unit has adopted into its scope (not dropped), with how many procedures cover each. */
export async function adoptedBy(db: Db, unitId: number): Promise<AdoptedTthc[]> {
  const rows = (await db('unit_tthc as a')
    .join('tthc as t', 't.id', 'a.tthc_id')
    .where('a.unit_id', unitId)
    .whereNull('a.dropped_at')
    .select('t.*', 'a.adopted_at')
    .select(db.raw(`(select count(*) from procedures p where p.unit_id = a.unit_id and p.tthc_id = t.id and p.status <> 'withdrawn') as procedure_count`))
    .orderBy([{ column: 't.field' }, { column: 't.code' }])) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ ...toTthc(r), adoptedAt: String(r.adopted_at), procedureCount: toCount(r.procedure_count) }));
}

/** Adopts a TTHC; false when it was already in the unit's scope. */
export async function adopt(trx: Db, unitId: number, tthcId: number, at: string): Promise<boolean> {
  const row = (await trx('unit_tthc').where({ unit_id: unitId, tthc_id: tthcId }).first()) as { id: number; dropped_at: string | null } | undefined;
  if (row && !row.dropped_at) return false;
  if (row) await trx('unit_tthc').where('id', row.id).update({ dropped_at: null, adopted_at: at, updated_at: at });
  else await trx('unit_tthc').insert({ unit_id: unitId, tthc_id: tthcId, adopted_at: at, created_at: at, updated_at: at });
  return true;
}

/** Drops a TTHC from the unit's scope; false when it was not in it. */
export async function drop(trx: Db, unitId: number, tthcId: number, at: string): Promise<boolean> {
  const n = await trx('unit_tthc').where({ unit_id: unitId, tthc_id: tthcId }).whereNull('dropped_at').update({ dropped_at: at, updated_at: at });
  return n > 0;
}

/** The whole current list of one province (for the TTHC menu of the procedure form). */
export async function tthcOfProvince(db: Db, provinceId: number): Promise<Tthc[]> {
  const rows = (await db('tthc')
    .where('province_id', provinceId)
    .whereNull('retired_at')
    .orderBy([{ column: 'field' }, { column: 'code' }])
    .limit(5000)) as Array<Record<string, unknown>>;
  return rows.map(toTthc);
}

/** The whole list of one province, retired ones too (an import matches names against it). */
export async function allOfProvince(db: Db, provinceId: number): Promise<Tthc[]> {
  return ((await db('tthc').where('province_id', provinceId).orderBy('id')) as Array<Record<string, unknown>>).map(toTthc);
}

export async function tthcByIds(db: Db, ids: number[]): Promise<Tthc[]> {
  if (ids.length === 0) return [];
  return ((await db('tthc').whereIn('id', ids)) as Array<Record<string, unknown>>).map(toTthc);
}

/** Every province's id and path, by name (the caller keeps those in a scope). */
export async function provincePaths(db: Db): Promise<Array<{ id: number; path: string }>> {
  const rows = (await db('units').where('kind', 'province').orderBy('name').select('id', 'path')) as Array<{ id: number; path: string }>;
  return rows.map((r) => ({ id: Number(r.id), path: String(r.path) }));
}

export interface Retirement {
  on: string;
  decisionNo: string;
  decisionDate: string;
}

/** Marks a TTHC retired; false when it already was (or changed meanwhile). */
export async function retireTthc(trx: Db, id: number, version: number, r: Retirement, at: string): Promise<boolean> {
  const n = await trx('tthc')
    .where({ id, version })
    .whereNull('retired_at')
    .update({ retired_at: r.on, retired_decision_no: r.decisionNo, retired_decision_date: r.decisionDate, version: version + 1, updated_at: at });
  return n === 1;
}

/** The units that have a TTHC in their scope now (not dropped). */
export async function unitsAdopting(db: Db, tthcId: number): Promise<number[]> {
  const rows = (await db('unit_tthc').where('tthc_id', tthcId).whereNull('dropped_at').orderBy('unit_id').select('unit_id')) as Array<{ unit_id: unknown }>;
  return rows.map((r) => Number(r.unit_id));
}

/** A TTHC's legal time limit in working days (null when none is set or there is no such TTHC). */
export async function legalDaysOf(db: Db, id: number): Promise<number | null> {
  const row = (await db('tthc').where('id', id).first('legal_days')) as { legal_days: number | null } | undefined;
  return row?.legal_days === null || row?.legal_days === undefined ? null : Number(row.legal_days);
}

/** A TTHC's code and name. */
export async function codeAndNameOf(db: Db, id: number): Promise<{ code: string; name: string } | undefined> {
  return (await db('tthc').where('id', id).first('code', 'name')) as { code: string; name: string } | undefined;
}
