import type { Knex } from 'knex';
import { z } from 'zod';
import { inScope, isAdmin, scopeFor } from '../../auth/roles.ts';
import { insertId } from '../../db/helpers.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { optionalText, requiredText, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import { idsInScope, personNotInScope, resolvePeople } from '../users/people-in-scope.ts';
import { covers } from './inspections.access.ts';
import { teamPaths } from './inspections.repository.ts';

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

const list = (max: number) => optionalText(max);
const yearField = z.coerce
  .number({ error: 'v.insp_year' })
  .int({ error: 'v.insp_year' })
  .min(2000, { error: 'v.insp_year' })
  .max(2100, { error: 'v.insp_year' });

const teamInput = z.object({
  unitId: z.coerce
    .number({ error: 'v.required' })
    .int({ error: 'v.required' })
    .positive({ error: 'v.required' })
    .max(2 ** 31 - 1, { error: 'v.id' }),
  name: requiredText(200),
  year: yearField,
  // Pages: user names and unit codes separated by commas, spaces or new lines.
  members: list(4000),
  leader: requiredText(80),
  units: list(8000),
});

const planItemInput = z.object({
  year: yearField,
  unitCode: requiredText(60),
  month: z.coerce.number({ error: 'v.insp_month' }).int({ error: 'v.insp_month' }).min(1, { error: 'v.insp_month' }).max(12, { error: 'v.insp_month' }),
  theme: requiredText(500),
});

