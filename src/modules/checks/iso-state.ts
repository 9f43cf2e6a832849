import type { Knex } from 'knex';
import type { Actor } from '../../lib/actor.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { updateUnitRow } from '../units/units.repository.ts';
import { hasIssuedProcedure, isoStateOf } from './checks.repository.ts';

/** A check is an internal audit (ISO 9001 clause 9.2) when planned on this form (data contracts). */
export const internalAuditFormId = 'iso-internal-audit';

/**
 * The ISO state follows the data: a unit that has issued its procedures and has now done an
 * internal audit is applying its quality system (QĐ 19/2014/QĐ-TTg, Điều 4: xây dựng, áp dụng,
 * đánh giá nội bộ rồi công bố). Runs inside the submit's transaction; a unit already applying,
 * declared, or needing a new declaration is left as it is (declaring is the documents' job).
 */
export async function applyingAfterAudit(trx: Knex.Transaction, actor: Actor, unitId: number, auditDate: string, at: string): Promise<boolean> {
  const unit = await isoStateOf(trx, unitId);
  if (!unit || !['not_started', 'building'].includes(unit.isoState)) return false;
  if (!(await hasIssuedProcedure(trx, unitId))) return false;
  const [y, m, d] = auditDate.split('-');
  const reason = `Tự động: đơn vị đã ban hành quy trình và hoàn thành đánh giá nội bộ ngày ${d}/${m}/${y}.`;
  await updateUnitRow(trx, unitId, { isoState: 'applying', isoStateReason: reason, isoStateChangedAt: at }, at);
  await writeAudit(trx, {
    at,
    userId: actor.user.id,
    action: 'iso_state',
    entity: 'unit',
    entityId: unitId,
    unitId,
    before: { isoState: unit.isoState, isoStandard: unit.isoStandard, reason: unit.reason },
    after: { isoState: 'applying', isoStandard: unit.isoStandard, reason },
    requestId: actor.requestId,
  });
  return true;
}
