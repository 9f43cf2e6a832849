import { scopeFor, type Capability, type Scope } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { insertId, likeEscape, toCount, wherePathPrefix } from '../../db/helpers.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import { foldForSearch } from '../../lib/text.ts';
import { whereUnitInScope } from './units.scope.ts';
import type { IsoStandard, IsoState, Unit, UnitKind } from './units.types.ts';
import type { Db } from '../../kernel/db.ts';

const columns = [
  'id',
  'code',
  'name',
  'kind',
  'parent_id',
  'path',
  'depth',
  'place_name',
  'active_from',
  'active_to',
  'merged_into_id',
  'iso_state',
  'iso_standard',
  'iso_state_reason',
  'iso_state_changed_at',
  'created_at',
  'updated_at',
];

export function toUnit(r: Record<string, unknown>): Unit {
  return {
    id: Number(r.id),
    code: String(r.code),
    name: String(r.name),
    kind: r.kind as UnitKind,
    parentId: r.parent_id == null ? null : Number(r.parent_id),
    path: String(r.path),
    depth: Number(r.depth),
    placeName: (r.place_name as string | null) ?? null,
    activeFrom: (r.active_from as string | null) ?? null,
    activeTo: (r.active_to as string | null) ?? null,
    mergedIntoId: r.merged_into_id == null ? null : Number(r.merged_into_id),
    isoState: r.iso_state as IsoState,
    isoStandard: (r.iso_standard as IsoStandard | null) ?? null,
    isoStateReason: (r.iso_state_reason as string | null) ?? null,
    isoStateChangedAt: (r.iso_state_changed_at as string | null) ?? null,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

/** A unit inside the scope, or undefined (the caller answers 404). */
export async function findUnit(db: Db, id: number, scope: Scope): Promise<Unit | undefined> {
  // An id no integer column can hold names no unit (PostgreSQL would refuse the query itself).
  if (!Number.isInteger(id) || id < 1 || id > 2 ** 31 - 1) return undefined;
  const q = db('units').select(columns).where('id', id);
  whereUnitInScope(q, 'path', scope);
  const row = (await q.first()) as Record<string, unknown> | undefined;
  return row ? toUnit(row) : undefined;
}

/** The unit if it lies in the actor's scope for the capability; otherwise it does not exist (404). */
export async function unitFor(db: Db, actor: Actor, unitId: number, cap: Capability): Promise<Unit> {
  const unit = await findUnit(db, unitId, scopeFor(actor.user, cap));
  if (!unit) throw new AppError('NOT_FOUND');
  return unit;
}

export async function findUnitByCode(db: Db, code: string, scope: Scope): Promise<Unit | undefined> {
  const q = db('units').select(columns).where('code', code);
  whereUnitInScope(q, 'path', scope);
  const row = (await q.first()) as Record<string, unknown> | undefined;
  return row ? toUnit(row) : undefined;
}

export async function codeTaken(db: Db, code: string, exceptId?: number): Promise<boolean> {
  const q = db('units').where('code', code).first('id');
  if (exceptId !== undefined) q.whereNot('id', exceptId);
  return !!(await q);
}

/** Ancestors of a unit, root first, from its path (no scope: a breadcrumb names only what the
 *  user already reached through a unit in scope). */
export async function ancestorsOf(db: Db, unit: Unit): Promise<Array<Pick<Unit, 'id' | 'code' | 'name' | 'kind'>>> {
  const ids = unit.path
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((id) => id !== unit.id);
  if (ids.length === 0) return [];
  const rows = (await db('units').select('id', 'code', 'name', 'kind').whereIn('id', ids)) as Array<Record<string, unknown>>;
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id, code: String(r.code), name: String(r.name), kind: r.kind as UnitKind }] : [];
  });
}

export interface ListFilter {
  scope: Scope;
  q?: string;
  kind?: UnitKind;
  parentId?: number;
  /** Only the top of the scope: provinces for an administrator, the assigned units otherwise. */
  rootsOnly?: boolean;
  status: 'active' | 'inactive' | 'all';
  today: string;
  page: number;
  pageSize: number;
}

