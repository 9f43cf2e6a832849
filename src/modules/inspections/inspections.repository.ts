import type { Knex } from 'knex';
import { isAdmin, scopeFor, type Scope, type SessionUser } from '../../auth/roles.ts';
import { insertId, toCount } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import type { FormDefinition } from '../../plugins/contract.ts';
import type { Inspection, InspectionKind, InspectionStatus } from './inspections.types.ts';

/** The queries of inspections, their teams' membership and the plan items they start from. */

const inspectionColumns = [
  'i.id',
  'i.unit_id',
  'i.team_id',
  'i.kind',
  'i.plan_item_id',
  'i.form_id',
  'i.form_version',
  'i.form_json',
  'i.status',
  'i.inspection_date',
  'i.arrived_at',
  'i.closed_at',
  'i.team_leader_name',
  'i.unit_representative_name',
  'i.earlier_inspection_id',
  'i.created_at',
  'u.path as unit_path',
  'u.name as unit_name',
  'u.code as unit_code',
  't.name as team_name',
];

function toInspection(r: Record<string, unknown>): Inspection & { form: FormDefinition } {
  const form = JSON.parse(String(r.form_json)) as FormDefinition;
  const opt = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitPath: String(r.unit_path),
    unitName: String(r.unit_name),
    unitCode: String(r.unit_code),
    teamId: Number(r.team_id),
    teamName: String(r.team_name),
    kind: r.kind as InspectionKind,
    planItemId: r.plan_item_id === null || r.plan_item_id === undefined ? null : Number(r.plan_item_id),
    formId: String(r.form_id),
    formVersion: Number(r.form_version),
    formTitle: form.title,
    status: r.status as InspectionStatus,
    inspectionDate: String(r.inspection_date),
    arrivedAt: opt(r.arrived_at),
    closedAt: opt(r.closed_at),
    teamLeaderName: opt(r.team_leader_name),
    unitRepresentativeName: opt(r.unit_representative_name),
    earlierInspectionId: r.earlier_inspection_id === null || r.earlier_inspection_id === undefined ? null : Number(r.earlier_inspection_id),
    createdAt: String(r.created_at),
    form,
  };
}

function inspectionQuery(db: Db): Knex.QueryBuilder {
  return db('inspections as i').join('units as u', 'u.id', 'i.unit_id').join('inspection_teams as t', 't.id', 'i.team_id').whereNull('i.deleted_at');
}

export async function loadInspection(db: Db, id: number): Promise<(Inspection & { form: FormDefinition }) | undefined> {
  const row = (await inspectionQuery(db).where('i.id', id).first(inspectionColumns)) as Record<string, unknown> | undefined;
  return row ? toInspection(row) : undefined;
}

export async function isTeamMember(db: Db, teamId: number, userId: number): Promise<boolean> {
  return !!(await db('inspection_team_members').where({ team_id: teamId, user_id: userId }).first('id'));
}

/** The ids of the teams a user belongs to (any year, not deleted). */
export async function teamsOf(db: Db, userId: number): Promise<number[]> {
  const rows = (await db('inspection_team_members as m')
    .join('inspection_teams as t', 't.id', 'm.team_id')
    .where('m.user_id', userId)
    .whereNull('t.deleted_at')
    .select('t.id')) as Array<{ id: number }>;
  return rows.map((r) => Number(r.id));
}

/** The subtree roots a team is assigned to, as paths. */
export async function teamPaths(db: Db, teamId: number): Promise<string[]> {
  const rows = (await db('inspection_team_units as tu').join('units as u', 'u.id', 'tu.unit_id').where('tu.team_id', teamId).select('u.path')) as Array<{
    path: string;
  }>;
  return rows.map((r) => String(r.path));
}

/**
 * Restricts a query over `inspections as i` joined to `units as u` to those a user may read:
 * their teams' inspections, and the units in their coordinator or unit scope.
 */
function whereReadable(q: Knex.QueryBuilder, user: SessionUser, teamIds: number[], unitScopes: Scope[]): Knex.QueryBuilder {
  if (isAdmin(user)) return q;
  const paths = unitScopes.flatMap((s) => (s.all ? [] : s.paths));
  const inspectPaths = (() => {
    const s = scopeFor(user, 'inspection.inspect');
    return s.all ? [] : s.paths;
  })();
  return q.where((w) => {
    w.whereRaw('1 = 0');
    if (teamIds.length && inspectPaths.length) {
      w.orWhere((x) => {
        x.whereIn('i.team_id', teamIds).where((y) => {
          for (const p of inspectPaths) y.orWhere('u.path', 'like', `${p}%`);
        });
      });
    }
    for (const p of paths) w.orWhere('u.path', 'like', `${p}%`);
  });
}

