import type { Scope } from '../../auth/roles.ts';
import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

/** The queries of inspection teams, the units assigned to them and their yearly plans. */

export interface TeamMember {
  userId: number;
  username: string;
  fullName: string;
  isLeader: boolean;
}
export interface TeamUnit {
  id: number;
  code: string;
  name: string;
  path: string;
}
export interface Team {
  id: number;
  unitId: number;
  unitName: string;
  unitPath: string;
  name: string;
  year: number;
  members: TeamMember[];
  units: TeamUnit[];
}
export interface PlanItem {
  id: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  month: number;
  theme: string;
  inspectionId: number | null;
}
export interface Plan {
  id: number | null;
  teamId: number;
  year: number;
  items: PlanItem[];
}

type Row = Record<string, unknown>;
const toTeamUnit = (r: Row): TeamUnit => ({ id: Number(r.id), code: String(r.code), name: String(r.name), path: String(r.path) });

/** The units where teams are formed: the roots of a scope (every province for the whole nation). */
export async function scopeRoots(db: Db, scope: Scope): Promise<TeamUnit[]> {
  const q = db('units').select('id', 'code', 'name', 'path').orderBy('path').limit(200);
  if (scope.all) q.whereNull('parent_id');
  else if (!scope.paths.length) return [];
  else q.whereIn('path', scope.paths);
  return ((await q) as Row[]).map(toTeamUnit);
}

/**
 * The ids of the teams a user belongs to or whose province lies in `scope`, the latest year
 * first; every team when `scope` is undefined (the administrator).
 */
export async function teamIdsFor(db: Db, userId: number, scope: Scope | undefined): Promise<number[]> {
  const q = db('inspection_teams as t')
    .join('units as u', 'u.id', 't.unit_id')
    .whereNull('t.deleted_at')
    .orderBy([{ column: 't.year', order: 'desc' }, { column: 't.name' }])
    .select('t.id');
  if (scope) {
    q.where((w) => {
      w.whereIn('t.id', db('inspection_team_members').where('user_id', userId).select('team_id'));
      if (!scope.all && scope.paths.length) w.orWhere((x) => whereUnitInScope(x, 'u.path', scope));
    });
  }
  return ((await q) as Array<{ id: number }>).map((r) => Number(r.id));
}

/** A team with all its members (leader first) and its units; the caller decides whose names show. */
export async function findTeam(db: Db, id: number): Promise<Team | undefined> {
  const t = (await db('inspection_teams as t')
    .join('units as u', 'u.id', 't.unit_id')
    .where('t.id', id)
    .whereNull('t.deleted_at')
    .first('t.id', 't.unit_id', 't.name', 't.year', 'u.name as unit_name', 'u.path as unit_path')) as Row | undefined;
  if (!t) return undefined;
  const [members, units] = await Promise.all([
    db('inspection_team_members as m')
      .join('users as us', 'us.id', 'm.user_id')
      .where('m.team_id', id)
      .orderBy([{ column: 'm.is_leader', order: 'desc' }, { column: 'us.full_name' }])
      .select('m.user_id', 'us.username', 'us.full_name', 'm.is_leader') as Promise<Row[]>,
    db('inspection_team_units as tu')
      .join('units as u', 'u.id', 'tu.unit_id')
      .where('tu.team_id', id)
      .orderBy('u.path')
      .select('u.id', 'u.code', 'u.name', 'u.path') as Promise<Row[]>,
  ]);
  return {
    id: Number(t.id),
    unitId: Number(t.unit_id),
    unitName: String(t.unit_name),
    unitPath: String(t.unit_path),
    name: String(t.name),
    year: Number(t.year),
    members: members.map((m) => ({ userId: Number(m.user_id), username: String(m.username), fullName: String(m.full_name), isLeader: !!m.is_leader })),
    units: units.map(toTeamUnit),
  };
}

/** Units by code, whatever the scope (the caller keeps those of the team's province). */
export async function unitsByCodes(db: Db, codes: string[]): Promise<Array<{ id: number; code: string; path: string }>> {
  const rows = (await db('units').whereIn('code', codes).select('id', 'code', 'path')) as Row[];
  return rows.map((u) => ({ id: Number(u.id), code: String(u.code), path: String(u.path) }));
}

export async function unitByCode(db: Db, code: string): Promise<TeamUnit | undefined> {
  const row = (await db('units').where('code', code).first('id', 'code', 'name', 'path')) as Row | undefined;
  return row ? toTeamUnit(row) : undefined;
}

