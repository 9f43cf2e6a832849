import type { Knex } from 'knex';
import { z } from 'zod';
import { inScope, scopeFor, type Capability } from '../../auth/roles.ts';
import { insertId } from '../../db/helpers.ts';
import { AppError } from '../../kernel/errors.ts';
import { optionalText, requiredDate, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { unitFor } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import { compileInputs, type ReviewInputs } from './reviews.inputs.ts';

export type ReviewStatus = 'draft' | 'final';

export interface Review {
  id: number;
  unitId: number;
  reviewDate: string;
  status: ReviewStatus;
  inputs: ReviewInputs;
  decisions: string | null;
  attendees: string | null;
  chairedBy: string | null;
  createdAt: string;
  finalisedAt: string | null;
}

const textMax = 20_000;
const createInput = z.object({ reviewDate: requiredDate, chairedBy: optionalText(200), attendees: optionalText(textMax) });
const saveInput = z.object({ chairedBy: optionalText(200), attendees: optionalText(textMax), decisions: optionalText(textMax) });

function toReview(r: Record<string, unknown>): Review {
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    reviewDate: String(r.review_date),
    status: r.status as ReviewStatus,
    inputs: JSON.parse(String(r.inputs_json)) as ReviewInputs,
    decisions: (r.decisions as string | null) ?? null,
    attendees: (r.attendees as string | null) ?? null,
    chairedBy: (r.chaired_by as string | null) ?? null,
    createdAt: String(r.created_at),
    finalisedAt: (r.finalised_at as string | null) ?? null,
  };
}

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
    const rows = (await this.db('management_reviews')
      .where('unit_id', unit.id)
      .whereNull('deleted_at')
      .orderBy([
        { column: 'review_date', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .select('id', 'unit_id', 'review_date', 'status', 'decisions', 'attendees', 'chaired_by', 'created_at', 'finalised_at')) as Array<
      Record<string, unknown>
    >;
    return {
      unit,
      canManage: inScope(scopeFor(actor.user, 'review.manage'), unit.path),
      reviews: rows.map((r) => {
        const { inputs: _i, ...rest } = toReview({ ...r, inputs_json: '{}' });
        return rest;
      }),
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
      const last = (await trx('management_reviews')
        .where('unit_id', unit.id)
        .whereNull('deleted_at')
        .where('review_date', '<', d.reviewDate)
        .orderBy('review_date', 'desc')
        .first('review_date')) as { review_date: string } | undefined;
      const inputs = await compileInputs(trx, unit.id, d.reviewDate, last?.review_date ?? null, at);
      const newId = await insertId(
        trx('management_reviews').insert({
          unit_id: unit.id,
          review_date: d.reviewDate,
          status: 'draft',
          inputs_json: JSON.stringify(inputs),
          chaired_by: d.chairedBy ?? null,
          attendees: d.attendees ?? null,
          created_by: actor.user.id,
          created_at: at,
          updated_at: at,
        }),
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
    const row = (await this.db('management_reviews').where('id', id).whereNull('deleted_at').first()) as Record<string, unknown> | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    const unit = await this.unit(actor, Number(row.unit_id), 'unit.read');
    const review = toReview(row);
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
      const changes: Record<string, unknown> = {
        decisions: d.decisions ?? null,
        attendees: d.attendees ?? null,
        chaired_by: d.chairedBy ?? null,
        updated_at: at,
      };
      if (final) Object.assign(changes, { status: 'final', finalised_by: actor.user.id, finalised_at: at });
      // Only a draft changes: a review made final meanwhile stays as it was.
      const n = await trx('management_reviews').where({ id, status: 'draft' }).update(changes);
      if (!n) throw new AppError('REVIEW_FINAL');
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
