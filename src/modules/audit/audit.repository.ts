import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import { toCount } from '../../db/helpers.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

export interface AuditRow {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  entity: string;
  entityId: number | null;
  unitId: number | null;
  unitName: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface AuditFilter {
  scope: Scope;
  entity?: string;
  entityId?: number;
  userId?: number;
  page: number;
  pageSize: number;
}

export async function listAudit(db: Knex, f: AuditFilter): Promise<Page<AuditRow>> {
  const base = db('audit_log as a').leftJoin('users as u', 'u.id', 'a.user_id').leftJoin('units as un', 'un.id', 'a.unit_id');
  if (!f.scope.all) {
    // Entries without a unit (users, tokens) are for administrators only.
    base.whereNotNull('a.unit_id');
    whereUnitInScope(base, 'un.path', f.scope);
  }
  if (f.entity) base.where('a.entity', f.entity);
  if (f.entityId !== undefined) base.where('a.entity_id', f.entityId);
  if (f.userId !== undefined) base.where('a.user_id', f.userId);
  const [{ n } = { n: 0 }] = (await base.clone().count({ n: '*' })) as Array<{ n: unknown }>;
  const rows = (await base
    .select('a.*', 'u.username', 'un.name as unit_name')
    .orderBy('a.id', 'desc')
    .limit(f.pageSize)
    .offset(offsetOf(f.page, f.pageSize))) as Array<Record<string, unknown>>;
  return pageOf(rows.map(toAuditRow), toCount(n), f.page, f.pageSize);
}

function toAuditRow(r: Record<string, unknown>): AuditRow {
  const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : null);
  return {
    id: Number(r.id),
    at: String(r.at),
    userId: r.user_id == null ? null : Number(r.user_id),
    username: (r.username as string | null) ?? null,
    action: String(r.action),
    entity: String(r.entity),
    entityId: r.entity_id == null ? null : Number(r.entity_id),
    unitId: r.unit_id == null ? null : Number(r.unit_id),
    unitName: (r.unit_name as string | null) ?? null,
    before: parse(r.before),
    after: parse(r.after),
    requestId: (r.request_id as string | null) ?? null,
  };
}