const split = (s: string | undefined) => [
  ...new Set(
    (s ?? '')
      .split(/[\s,;]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

/** Inspection teams of a province and their yearly plans. Coordinators manage them. */
export class TeamsService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly changed: () => void = () => {},
  ) {}

  /** The units where the actor may form teams: the roots of their coordinator scope. */
  async provinces(actor: Actor): Promise<TeamUnit[]> {
    const scope = scopeFor(actor.user, 'inspection.manage');
    const q = this.db('units').select('id', 'code', 'name', 'path').orderBy('path').limit(200);
    if (scope.all) q.whereNull('parent_id');
    else if (!scope.paths.length) return [];
    else q.whereIn('path', scope.paths);
    return ((await q) as Array<Record<string, unknown>>).map((r) => ({ id: Number(r.id), code: String(r.code), name: String(r.name), path: String(r.path) }));
  }

  canManage(actor: Actor): boolean {
    const s = scopeFor(actor.user, 'inspection.manage');
    return s.all || s.paths.length > 0;
  }

  /** Teams the actor manages (coordinator scope) or belongs to. */
  async list(actor: Actor): Promise<Team[]> {
    const q = this.db('inspection_teams as t')
      .join('units as u', 'u.id', 't.unit_id')
      .whereNull('t.deleted_at')
      .orderBy([{ column: 't.year', order: 'desc' }, { column: 't.name' }])
      .select('t.id');
    if (!isAdmin(actor.user)) {
      const scope = scopeFor(actor.user, 'inspection.manage');
      q.where((w) => {
        w.whereIn('t.id', this.db('inspection_team_members').where('user_id', actor.user.id).select('team_id'));
        if (!scope.all && scope.paths.length) w.orWhere((x) => whereUnitInScope(x, 'u.path', scope));
      });
    }
    const ids = ((await q) as Array<{ id: number }>).map((r) => Number(r.id));
    const teams = await Promise.all(ids.map((id) => this.load(this.db, id) as Promise<Team>));
    return teams.filter((t) => this.readableBy(actor, t));
  }

  private async load(db: Knex | Knex.Transaction, id: number): Promise<Team | undefined> {
    const t = (await db('inspection_teams as t')
      .join('units as u', 'u.id', 't.unit_id')
      .where('t.id', id)
      .whereNull('t.deleted_at')
      .first('t.id', 't.unit_id', 't.name', 't.year', 'u.name as unit_name', 'u.path as unit_path')) as Record<string, unknown> | undefined;
    if (!t) return undefined;
    const [members, units] = await Promise.all([
      db('inspection_team_members as m')
        .join('users as us', 'us.id', 'm.user_id')
        .where('m.team_id', id)
        .orderBy([{ column: 'm.is_leader', order: 'desc' }, { column: 'us.full_name' }])
        .select('m.user_id', 'us.username', 'us.full_name', 'm.is_leader') as Promise<Array<Record<string, unknown>>>,
      db('inspection_team_units as tu')
        .join('units as u', 'u.id', 'tu.unit_id')
        .where('tu.team_id', id)
        .orderBy('u.path')
        .select('u.id', 'u.code', 'u.name', 'u.path') as Promise<Array<Record<string, unknown>>>,
    ]);
    // A team formed before members were checked may hold someone of another province: whoever
    // reads the team (its coordinator, its members, the record's signatures) never sees that name.
    const shown = await idsInScope(
      db,
      { subtrees: [String(t.unit_path)] },
      members.map((m) => Number(m.user_id)),
    );
    return {
      id: Number(t.id),
      unitId: Number(t.unit_id),
      unitName: String(t.unit_name),
      unitPath: String(t.unit_path),
      name: String(t.name),
      year: Number(t.year),
      members: members
        .filter((m) => shown.has(Number(m.user_id)))
        .map((m) => ({ userId: Number(m.user_id), username: String(m.username), fullName: String(m.full_name), isLeader: !!m.is_leader })),
      units: units.map((u) => ({ id: Number(u.id), code: String(u.code), name: String(u.name), path: String(u.path) })),
    };
  }

  /** The members of a team, leader first (for the record's signatures; no access check). */
  async membersOf(teamId: number): Promise<TeamMember[]> {
    return (await this.load(this.db, teamId))?.members ?? [];
  }

  /** A team the actor manages or belongs to; 404 otherwise. */
  async get(actor: Actor, id: number): Promise<{ team: Team; canManage: boolean }> {
    const team = await this.load(this.db, id);
    if (!team) throw new AppError('NOT_FOUND');
    if (!this.readableBy(actor, team)) throw new AppError('NOT_FOUND');
    return { team, canManage: inScope(scopeFor(actor.user, 'inspection.manage'), team.unitPath) };
  }

  /** Its coordinators read a team, and so do its members, but only those of the team's province. */
  private readableBy(actor: Actor, team: Team): boolean {
    return inScope(scopeFor(actor.user, 'inspection.manage'), team.unitPath) || team.members.some((m) => m.userId === actor.user.id);
  }

  private async manageable(actor: Actor, id: number): Promise<Team> {
    const { team, canManage } = await this.get(actor, id);
    if (!canManage) throw new AppError('NOT_FOUND');
    return team;
  }

  /** Resolves the typed members, leader and units; every unknown name is reported on its field. */
  private async resolve(data: z.infer<typeof teamInput>, provincePath: string) {
    const fields: FieldErrors = {};
    const names = split(data.members);
    if (!names.includes(data.leader)) names.unshift(data.leader);
    // Leader and members hold a role within the team's province, which lies in the coordinator's scope.
    const { found: users, missingNames } = await resolvePeople(this.db, { subtrees: [provincePath] }, { usernames: names });
    if (missingNames.includes(data.leader)) fields.leader = personNotInScope;
    if (missingNames.some((n) => n !== data.leader)) fields.members = personNotInScope;
    const codes = split(data.units);
    // Unit codes are upper case; people type them in any case.
    const units = codes.length
      ? ((await this.db('units')
          .whereIn('code', [...new Set([...codes, ...codes.map((c) => c.toUpperCase())])])
          .select('id', 'code', 'path')) as Array<{ id: number; code: string; path: string }>)
      : [];
    const match = (c: string) => units.find((u) => (u.code === c || u.code === c.toUpperCase()) && String(u.path).startsWith(provincePath));
    const badCode = codes.find((c) => !match(c));
    if (badCode) fields.units = { key: 'v.insp_unit_unknown', params: { code: badCode } };
    if (!codes.length) fields.units = { key: 'v.required' };
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);
    const leaderId = users.find((u) => u.username === data.leader)!.id;
    return { members: users.map((u) => ({ userId: u.id, isLeader: u.id === leaderId })), unitIds: [...new Set(codes.map((c) => Number(match(c)!.id)))] };
  }

  private async province(actor: Actor, unitId: number) {
    const row = (await this.db('units').where('id', unitId).first('id', 'path')) as { id: number; path: string } | undefined;
    if (!row || !inScope(scopeFor(actor.user, 'inspection.manage'), String(row.path)))
      throw new AppError('VALIDATION_FAILED', {}, { unitId: { key: 'v.insp_unit_unknown', params: { code: String(unitId) } } });
    return { id: Number(row.id), path: String(row.path) };
  }

  async create(actor: Actor, input: unknown): Promise<Team> {
    const data = validate(teamInput, input);
    const province = await this.province(actor, data.unitId);
    const r = await this.resolve(data, province.path);
    const now = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      const newId = await insertId(
        trx('inspection_teams').insert({ unit_id: province.id, name: data.name, year: data.year, created_by: actor.user.id, created_at: now, updated_at: now }),
      );
      await trx('inspection_team_members').insert(r.members.map((m) => ({ team_id: newId, user_id: m.userId, is_leader: m.isLeader })));
      await trx('inspection_team_units').insert(r.unitIds.map((unit_id) => ({ team_id: newId, unit_id })));
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'create',
        entity: 'inspection_team',
        entityId: newId,
        unitId: province.id,
        after: { name: data.name, year: data.year, ...r },
        requestId: actor.requestId,
      });
      return newId;
    });
    return (await this.load(this.db, id))!;
  }

  async update(actor: Actor, id: number, input: unknown): Promise<Team> {
    const team = await this.manageable(actor, id);
    const data = validate(teamInput, { ...(input as object), unitId: team.unitId });
    const r = await this.resolve(data, team.unitPath);
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      await trx('inspection_teams').where('id', id).update({ name: data.name, year: data.year, updated_at: now });
      await trx('inspection_team_members').where('team_id', id).delete();
      await trx('inspection_team_members').insert(r.members.map((m) => ({ team_id: id, user_id: m.userId, is_leader: m.isLeader })));
      await trx('inspection_team_units').where('team_id', id).delete();
      await trx('inspection_team_units').insert(r.unitIds.map((unit_id) => ({ team_id: id, unit_id })));
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'update',
        entity: 'inspection_team',
        entityId: id,
        unitId: team.unitId,
        before: { name: team.name, year: team.year, members: team.members, units: team.units.map((u) => u.id) },
        after: { name: data.name, year: data.year, ...r },
        requestId: actor.requestId,
      });
    });
    return (await this.load(this.db, id))!;
  }

  async plan(actor: Actor, teamId: number, year: number): Promise<Plan> {
    await this.get(actor, teamId);
    const plan = (await this.db('inspection_plans').where({ team_id: teamId, year }).first('id')) as { id: number } | undefined;
    if (!plan) return { id: null, teamId, year, items: [] };
    const rows = (await this.db('inspection_plan_items as p')
      .join('units as u', 'u.id', 'p.unit_id')
      .where('p.plan_id', plan.id)
      .orderBy([{ column: 'p.month' }, { column: 'u.path' }])
      .select('p.id', 'p.unit_id', 'u.code', 'u.name', 'p.month', 'p.theme', 'p.inspection_id')) as Array<Record<string, unknown>>;
    return {
      id: Number(plan.id),
      teamId,
      year,
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

  /** Adds one unit, month and theme to the team's plan of a year (the plan is made on first use). */
  async addPlanItem(actor: Actor, teamId: number, input: unknown): Promise<PlanItem> {
    const team = await this.manageable(actor, teamId);
    const data = validate(planItemInput, input);
    const unit = (await this.db('units').where('code', data.unitCode).first('id', 'code', 'name', 'path')) as Record<string, unknown> | undefined;
    if (!unit || !covers(await teamPaths(this.db, teamId), String(unit.path))) {
      throw new AppError('VALIDATION_FAILED', {}, { unitCode: { key: 'v.insp_unit_not_assigned' } });
    }
    const now = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      const found = (await trx('inspection_plans').where({ team_id: teamId, year: data.year }).first('id')) as { id: number } | undefined;
      const planId = found
        ? Number(found.id)
        : await insertId(trx('inspection_plans').insert({ team_id: teamId, unit_id: team.unitId, year: data.year, created_at: now, updated_at: now }));
      const itemId = await insertId(
        trx('inspection_plan_items').insert({
          plan_id: planId,
          unit_id: Number(unit.id),
          month: data.month,
          theme: data.theme,
          created_at: now,
          updated_at: now,
        }),
      );
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'create',
        entity: 'inspection_plan_item',
        entityId: itemId,
        unitId: Number(unit.id),
        after: { teamId, year: data.year, month: data.month, theme: data.theme },
        requestId: actor.requestId,
      });
      return itemId;
    });
    this.changed();
    return { id, unitId: Number(unit.id), unitCode: String(unit.code), unitName: String(unit.name), month: data.month, theme: data.theme, inspectionId: null };
  }

  /** Removes a plan item not yet inspected. */
  async removePlanItem(actor: Actor, itemId: number): Promise<{ teamId: number; year: number }> {
    const row = (await this.db('inspection_plan_items as p')
      .join('inspection_plans as pl', 'pl.id', 'p.plan_id')
      .where('p.id', itemId)
      .first('p.id', 'p.unit_id', 'p.inspection_id', 'pl.team_id', 'pl.year', 'p.theme', 'p.month')) as Record<string, unknown> | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    await this.manageable(actor, Number(row.team_id));
    if (row.inspection_id !== null) throw new AppError('INSPECTION_WRONG_STATE');
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      await trx('inspection_plan_items').where('id', itemId).delete();
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'delete',
        entity: 'inspection_plan_item',
        entityId: itemId,
        unitId: Number(row.unit_id),
        before: { month: row.month, theme: row.theme },
        requestId: actor.requestId,
      });
    });
    this.changed();
    return { teamId: Number(row.team_id), year: Number(row.year) };
  }
}
