import type { Role, RoleAssignment, SessionUser } from '../../auth/roles.ts';
import { insertId, likeEscape, toCount } from '../../db/helpers.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import type { Db } from '../../kernel/db.ts';

export interface UserRecord extends SessionUser {
  isActive: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

function toUser(r: Record<string, unknown>, roles: RoleAssignment[]): UserRecord {
  return {
    id: Number(r.id),
    username: String(r.username),
    fullName: String(r.full_name),
    email: (r.email as string | null) ?? null,
    locale: r.locale === 'en' ? 'en' : 'vi',
    emailNotifications: !!r.email_notifications,
    isActive: !!r.is_active,
    lastLoginAt: (r.last_login_at as string | null) ?? null,
    createdAt: String(r.created_at),
    roles,
  };
}

export async function rolesOf(db: Db, userIds: number[]): Promise<Map<number, RoleAssignment[]>> {
  const out = new Map<number, RoleAssignment[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = (await db('user_roles as r')
    .leftJoin('units as u', 'u.id', 'r.unit_id')
    .whereIn('r.user_id', userIds)
    .select('r.id', 'r.user_id', 'r.role', 'r.unit_id', 'u.path', 'u.name', 'u.code')
    .orderBy('r.id')) as Array<Record<string, unknown>>;
  for (const r of rows) {
    out.get(Number(r.user_id))?.push({
      id: Number(r.id),
      role: r.role as Role,
      unitId: r.unit_id == null ? null : Number(r.unit_id),
      unitPath: (r.path as string | null) ?? null,
      unitName: (r.name as string | null) ?? null,
      unitCode: (r.code as string | null) ?? null,
    });
  }
  return out;
}

/** The user with its role assignments, in one query: this runs on every signed-in request. */
export async function findUserById(db: Db, id: number): Promise<UserRecord | undefined> {
  const rows = (await db('users as us')
    .leftJoin('user_roles as r', 'r.user_id', 'us.id')
    .leftJoin('units as u', 'u.id', 'r.unit_id')
    .where('us.id', id)
    .select('us.*', 'r.id as r_id', 'r.role as r_role', 'r.unit_id as r_unit_id', 'u.path as r_path', 'u.name as r_name', 'u.code as r_code')
    .orderBy('r.id')) as Array<Record<string, unknown>>;
  const first = rows[0];
  if (!first) return undefined;
  const roles: RoleAssignment[] = rows
    .filter((r) => r.r_id != null)
    .map((r) => ({
      id: Number(r.r_id),
      role: r.r_role as Role,
      unitId: r.r_unit_id == null ? null : Number(r.r_unit_id),
      unitPath: (r.r_path as string | null) ?? null,
      unitName: (r.r_name as string | null) ?? null,
      unitCode: (r.r_code as string | null) ?? null,
    }));
  return toUser(first, roles);
}

export async function findCredentials(db: Db, username: string): Promise<{ id: number; passwordHash: string; isActive: boolean } | undefined> {
  const row = (await db('users').where('username', username).first('id', 'password_hash', 'is_active')) as Record<string, unknown> | undefined;
  return row ? { id: Number(row.id), passwordHash: String(row.password_hash), isActive: !!row.is_active } : undefined;
}

export async function passwordHashOf(db: Db, id: number): Promise<string | undefined> {
  const row = (await db('users').where('id', id).first('password_hash')) as { password_hash: string } | undefined;
  return row?.password_hash;
}

export async function countUsers(db: Db): Promise<number> {
  const [{ n } = { n: 0 }] = (await db('users').count({ n: '*' })) as Array<{ n: unknown }>;
  return toCount(n);
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  return !!(await db('users').where('username', username).first('id'));
}

export interface NewUserRow {
  username: string;
  fullName: string;
  email: string | null;
  passwordHash: string;
  locale: 'vi' | 'en';
}

export async function insertUser(trx: Db, u: NewUserRow, at: string): Promise<number> {
  return insertId(
    trx('users').insert({
      username: u.username,
      full_name: u.fullName,
      email: u.email,
      password_hash: u.passwordHash,
      locale: u.locale,
      email_notifications: true,
      is_active: true,
      created_at: at,
      updated_at: at,
    }),
  );
}

export async function updateUserRow(trx: Db, id: number, patch: Record<string, unknown>, at: string): Promise<void> {
  const map: Record<string, string> = {
    fullName: 'full_name',
    email: 'email',
    passwordHash: 'password_hash',
    locale: 'locale',
    emailNotifications: 'email_notifications',
    isActive: 'is_active',
    lastLoginAt: 'last_login_at',
  };
  const row: Record<string, unknown> = { updated_at: at };
  for (const [k, v] of Object.entries(patch)) if (map[k] && v !== undefined) row[map[k] as string] = v;
  await trx('users').where('id', id).update(row);
}

export async function insertRole(trx: Db, userId: number, role: Role, unitId: number | null, at: string): Promise<number> {
  return insertId(trx('user_roles').insert({ user_id: userId, role, unit_id: unitId, created_at: at, updated_at: at }));
}

export async function roleExists(trx: Db, userId: number, role: Role, unitId: number | null): Promise<boolean> {
  const q = trx('user_roles').where({ user_id: userId, role });
  if (unitId === null) q.whereNull('unit_id');
  else q.where('unit_id', unitId);
  return !!(await q.first('id'));
}

export async function deleteRole(trx: Db, userId: number, roleId: number): Promise<number> {
  return trx('user_roles').where({ id: roleId, user_id: userId }).delete();
}

export async function countAdmins(trx: Db): Promise<number> {
  const [{ n } = { n: 0 }] = (await trx('user_roles as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where('r.role', 'admin')
    .where('u.is_active', true)
    .countDistinct({ n: 'r.user_id' })) as Array<{ n: unknown }>;
  return toCount(n);
}

export async function listUsers(db: Db, f: { q?: string; page: number; pageSize: number }): Promise<Page<UserRecord>> {
  const q = db('users');
  if (f.q) {
    const p = `%${likeEscape(f.q.toLowerCase())}%`;
    q.where((w) => w.whereRaw(`lower(username) LIKE ? ESCAPE '\\'`, [p]).orWhereRaw(`lower(full_name) LIKE ? ESCAPE '\\'`, [p]));
  }
  const [{ n } = { n: 0 }] = (await q.clone().count({ n: '*' })) as Array<{ n: unknown }>;
  const rows = (await q.select('*').orderBy('username').limit(f.pageSize).offset(offsetOf(f.page, f.pageSize))) as Array<Record<string, unknown>>;
  const roles = await rolesOf(
    db,
    rows.map((r) => Number(r.id)),
  );
  return pageOf(
    rows.map((r) => toUser(r, roles.get(Number(r.id)) ?? [])),
    toCount(n),
    f.page,
    f.pageSize,
  );
}
