import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import type { Db } from '../../kernel/db.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import { toCount } from '../../db/helpers.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

export interface AuditRow {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  fullName: string | null;
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
  action?: string;
  userId?: number;
  /** Entries of this unit and the units under it (a path `/1/5/`). */
  unitPath?: string;
  /** ISO instants: `from` inclusive, `to` exclusive. */
  from?: string;
  to?: string;
}

function filtered(db: Db, f: AuditFilter): Knex.QueryBuilder {
  const base = db('audit_log as a').leftJoin('users as u', 'u.id', 'a.user_id').leftJoin('units as un', 'un.id', 'a.unit_id');
  if (!f.scope.all) {
    // Entries without a unit (users, tokens) are for administrators only.
    base.whereNotNull('a.unit_id');
    whereUnitInScope(base, 'un.path', f.scope);
  }
  if (f.entity) base.where('a.entity', f.entity);
  if (f.entityId !== undefined) base.where('a.entity_id', f.entityId);
  if (f.action) base.where('a.action', f.action);
  if (f.userId !== undefined) base.where('a.user_id', f.userId);
  if (f.unitPath) base.where('un.path', 'like', `${f.unitPath}%`);
  if (f.from) base.where('a.at', '>=', f.from);
  if (f.to) base.where('a.at', '<', f.to);
  return base;
}

const columns = ['a.*', 'u.username', 'u.full_name', 'un.name as unit_name'];

export async function listAudit(db: Db, f: AuditFilter, page: number, pageSize: number): Promise<Page<AuditRow>> {
  const base = filtered(db, f);
  const [{ n } = { n: 0 }] = (await base.clone().count({ n: '*' })) as Array<{ n: unknown }>;
  const rows = (await base.select(columns).orderBy('a.id', 'desc').limit(pageSize).offset(offsetOf(page, pageSize))) as Array<Record<string, unknown>>;
  return pageOf(rows.map(toAuditRow), toCount(n), page, pageSize);
}

/** The newest `limit` entries of a filter, for the Excel export. */
export async function auditRows(db: Db, f: AuditFilter, limit: number): Promise<AuditRow[]> {
  const rows = (await filtered(db, f).select(columns).orderBy('a.id', 'desc').limit(limit)) as Array<Record<string, unknown>>;
  return rows.map(toAuditRow);
}

/** The people who appear in the log within a scope, for the filter's list (by name). */
export async function auditPeople(db: Db, scope: Scope, limit: number): Promise<Array<{ id: number; username: string; fullName: string }>> {
  const ids = filtered(db, { scope }).whereNotNull('a.user_id').distinct('a.user_id');
  const rows = (await db('users').whereIn('id', ids).orderBy('full_name').limit(limit).select('id', 'username', 'full_name')) as Array<{
    id: number;
    username: string;
    full_name: string;
  }>;
  return rows.map((r) => ({ id: Number(r.id), username: r.username, fullName: r.full_name }));
}

/** A unit by its code, any case, with its path (the caller checks the scope). */
export async function unitByCode(db: Db, code: string): Promise<{ id: number; path: string; name: string } | undefined> {
  const row = (await db('units').whereRaw('lower(code) = ?', [code.toLowerCase()]).first('id', 'path', 'name')) as
    { id: number; path: string; name: string } | undefined;
  return row && { id: Number(row.id), path: row.path, name: row.name };
}

function toAuditRow(r: Record<string, unknown>): AuditRow {
  const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : null);
  return {
    id: Number(r.id),
    at: String(r.at),
    userId: r.user_id == null ? null : Number(r.user_id),
    username: (r.username as string | null) ?? null,
    fullName: (r.full_name as string | null) ?? null,
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
