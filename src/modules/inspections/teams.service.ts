import type { Knex } from 'knex';
import { z } from 'zod';
import { inScope, isAdmin, scopeFor } from '../../auth/roles.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { optionalText, requiredText, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { idsInScope, personNotInScope, resolvePeople } from '../users/people-in-scope.ts';
import { covers } from './inspections.access.ts';
import { teamPaths } from './inspections.repository.ts';
import * as repo from './teams.repository.ts';
import type { Plan, PlanItem, Team, TeamMember, TeamUnit } from './teams.repository.ts';

export type { Plan, PlanItem, Team, TeamMember, TeamUnit } from './teams.repository.ts';

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
    return repo.scopeRoots(this.db, scopeFor(actor.user, 'inspection.manage'));
  }

  canManage(actor: Actor): boolean {
    const s = scopeFor(actor.user, 'inspection.manage');
    return s.all || s.paths.length > 0;
  }

  /** Teams the actor manages (coordinator scope) or belongs to. */
  async list(actor: Actor): Promise<Team[]> {
    const ids = await repo.teamIdsFor(this.db, actor.user.id, isAdmin(actor.user) ? undefined : scopeFor(actor.user, 'inspection.manage'));
    const teams = await Promise.all(ids.map((id) => this.load(this.db, id) as Promise<Team>));
    return teams.filter((t) => this.readableBy(actor, t));
  }

  private async load(db: Knex | Knex.Transaction, id: number): Promise<Team | undefined> {
    const team = await repo.findTeam(db, id);
    if (!team) return undefined;
    // A team formed before members were checked may hold someone of another province: whoever
    // reads the team (its coordinator, its members, the record's signatures) never sees that name.
    const shown = await idsInScope(
      db,
      { subtrees: [team.unitPath] },
      team.members.map((m) => m.userId),
    );
    return { ...team, members: team.members.filter((m) => shown.has(m.userId)) };
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
    const units = codes.length ? await repo.unitsByCodes(this.db, [...new Set([...codes, ...codes.map((c) => c.toUpperCase())])]) : [];
    const match = (c: string) => units.find((u) => (u.code === c || u.code === c.toUpperCase()) && String(u.path).startsWith(provincePath));
    const badCode = codes.find((c) => !match(c));
    if (badCode) fields.units = { key: 'v.insp_unit_unknown', params: { code: badCode } };
    if (!codes.length) fields.units = { key: 'v.required' };
    if (Object.keys(fields).length) throw new AppError('VALIDATION_FAILED', {}, fields);
    const leaderId = users.find((u) => u.username === data.leader)!.id;
    return { members: users.map((u) => ({ userId: u.id, isLeader: u.id === leaderId })), unitIds: [...new Set(codes.map((c) => Number(match(c)!.id)))] };
  }

  private async province(actor: Actor, unitId: number) {
    const row = await repo.unitPathOf(this.db, unitId);
    if (!row || !inScope(scopeFor(actor.user, 'inspection.manage'), row.path))
      throw new AppError('VALIDATION_FAILED', {}, { unitId: { key: 'v.insp_unit_unknown', params: { code: String(unitId) } } });
    return row;
  }

  async create(actor: Actor, input: unknown): Promise<Team> {
    const data = validate(teamInput, input);
    const province = await this.province(actor, data.unitId);
    const r = await this.resolve(data, province.path);
    const now = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      const newId = await repo.insertTeam(trx, { unitId: province.id, name: data.name, year: data.year, createdBy: actor.user.id }, r, now);
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
      await repo.updateTeam(trx, id, { name: data.name, year: data.year }, r, now);
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
    const plan = await repo.planOf(this.db, teamId, year);
    return plan ? { id: plan.id, teamId, year, items: plan.items } : { id: null, teamId, year, items: [] };
  }

  /** Adds one unit, month and theme to the team's plan of a year (the plan is made on first use). */
  async addPlanItem(actor: Actor, teamId: number, input: unknown): Promise<PlanItem> {
    const team = await this.manageable(actor, teamId);
    const data = validate(planItemInput, input);
    const unit = await repo.unitByCode(this.db, data.unitCode);
    if (!unit || !covers(await teamPaths(this.db, teamId), unit.path)) {
      throw new AppError('VALIDATION_FAILED', {}, { unitCode: { key: 'v.insp_unit_not_assigned' } });
    }
    const now = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      const itemId = await repo.insertPlanItem(
        trx,
        { id: teamId, unitId: team.unitId },
        { year: data.year, unitId: unit.id, month: data.month, theme: data.theme },
        now,
      );
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'create',
        entity: 'inspection_plan_item',
        entityId: itemId,
        unitId: unit.id,
        after: { teamId, year: data.year, month: data.month, theme: data.theme },
        requestId: actor.requestId,
      });
      return itemId;
    });
    this.changed();
    return { id, unitId: unit.id, unitCode: unit.code, unitName: unit.name, month: data.month, theme: data.theme, inspectionId: null };
  }

  /** Removes a plan item not yet inspected. */
  async removePlanItem(actor: Actor, itemId: number): Promise<{ teamId: number; year: number }> {
    const row = await repo.findPlanItem(this.db, itemId);
    if (!row) throw new AppError('NOT_FOUND');
    await this.manageable(actor, row.teamId);
    if (row.inspectionId !== null) throw new AppError('INSPECTION_WRONG_STATE');
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      await repo.deletePlanItem(trx, itemId);
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'delete',
        entity: 'inspection_plan_item',
        entityId: itemId,
        unitId: row.unitId,
        before: { month: row.month, theme: row.theme },
        requestId: actor.requestId,
      });
    });
    this.changed();
    return { teamId: row.teamId, year: row.year };
  }
}