/** A page of the inspections a user may read (their teams' ones, and the units of their scopes), newest first. */
export async function readableInspectionsPage(
  db: Db,
  user: SessionUser,
  teamIds: number[],
  unitScopes: Scope[],
  f: { status?: string; page: number; pageSize: number },
): Promise<Page<Inspection>> {
  const q = inspectionQuery(db);
  whereReadable(q, user, teamIds, unitScopes);
  if (f.status) q.where('i.status', f.status);
  const [rows, [{ n } = { n: 0 }]] = await Promise.all([
    q
      .clone()
      .select(inspectionColumns)
      .orderBy([
        { column: 'i.inspection_date', order: 'desc' },
        { column: 'i.id', order: 'desc' },
      ])
      .limit(f.pageSize)
      .offset(offsetOf(f.page, f.pageSize)) as Promise<Array<Record<string, unknown>>>,
    q.clone().count({ n: '*' }) as Promise<Array<{ n: unknown }>>,
  ]);
  const items = rows.map((r) => {
    const { form: _f, ...i } = toInspection(r);
    return i;
  });
  return pageOf(items, toCount(n), f.page, f.pageSize);
}

/** Teams by id, the latest year first, then by name. */
export async function teamsByIds(db: Db, ids: number[]): Promise<Array<{ id: number; name: string; year: number }>> {
  const rows = (await db('inspection_teams')
    .whereIn('id', ids)
    .orderBy([{ column: 'year', order: 'desc' }, { column: 'name' }])
    .select('id', 'name', 'year')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ id: Number(r.id), name: String(r.name), year: Number(r.year) }));
}

/** A plan item an inspection starts from: its unit, its team, and the inspection made of it if any. */
export async function planItemToStart(
  db: Db,
  id: number,
): Promise<{ id: number; unitId: number; unitPath: string; teamId: number; inspectionId: number | null } | undefined> {
  const row = (await db('inspection_plan_items as p')
    .join('inspection_plans as pl', 'pl.id', 'p.plan_id')
    .join('units as u', 'u.id', 'p.unit_id')
    .where('p.id', id)
    .first('p.id', 'p.unit_id', 'p.inspection_id', 'pl.team_id', 'u.path')) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return {
    id: Number(row.id),
    unitId: Number(row.unit_id),
    unitPath: String(row.path),
    teamId: Number(row.team_id),
    inspectionId: row.inspection_id === null ? null : Number(row.inspection_id),
  };
}

/** A unit's id and path by id or by code, whatever the scope (the caller checks the team's assignment). */
export async function unitToInspect(db: Db, by: { id: number } | { code: string }): Promise<{ id: number; path: string } | undefined> {
  const row = (await db('units')
    .where('id' in by ? { id: by.id } : { code: by.code })
    .first('id', 'path')) as Record<string, unknown> | undefined;
  return row ? { id: Number(row.id), path: String(row.path) } : undefined;
}

export interface NewInspection {
  unitId: number;
  teamId: number;
  kind: InspectionKind;
  form: FormDefinition;
  planItemId: number | null;
  earlierId: number | null;
  createdBy: number;
  /** The unit's staff list as it stands: the attendance, each one unmarked. */
  staff: Array<{ id: number; fullName: string; position: string; badgeNo: string | null }>;
}

/** An inspection on site from today (Viet Nam's day `day`), with its attendance list; its id. */
export async function insertInspection(trx: Db, d: NewInspection, day: string, at: string): Promise<number> {
  const id = await insertId(
    trx('inspections').insert({
      unit_id: d.unitId,
      team_id: d.teamId,
      kind: d.kind,
      plan_item_id: d.planItemId,
      form_id: d.form.id,
      form_version: d.form.version,
      form_json: JSON.stringify(d.form),
      status: 'on_site',
      inspection_date: day,
      year: Number(day.slice(0, 4)),
      month: Number(day.slice(5, 7)),
      earlier_inspection_id: d.earlierId,
      created_by: d.createdBy,
      created_at: at,
      updated_at: at,
    }),
  );
  if (d.staff.length) {
    await trx('inspection_attendance').insert(
      d.staff.map((o, n) => ({
        inspection_id: id,
        official_id: o.id,
        full_name: o.fullName,
        position: o.position,
        badge_no: o.badgeNo,
        seq: n + 1,
        created_at: at,
        updated_at: at,
      })),
    );
  }
  return id;
}

/** Links a plan item to its inspection; false when another inspection took it meanwhile. */
export async function takePlanItem(trx: Db, planItemId: number, inspectionId: number, at: string): Promise<boolean> {
  const n = await trx('inspection_plan_items').where('id', planItemId).whereNull('inspection_id').update({ inspection_id: inspectionId, updated_at: at });
  return n > 0;
}

/**
 * Changes an inspection still on site (`changes` may be empty: the row is then only taken, so
 * that closing the record waits for the caller's transaction); false when it is no longer on site.
 */
export async function updateOnSite(trx: Db, id: number, changes: { arrivedAt?: string }, at: string): Promise<boolean> {
  const row: Record<string, unknown> = { updated_at: at };
  if (changes.arrivedAt !== undefined) row.arrived_at = changes.arrivedAt;
  return (await trx('inspections').where({ id, status: 'on_site' }).update(row)) > 0;
}