export async function unitPathOf(db: Db, id: number): Promise<{ id: number; path: string } | undefined> {
  const row = (await db('units').where('id', id).first('id', 'path')) as Row | undefined;
  return row ? { id: Number(row.id), path: String(row.path) } : undefined;
}

export interface TeamMembership {
  members: Array<{ userId: number; isLeader: boolean }>;
  unitIds: number[];
}

async function insertMembership(trx: Db, teamId: number, m: TeamMembership): Promise<void> {
  await trx('inspection_team_members').insert(m.members.map((x) => ({ team_id: teamId, user_id: x.userId, is_leader: x.isLeader })));
  await trx('inspection_team_units').insert(m.unitIds.map((unit_id) => ({ team_id: teamId, unit_id })));
}

export async function insertTeam(
  trx: Db,
  t: { unitId: number; name: string; year: number; createdBy: number },
  m: TeamMembership,
  at: string,
): Promise<number> {
  const id = await insertId(
    trx('inspection_teams').insert({ unit_id: t.unitId, name: t.name, year: t.year, created_by: t.createdBy, created_at: at, updated_at: at }),
  );
  await insertMembership(trx, id, m);
  return id;
}

/** Renames a team and replaces its members and units. */
export async function updateTeam(trx: Db, id: number, t: { name: string; year: number }, m: TeamMembership, at: string): Promise<void> {
  await trx('inspection_teams').where('id', id).update({ name: t.name, year: t.year, updated_at: at });
  await trx('inspection_team_members').where('team_id', id).delete();
  await trx('inspection_team_units').where('team_id', id).delete();
  await insertMembership(trx, id, m);
}

/** A team's plan of a year with its items by month, or undefined when none was made. */
export async function planOf(db: Db, teamId: number, year: number): Promise<{ id: number; items: PlanItem[] } | undefined> {
  const plan = (await db('inspection_plans').where({ team_id: teamId, year }).first('id')) as { id: number } | undefined;
  if (!plan) return undefined;
  const rows = (await db('inspection_plan_items as p')
    .join('units as u', 'u.id', 'p.unit_id')
    .where('p.plan_id', plan.id)
    .orderBy([{ column: 'p.month' }, { column: 'u.path' }])
    .select('p.id', 'p.unit_id', 'u.code', 'u.name', 'p.month', 'p.theme', 'p.inspection_id')) as Row[];
  return {
    id: Number(plan.id),
    items: rows.map((r) => ({
      id: Number(r.id),
      unitId: Number(r.unit_id),
      unitCode: String(r.code),
      unitName: String(r.name),
      month: Number(r.month),
      theme: String(r.theme),
      inspectionId: r.inspection_id === null ? null : Number(r.inspection_id),
    })),
  };
}

/** Adds an item to the team's plan of the year, making the plan on first use; the item's id. */
export async function insertPlanItem(
  trx: Db,
  team: { id: number; unitId: number },
  item: { year: number; unitId: number; month: number; theme: string },
  at: string,
): Promise<number> {
  const found = (await trx('inspection_plans').where({ team_id: team.id, year: item.year }).first('id')) as { id: number } | undefined;
  const planId = found
    ? Number(found.id)
    : await insertId(trx('inspection_plans').insert({ team_id: team.id, unit_id: team.unitId, year: item.year, created_at: at, updated_at: at }));
  return insertId(
    trx('inspection_plan_items').insert({ plan_id: planId, unit_id: item.unitId, month: item.month, theme: item.theme, created_at: at, updated_at: at }),
  );
}

export async function findPlanItem(
  db: Db,
  id: number,
): Promise<{ id: number; unitId: number; inspectionId: number | null; teamId: number; year: number; theme: string; month: number } | undefined> {
  const row = (await db('inspection_plan_items as p')
    .join('inspection_plans as pl', 'pl.id', 'p.plan_id')
    .where('p.id', id)
    .first('p.id', 'p.unit_id', 'p.inspection_id', 'pl.team_id', 'pl.year', 'p.theme', 'p.month')) as Row | undefined;
  if (!row) return undefined;
  return {
    id: Number(row.id),
    unitId: Number(row.unit_id),
    inspectionId: row.inspection_id === null ? null : Number(row.inspection_id),
    teamId: Number(row.team_id),
    year: Number(row.year),
    theme: String(row.theme),
    month: Number(row.month),
  };
}

export async function deletePlanItem(trx: Db, id: number): Promise<void> {
  await trx('inspection_plan_items').where('id', id).delete();
}