export async function listUnits(db: Db, f: ListFilter): Promise<Page<Unit & { childCount: number }>> {
  const q = db('units as u');
  whereUnitInScope(q, 'u.path', f.scope);
  if (f.q) {
    const folded = foldForSearch(f.q);
    q.where((w) => {
      w.whereRaw(`u.search_text LIKE ? ESCAPE '\\'`, [`%${likeEscape(folded)}%`]).orWhere('u.code', f.q as string);
    });
  }
  if (f.kind) q.where('u.kind', f.kind);
  if (f.parentId !== undefined) q.where('u.parent_id', f.parentId);
  if (f.rootsOnly) {
    if (f.scope.all) q.whereNull('u.parent_id');
    else q.whereIn('u.path', f.scope.paths);
  }
  if (f.status === 'active') {
    q.where((w) => w.whereNull('u.active_to').orWhere('u.active_to', '>', f.today));
  } else if (f.status === 'inactive') {
    q.whereNotNull('u.active_to').where('u.active_to', '<=', f.today);
  }
  const rowsQuery = q
    .clone()
    .select(columns.map((c) => `u.${c}`))
    .select(db.raw('(select count(*) from units c where c.parent_id = u.id) as child_count'))
    .orderBy([{ column: 'u.depth' }, { column: 'u.name' }, { column: 'u.id' }])
    .limit(f.pageSize)
    .offset(offsetOf(f.page, f.pageSize));
  const rows = (await rowsQuery) as Array<Record<string, unknown>>;
  // A first page that is not full already tells the total; only a longer list is counted.
  let total = rows.length;
  if (f.page > 1 || rows.length === f.pageSize) {
    const [{ n } = { n: 0 }] = (await q.clone().count({ n: '*' })) as Array<{ n: unknown }>;
    total = toCount(n);
  }
  return pageOf(
    rows.map((r) => ({ ...toUnit(r), childCount: toCount(r.child_count) })),
    total,
    f.page,
    f.pageSize,
  );
}

/** How many units of each kind lie in the scope (optionally under one unit), active today. */
export async function countByKind(db: Db, scope: Scope, today: string, underPath?: string): Promise<Record<string, number>> {
  const q = db('units')
    .select('kind')
    .count({ n: '*' })
    .groupBy('kind')
    .where((w) => w.whereNull('active_to').orWhere('active_to', '>', today));
  whereUnitInScope(q, 'path', scope);
  if (underPath) {
    wherePathPrefix(q, 'path', underPath);
    q.whereNot('path', underPath);
  }
  const rows = (await q) as Array<{ kind: string; n: unknown }>;
  return Object.fromEntries(rows.map((r) => [r.kind, toCount(r.n)]));
}

export async function predecessorsOf(db: Db, id: number): Promise<Unit[]> {
  const rows = (await db('units').select(columns).where('merged_into_id', id).orderBy('name')) as Array<Record<string, unknown>>;
  return rows.map(toUnit);
}

/** A merger as recorded: the unit it made, when, by which resolution, from which predecessors. */
export interface UnitMerger {
  id: number;
  unitId: number;
  mergedOn: string;
  resolutionNumber: string | null;
  resolutionDate: string | null;
  predecessors: Array<{ id: number; code: string; name: string }>;
}

export async function insertMerger(trx: Db, m: Omit<UnitMerger, 'id'>, userId: number, at: string): Promise<number> {
  return insertId(
    trx('unit_mergers').insert({
      unit_id: m.unitId,
      merged_on: m.mergedOn,
      resolution_number: m.resolutionNumber,
      resolution_date: m.resolutionDate,
      predecessors_json: JSON.stringify(m.predecessors),
      created_by: userId,
      created_at: at,
      updated_at: at,
    }),
  );
}

