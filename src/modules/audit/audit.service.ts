import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError } from '../../kernel/errors.ts';
import { auditActions, auditEntities } from '../../kernel/audit-words.ts';
import { optionalDayVn, validate } from '../../kernel/validation.ts';
import { inScope, isAdmin, scopeFor, type Scope } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Page } from '../../kernel/pagination.ts';
import { auditPeople, auditRows, listAudit, unitByCode, type AuditFilter, type AuditRow } from './audit.repository.ts';

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const positiveId = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ error: 'v.id' })
    .int({ error: 'v.id' })
    .positive({ error: 'v.id' })
    .max(2 ** 31 - 1, { error: 'v.id' })
    .optional(),
);

/** The log's filters, as the page's form and the API send them; every one optional. */
const auditQuery = z
  .object({
    entity: z.preprocess(blankToUndefined, z.enum(auditEntities, { error: 'v.choose' }).optional()),
    entityId: positiveId,
    action: z.preprocess(blankToUndefined, z.enum(auditActions, { error: 'v.choose' }).optional()),
    userId: positiveId,
    unit: z.preprocess(blankToUndefined, z.string().trim().max(40, { error: 'v.too_long|40' }).optional()),
    from: optionalDayVn,
    to: optionalDayVn,
    page: z.coerce.number().int().min(1).max(100000).optional().default(1),
    pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], error: 'v.date_order' });

export type AuditQuery = z.infer<typeof auditQuery>;

/** Midnight in Viet Nam (UTC+7, no daylight saving) of a day, as an ISO instant. */
const vnMidnight = (day: string, plusDays = 0) => new Date(Date.parse(`${day}T00:00:00+07:00`) + plusDays * 86_400_000).toISOString();

/** The most rows one export holds; a longer log is narrowed by the filters first. */
export const auditExportLimit = 20_000;

export class AuditService {
  constructor(private readonly db: Knex) {}

  private scopeOf(actor: Actor): Scope {
    const scope = scopeFor(actor.user, 'audit.read');
    if (!scope.all && scope.paths.length === 0) throw new AppError('NOT_FOUND');
    return scope;
  }

  /** The query checked and turned into a repository filter; a unit outside the scope reads as unknown. */
  private async filterOf(scope: Scope, query: unknown): Promise<{ q: AuditQuery; filter: AuditFilter }> {
    const q = validate(auditQuery, query);
    const filter: AuditFilter = {
      scope,
      entity: q.entity,
      entityId: q.entityId,
      action: q.action,
      userId: q.userId,
      from: q.from && vnMidnight(q.from),
      to: q.to && vnMidnight(q.to, 1),
    };
    if (q.unit) {
      const unit = await unitByCode(this.db, q.unit);
      if (!unit || !inScope(scope, unit.path)) throw new AppError('VALIDATION_FAILED', {}, { unit: { key: 'v.unit_not_in_scope' } });
      filter.unitPath = unit.path;
    }
    return { q, filter };
  }

  /** Administrators see everything; coordinators the entries of units in their subtree. */
  async list(actor: Actor, query: unknown): Promise<Page<AuditRow> & { query: AuditQuery }> {
    const { q, filter } = await this.filterOf(this.scopeOf(actor), query);
    return { ...(await listAudit(this.db, filter, q.page, q.pageSize)), query: q };
  }

  /** The newest entries of the same filters, for the Excel export (at most `auditExportLimit`). */
  async exportRows(actor: Actor, query: unknown): Promise<AuditRow[]> {
    const { filter } = await this.filterOf(this.scopeOf(actor), query);
    return auditRows(this.db, filter, auditExportLimit);
  }

  /** The choices of the filter form: the people who appear in the caller's part of the log. */
  async people(actor: Actor): Promise<Array<{ id: number; username: string; fullName: string }>> {
    return auditPeople(this.db, this.scopeOf(actor), 500);
  }

  canRead(actor: Actor): boolean {
    const scope = scopeFor(actor.user, 'audit.read');
    return isAdmin(actor.user) || (!scope.all && scope.paths.length > 0);
  }
}
