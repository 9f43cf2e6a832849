import { z } from 'zod';
import { writeAudit } from '../../kernel/audit.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Db } from '../../kernel/db.ts';
import { dayFromInput, idList } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import { dayText } from '../../lib/time.ts';
import { flagScopeChange } from './catalog.scope.ts';
import type { Tthc } from './catalog.types.ts';
import * as repo from './tthc.repository.ts';

/** A day typed DD/MM/YYYY that must be there. */
const requiredDay = z.preprocess(
  (v) => (v === undefined || v === null ? '' : v),
  z
    .string({ error: 'v.day_vn' })
    .trim()
    .min(1, { error: 'v.required' })
    .max(20, { error: 'v.day_vn' })
    .transform((v, ctx) => dayFromInput(v) ?? (ctx.addIssue({ code: 'custom', message: 'v.day_vn' }), z.NEVER)),
);

/** A retirement as typed: the day it takes effect and the province's announcing decision. */
export const retirementInput = z.object({
  retiredOn: requiredDay,
  decisionNo: z.preprocess((v) => v ?? '', z.string({ error: 'v.required' }).trim().min(1, { error: 'v.required' }).max(100, { error: 'v.too_long|100' })),
  decisionDate: requiredDay,
});

/** The import's apply form: the retirement, and which TTHC missing from the file to retire. */
export const retireMissingInput = z.object({ retire: idList(5000) });

export interface RetirementOf {
  retiredOn: string;
  decisionNo: string;
  decisionDate: string;
}

/**
 * Retires one TTHC inside the caller's transaction: the list marks it, new adoptions leave it out,
 * and every declared unit that has it in its scope must declare again, naming the decision.
 * Returns the units flagged.
 */
export async function retireOne(trx: Db, actor: Actor, t: Tthc, r: RetirementOf, at: string): Promise<number> {
  if (t.retiredAt) throw new AppError('VALIDATION_FAILED', {}, { retiredOn: { key: 'v.tthc_already_retired' } });
  const ok = await repo.retireTthc(trx, t.id, t.version, { on: r.retiredOn, decisionNo: r.decisionNo, decisionDate: r.decisionDate }, at);
  if (!ok) throw new AppError('STALE_EDIT', {}, { version: { key: 'v.stale' } });
  await writeAudit(trx, {
    at,
    userId: actor.user.id,
    action: 'retire',
    entity: 'tthc',
    entityId: t.id,
    unitId: t.provinceId,
    before: { retiredAt: null },
    after: { retiredAt: r.retiredOn, decisionNo: r.decisionNo, decisionDate: r.decisionDate },
    requestId: actor.requestId,
  });
  const reason = `Thay đổi phạm vi: TTHC ${t.code} bãi bỏ từ ${dayText(r.retiredOn)} theo Quyết định ${r.decisionNo} ngày ${dayText(r.decisionDate)}`;
  let flagged = 0;
  for (const unitId of await repo.unitsAdopting(trx, t.id)) if (await flagScopeChange(trx, actor, unitId, reason, at)) flagged++;
  return flagged;
}