/** The unit's last merger, or undefined when it was never the result of one. */
export async function lastMergerOf(db: Db, unitId: number): Promise<UnitMerger | undefined> {
  const r = (await db('unit_mergers').where('unit_id', unitId).orderBy('id', 'desc').first()) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    mergedOn: String(r.merged_on),
    resolutionNumber: (r.resolution_number as string | null) ?? null,
    resolutionDate: (r.resolution_date as string | null) ?? null,
    predecessors: JSON.parse(String(r.predecessors_json)) as UnitMerger['predecessors'],
  };
}

export interface UnitRow {
  code: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
  placeName: string | null;
  activeFrom: string | null;
  activeTo: string | null;
}

export async function insertUnit(trx: Db, data: UnitRow, parentPath: string | null, at: string): Promise<number> {
  const id = await insertId(
    trx('units').insert({
      code: data.code,
      name: data.name,
      kind: data.kind,
      parent_id: data.parentId,
      path: '/',
      depth: 0,
      place_name: data.placeName,
      active_from: data.activeFrom,
      active_to: data.activeTo,
      search_text: foldForSearch(`${data.name} ${data.code}`),
      created_at: at,
      updated_at: at,
    }),
  );
  // The path needs the new id, so it is written right after the insert, in the same transaction.
  const path = `${parentPath ?? '/'}${id}/`;
  await trx('units')
    .where('id', id)
    .update({ path, depth: path.split('/').length - 3 });
  return id;
}

export async function updateUnitRow(trx: Db, id: number, patch: Partial<UnitRow> & Record<string, unknown>, at: string): Promise<void> {
  const row: Record<string, unknown> = { updated_at: at };
  const map: Record<string, string> = {
    code: 'code',
    name: 'name',
    kind: 'kind',
    placeName: 'place_name',
    activeFrom: 'active_from',
    activeTo: 'active_to',
    mergedIntoId: 'merged_into_id',
    isoState: 'iso_state',
    isoStandard: 'iso_standard',
    isoStateReason: 'iso_state_reason',
    isoStateChangedAt: 'iso_state_changed_at',
  };
  for (const [k, v] of Object.entries(patch)) {
    const col = map[k];
    if (col && v !== undefined) row[col] = v;
  }
  if (patch.name !== undefined || patch.code !== undefined) {
    const cur = (await trx('units').where('id', id).first('name', 'code')) as { name: string; code: string };
    row.search_text = foldForSearch(`${patch.name ?? cur.name} ${patch.code ?? cur.code}`);
  }
  await trx('units').where('id', id).update(row);
}

/** Moves a subtree: one UPDATE rewrites the path prefix and depth of the unit and all below it. */
export async function moveSubtree(trx: Db, unit: Unit, newParentId: number | null, newParentPath: string, at: string): Promise<void> {
  const newPath = `${newParentPath}${unit.id}/`;
  const depthDelta = newPath.split('/').length - 3 - unit.depth;
  await trx('units').where('id', unit.id).update({ parent_id: newParentId, updated_at: at });
  await trx.raw(`update units set path = ? || substr(path, ?), depth = depth + ? where path like ? escape '\\'`, [
    newPath,
    unit.path.length + 1,
    depthDelta,
    `${likeEscape(unit.path)}%`,
  ]);
}

/** Whether the unit has a child still active after `day`. */
export async function hasActiveChildren(db: Db, id: number, day: string): Promise<boolean> {
  return !!(await db('units')
    .where('parent_id', id)
    .where((w) => w.whereNull('active_to').orWhere('active_to', '>', day))
    .first('id'));
}

/** Locks the unit's row until the transaction ends (PostgreSQL; SQLite writes one at a time anyway). */
export async function lockUnitRow(trx: Db, id: number): Promise<void> {
  await trx('units').where('id', id).forUpdate().first('id');
}

/** The ids of the units of a scope with the given codes, by code. */
export async function unitIdsByCode(db: Db, codes: string[], scope: Scope): Promise<Map<string, number>> {
  const q = db('units')
    .whereIn('code', codes.length ? codes : [''])
    .select('id', 'code');
  whereUnitInScope(q, 'path', scope);
  return new Map(((await q) as Array<{ id: number; code: string }>).map((u) => [String(u.code), Number(u.id)]));
}
