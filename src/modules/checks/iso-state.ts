import type { Knex } from 'knex';
import type { Actor } from '../../lib/actor.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { Db } from '../../kernel/db.ts';

/** A check is an internal audit (ISO 9001 clause 9.2) when planned on this form (data contracts). */
export const internalAuditFormId = 'iso-internal-audit';

/** The unit's procedures in force (issued) among the given ids. */
export async function issuedProcedures(db: Db, unitId: number, ids?: number[]): Promise<Array<{ id: number; code: string; title: string }>> {
  const q = db('procedures').where({ unit_id: unitId, status: 'issued', is_template: false });
  if (ids) q.whereIn('id', ids);
  const rows = (await q.orderBy('code').select('id', 'code', 'title')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ id: Number(r.id), code: String(r.code), title: String(r.title) }));
}

/**
 * The ISO state follows the data: a unit that has issued its procedures and has now done an
 * internal audit is applying its quality system (QĐ 19/2014/QĐ-TTg, Điều 4: xây dựng, áp dụng,
 * đánh giá nội bộ rồi công bố). Runs inside the submit's transaction; a unit already applying,
 * declared, or needing a new declaration is left as it is (declaring is the documents' job).
 */
export async function applyingAfterAudit(trx: Knex.Transaction, actor: Actor, unitId: number, auditDate: string, at: string): Promise<boolean> {
  const unit = (await trx('units').where('id', unitId).first('iso_state', 'iso_standard', 'iso_state_reason')) as Record<string, unknown> | undefined;
  if (!unit || !['not_started', 'building'].includes(String(unit.iso_state))) return false;
  const issued = (await trx('procedures').where({ unit_id: unitId, status: 'issued', is_template: false }).first('id')) as unknown;
  if (!issued) return false;
  const [y, m, d] = auditDate.split('-');
  const reason = `Tự động: đơn vị đã ban hành quy trình và hoàn thành đánh giá nội bộ ngày ${d}/${m}/${y}.`;
  await trx('units').where('id', unitId).update({ iso_state: 'applying', iso_state_reason: reason, iso_state_changed_at: at, updated_at: at });
  await writeAudit(trx, {
    at,
    userId: actor.user.id,
    action: 'iso_state',
    entity: 'unit',
    entityId: unitId,
    unitId,
    before: { isoState: unit.iso_state, isoStandard: unit.iso_standard ?? null, reason: unit.iso_state_reason ?? null },
    after: { isoState: 'applying', isoStandard: unit.iso_standard ?? null, reason },
    requestId: actor.requestId,
  });
  return true;
}
