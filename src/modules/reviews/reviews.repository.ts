import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import type { ReviewInputs } from './reviews.inputs.ts';

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

/** A unit's reviews, newest first, without their inputs (the list page never shows them). */
export async function listReviews(db: Db, unitId: number): Promise<Array<Omit<Review, 'inputs'>>> {
  const rows = (await db('management_reviews')
    .where('unit_id', unitId)
    .whereNull('deleted_at')
    .orderBy([
      { column: 'review_date', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .select('id', 'unit_id', 'review_date', 'status', 'decisions', 'attendees', 'chaired_by', 'created_at', 'finalised_at')) as Array<Record<string, unknown>>;
  return rows.map((r) => {
    const { inputs: _i, ...rest } = toReview({ ...r, inputs_json: '{}' });
    return rest;
  });
}

/** The date of the unit's last review before `day`, if any: the period the next one looks back on. */
export async function lastReviewBefore(db: Db, unitId: number, day: string): Promise<string | null> {
  const last = (await db('management_reviews')
    .where('unit_id', unitId)
    .whereNull('deleted_at')
    .where('review_date', '<', day)
    .orderBy('review_date', 'desc')
    .first('review_date')) as { review_date: string } | undefined;
  return last?.review_date ?? null;
}

export interface NewReview {
  unitId: number;
  reviewDate: string;
  inputs: ReviewInputs;
  chairedBy: string | null;
  attendees: string | null;
  createdBy: number;
}

export function insertReview(db: Db, r: NewReview, at: string): Promise<number> {
  return insertId(
    db('management_reviews').insert({
      unit_id: r.unitId,
      review_date: r.reviewDate,
      status: 'draft',
      inputs_json: JSON.stringify(r.inputs),
      chaired_by: r.chairedBy,
      attendees: r.attendees,
      created_by: r.createdBy,
      created_at: at,
      updated_at: at,
    }),
  );
}

export async function findReview(db: Db, id: number): Promise<Review | undefined> {
  const row = (await db('management_reviews').where('id', id).whereNull('deleted_at').first()) as Record<string, unknown> | undefined;
  return row ? toReview(row) : undefined;
}

export interface ReviewChanges {
  decisions: string | null;
  attendees: string | null;
  chairedBy: string | null;
  /** Made final by this user. */
  finalisedBy?: number;
}

/** Changes a draft, or nothing (false) when the review was made final meanwhile. */
export async function updateDraft(db: Db, id: number, c: ReviewChanges, at: string): Promise<boolean> {
  const changes: Record<string, unknown> = { decisions: c.decisions, attendees: c.attendees, chaired_by: c.chairedBy, updated_at: at };
  if (c.finalisedBy !== undefined) Object.assign(changes, { status: 'final', finalised_by: c.finalisedBy, finalised_at: at });
  return (await db('management_reviews').where({ id, status: 'draft' }).update(changes)) > 0;
}
