import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { unitFor } from './catalog.scope.ts';
import { objectiveInput, policyInput } from './catalog.schemas.ts';
import type { QualityObjective } from './catalog.types.ts';
import * as repo from './quality.repository.ts';

/** A unit's quality policy and its yearly quality objectives (target against actual at year end). */
export class QualityService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  async overview(actor: Actor, unitId: number) {
    const unit = await unitFor(this.db, actor, unitId, 'catalog.read');
    const [policy, objectives] = await Promise.all([repo.policyOf(this.db, unit.id), repo.objectivesOf(this.db, unit.id)]);
    const years = [...new Set(objectives.map((o) => o.year))];
    return { unit, policy, years, byYear: years.map((y) => ({ year: y, items: objectives.filter((o) => o.year === y) })) };
  }

  async savePolicy(actor: Actor, unitId: number, input: unknown): Promise<void> {
    const d = validate(policyInput, input);
    await this.db.transaction(async (trx) => {
      const unit = await unitFor(trx, actor, unitId, 'catalog.write');
      const before = await repo.policyOf(trx, unit.id);
      const at = iso(this.clock.now());
      await repo.savePolicy(trx, unit.id, d.text, d.issuedOn, actor.user.id, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: before ? 'update' : 'create',
        entity: 'quality_policy',
        entityId: unit.id,
        unitId: unit.id,
        before,
        after: { text: d.text, issuedOn: d.issuedOn },
        requestId: actor.requestId,
      });
    });
  }

  async addObjective(actor: Actor, unitId: number, input: unknown): Promise<QualityObjective> {
    const d = validate(objectiveInput, input);
    return this.db.transaction(async (trx) => {
      const unit = await unitFor(trx, actor, unitId, 'catalog.write');
      const at = iso(this.clock.now());
      const id = await repo.insertObjective(trx, unit.id, d, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'create',
        entity: 'quality_objective',
        entityId: id,
        unitId: unit.id,
        after: d,
        requestId: actor.requestId,
      });
      return (await repo.findObjective(trx, unit.id, id)) as QualityObjective;
    });
  }

  async getObjective(actor: Actor, unitId: number, id: number) {
    const unit = await unitFor(this.db, actor, unitId, 'catalog.write');
    const o = await repo.findObjective(this.db, unit.id, id);
    if (!o) throw new AppError('NOT_FOUND');
    return { unit, objective: o };
  }

  async updateObjective(actor: Actor, unitId: number, id: number, input: unknown): Promise<void> {
    const d = validate(objectiveInput, input);
    await this.db.transaction(async (trx) => {
      const unit = await unitFor(trx, actor, unitId, 'catalog.write');
      const before = await repo.findObjective(trx, unit.id, id);
      if (!before) throw new AppError('NOT_FOUND');
      const at = iso(this.clock.now());
      await repo.updateObjective(trx, id, d, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'update',
        entity: 'quality_objective',
        entityId: id,
        unitId: unit.id,
        before,
        after: d,
        requestId: actor.requestId,
      });
    });
  }

  async deleteObjective(actor: Actor, unitId: number, id: number): Promise<void> {
    await this.db.transaction(async (trx) => {
      const unit = await unitFor(trx, actor, unitId, 'catalog.write');
      const before = await repo.findObjective(trx, unit.id, id);
      if (!before) throw new AppError('NOT_FOUND');
      const at = iso(this.clock.now());
      await repo.deleteObjective(trx, id);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'delete',
        entity: 'quality_objective',
        entityId: id,
        unitId: unit.id,
        before,
        requestId: actor.requestId,
      });
    });
  }
}
