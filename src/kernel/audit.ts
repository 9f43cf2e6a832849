import type { Knex } from 'knex';
import type { AuditAction, AuditEntity } from './audit-words.ts';

/** One row of the audit log: who did what to which record, with its state before and after. */
export interface AuditEntry {
  userId: number | null;
  action: AuditAction;
  entity: AuditEntity;
  entityId: number | null;
  unitId: number | null;
  before?: unknown;
  after?: unknown;
  requestId?: string;
  at: string;
}

/** Written inside the caller's transaction, so a business write and its log row stand or fall together. */
export async function writeAudit(trx: Knex | Knex.Transaction, e: AuditEntry): Promise<void> {
  await trx('audit_log').insert({
    at: e.at,
    user_id: e.userId,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId,
    unit_id: e.unitId,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    request_id: e.requestId ?? null,
  });
}
