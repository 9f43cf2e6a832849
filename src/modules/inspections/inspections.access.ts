import type { Knex } from 'knex';
import { inScope, isAdmin, scopeFor, type Scope, type SessionUser } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { FormDefinition } from '../../plugins/contract.ts';
import type { Db } from '../../kernel/db.ts';

export type InspectionKind = 'planned' | 'unannounced';
export const inspectionStatuses = ['on_site', 'record_closed', 'concluded'] as const;
export type InspectionStatus = (typeof inspectionStatuses)[number];

export interface Inspection {
  id: number;
  unitId: number;
  unitPath: string;
  unitName: string;
  unitCode: string;
  teamId: number;
  teamName: string;
  kind: InspectionKind;
  planItemId: number | null;
  formId: string;
  formVersion: number;
  formTitle: { vi: string; en: string };
  status: InspectionStatus;
  inspectionDate: string;
  arrivedAt: string | null;
  closedAt: string | null;
  teamLeaderName: string | null;
  unitRepresentativeName: string | null;
  earlierInspectionId: number | null;
  createdAt: string;
}

/**
 * What one user may do with one inspection. The privacy rule: the personal violations
 * (those against a named official) are seen by the team that recorded them, the coordinators of
 * the province and the leader of the official's unit; the unit's ISO officer sees the unit's
 * findings and the record without the names (docs/architecture.md, Inspections). The system
 * administrator holds every capability (roles.ts), this one included.
 */
export interface InspectionAccess {
  /** A member of the inspection's team (and an inspector on the unit), or the administrator. */
  team: boolean;
  /** A coordinator over the unit. */
  coordinator: boolean;
  /** The inspected unit's officer or leader. */
  unit: boolean;
  read: boolean;
  personal: boolean;
  /** Enter attendance and answers, close the record: the team, while on site. */
  record: boolean;
  /** Write the conclusion, accept or return answers: the team or a coordinator. */
  conclude: boolean;
  /** Answer a required correction: the unit. */
  answer: boolean;
}

export const inspectionColumns = [
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

export function toInspection(r: Record<string, unknown>): Inspection & { form: FormDefinition } {
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

export function inspectionQuery(db: Db): Knex.QueryBuilder {
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

export function covers(paths: string[], unitPath: string): boolean {
  return paths.some((p) => unitPath.startsWith(p));
}

export async function accessTo(db: Db, user: SessionUser, i: Pick<Inspection, 'teamId' | 'unitPath' | 'status'>): Promise<InspectionAccess> {
  const admin = isAdmin(user);
  const team = admin || (inScope(scopeFor(user, 'inspection.inspect'), i.unitPath) && (await isTeamMember(db, i.teamId, user.id)));
  const coordinator = inScope(scopeFor(user, 'inspection.manage'), i.unitPath);
  const unit = inScope(scopeFor(user, 'inspection.unit'), i.unitPath);
  const leader = inScope(scopeFor(user, 'inspection.personal'), i.unitPath);
  return {
    team,
    coordinator,
    unit,
    read: team || coordinator || unit,
    personal: team || coordinator || leader,
    record: team && i.status === 'on_site',
    conclude: team || coordinator,
    answer: unit,
  };
}

/** The inspection and the actor's access; 404 when the actor may not read it. */
export async function readableInspection(db: Db, user: SessionUser, id: number) {
  const inspection = await loadInspection(db, id);
  if (!inspection) throw new AppError('NOT_FOUND');
  const access = await accessTo(db, user, inspection);
  if (!access.read) throw new AppError('NOT_FOUND');
  return { inspection, access };
}

/**
 * Restricts a query over `inspections as i` joined to `units as u` to those a user may read:
 * their teams' inspections, and the units in their coordinator or unit scope.
 */
export function whereReadable(q: Knex.QueryBuilder, user: SessionUser, teamIds: number[], unitScopes: Scope[]): Knex.QueryBuilder {
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
