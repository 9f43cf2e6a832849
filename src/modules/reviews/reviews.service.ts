import type { Knex } from 'knex';
import { z } from 'zod';
import { inScope, scopeFor, type Capability } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import { optionalText, requiredDate, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { unitFor } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import { compileInputs } from './reviews.inputs.ts';
import * as repo from './reviews.repository.ts';
import type { Review } from './reviews.repository.ts';

export type { Review } from './reviews.repository.ts';

const textMax = 20_000;
const createInput = z.object({ reviewDate: requiredDate, chairedBy: optionalText(200), attendees: optionalText(textMax) });
const saveInput = z.object({ chairedBy: optionalText(200), attendees: optionalText(textMax), decisions: optionalText(textMax) });

/**
 * Management reviews (ISO 9001 clause 9.3) of a unit: the inputs compiled from the data when the
 * record is made, the decisions and who attended; draft until made final, then locked.
 */
export class ReviewsService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  private unit(actor: Actor, unitId: number, cap: Capability): Promise<Unit> {
    return unitFor(this.db, actor, unitId, cap);
  }

  today(): string {
    return vnDate(this.clock.now());
  }

  async list(actor: Actor, unitId: number): Promise<{ unit: Unit; reviews: Array<Omit<Review, 'inputs'>>; canManage: boolean }> {
    const unit = await this.unit(actor, unitId, 'unit.read');
    return {
      unit,
      canManage: inScope(scopeFor(actor.user, 'review.manage'), unit.path),
      reviews: await repo.listReviews(this.db, unit.id),
    };
  }

  /** The unit a new review is made for (404 to those who may not). */
  manageable(actor: Actor, unitId: number): Promise<Unit> {
    return this.unit(actor, unitId, 'review.manage');
  }

  async create(actor: Actor, unitId: number, input: unknown): Promise<Review> {
    const unit = await this.unit(actor, unitId, 'review.manage');
    const d = validate(createInput, input);
    const id = await this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      const last = await repo.lastReviewBefore(trx, unit.id, d.reviewDate);
      const inputs = await compileInputs(trx, unit.id, d.reviewDate, last, at);
      const newId = await repo.insertReview(
        trx,
        { unitId: unit.id, reviewDate: d.reviewDate, inputs, chairedBy: d.chairedBy ?? null, attendees: d.attendees ?? null, createdBy: actor.user.id },
        at,
      );
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'create',
        entity: 'management_review',
        entityId: newId,
        unitId: unit.id,
        after: { reviewDate: d.reviewDate, chairedBy: d.chairedBy ?? null },
        requestId: actor.requestId,
      });
      return newId;
    });
    return (await this.get(actor, id)).review;
  }

  async get(actor: Actor, id: number): Promise<{ review: Review; unit: Unit; canManage: boolean }> {
    const review = await repo.findReview(this.db, id);
    if (!review) throw new AppError('NOT_FOUND');
    const unit = await this.unit(actor, review.unitId, 'unit.read');
    return { review, unit, canManage: review.status === 'draft' && inScope(scopeFor(actor.user, 'review.manage'), unit.path) };
  }

  private async draft(actor: Actor, id: number) {
    const r = await this.get(actor, id);
    if (!inScope(scopeFor(actor.user, 'review.manage'), r.unit.path)) throw new AppError('NOT_FOUND');
    if (r.review.status === 'final') throw new AppError('REVIEW_FINAL');
    return r;
  }

  /** Saves the decisions, attendees and chair of a draft; `final` also locks it (decisions required). */
  async save(actor: Actor, id: number, input: unknown, final = false): Promise<Review> {
    const d = validate(saveInput, input);
    const { review, unit } = await this.draft(actor, id);
    if (final && !d.decisions) throw new AppError('VALIDATION_FAILED', {}, { decisions: { key: 'v.required' } });
    await this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      // Only a draft changes: a review made final meanwhile stays as it was.
      const changes = { decisions: d.decisions ?? null, attendees: d.attendees ?? null, chairedBy: d.chairedBy ?? null };
      if (!(await repo.updateDraft(trx, id, final ? { ...changes, finalisedBy: actor.user.id } : changes, at))) throw new AppError('REVIEW_FINAL');
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: final ? 'finalise' : 'update',
        entity: 'management_review',
        entityId: id,
        unitId: unit.id,
        before: { decisions: review.decisions, attendees: review.attendees, chairedBy: review.chairedBy },
        after: { decisions: d.decisions ?? null, attendees: d.attendees ?? null, chairedBy: d.chairedBy ?? null, status: final ? 'final' : 'draft' },
        requestId: actor.requestId,
      });
    });
    return (await this.get(actor, id)).review;
  }
}
