import { toCount } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import type { DeclarationFacts } from './declaration-checks.ts';

/** The form id of an internal audit (data contract between the areas, as the dashboard reads it). */
const internalAuditForm = 'iso-internal-audit';

/** What a declaration of the unit dated `date` checks first (declaration-checks.ts). */
export async function declarationFactsOf(db: Db, unitId: number, date: string): Promise<DeclarationFacts> {
  // One after the other: inside the transaction they share one connection.
  const uncovered = (await db('unit_tthc as ut')
    .join('tthc as t', 't.id', 'ut.tthc_id')
    .where('ut.unit_id', unitId)
    .whereNull('ut.dropped_at')
    .whereNotExists(db('procedures as p').whereRaw('p.unit_id = ut.unit_id').whereRaw('p.tthc_id = ut.tthc_id').where('p.status', 'issued').select(db.raw('1')))
    .orderBy('t.code')
    .select('t.code', 't.name')) as Array<{ code: string; name: string }>;
  const kinds = (await db('procedures').where({ unit_id: unitId, status: 'issued', is_template: false }).distinct('kind')) as Array<{ kind: string }>;
  const audit = (await db('checks')
    .where({ unit_id: unitId, form_id: internalAuditForm, status: 'submitted' })
    .where('check_date', '<=', date)
    .max('check_date as v')
    .first()) as { v: string | null } | undefined;
  const review = (await db('management_reviews')
    .where({ unit_id: unitId, status: 'final' })
    .whereNull('deleted_at')
    .where('review_date', '<=', date)
    .max('review_date as v')
    .first()) as { v: string | null } | undefined;
  const majors = (await db('check_findings as f')
    .join('checks as k', 'k.id', 'f.check_id')
    // A predecessor merged into the unit hands its open findings on (as the dashboard counts them).
    .where((w) =>
      w
        .where('k.unit_id', unitId)
        .orWhereIn('k.unit_id', db('units').where('merged_into_id', unitId).whereNotNull('active_to').where('active_to', '<=', date).select('id')),
    )
    .where({ 'f.severity': 'major', 'f.status': 'open' })
    .whereNull('f.deleted_at')
    .count({ n: '*' })
    .first()) as { n: unknown } | undefined;
  return {
    unitId,
    tthcWithoutProcess: uncovered.map((r) => ({ code: String(r.code), name: String(r.name) })),
    issuedKinds: kinds.map((r) => String(r.kind)),
    lastInternalAudit: audit?.v ? String(audit.v) : null,
    lastReview: review?.v ? String(review.v) : null,
    openMajors: toCount(majors?.n),
  };
}
