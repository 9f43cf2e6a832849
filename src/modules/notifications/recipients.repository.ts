import type { Role } from '../../auth/roles.ts';
import type { Db } from '../../kernel/db.ts';

/** An active user a notification can go to, with what e-mail needs. */
export interface Addressee {
  id: number;
  email: string | null;
  emailNotifications: boolean;
  locale: 'vi' | 'en';
  fullName: string;
}

export type RecipientSpec = { userId: number } | { role: Role; unitId: number };

/** Large `IN (...)` lists are cut in chunks: SQLite binds at most 32,766 values per statement. */
export function chunks<T>(xs: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

function toAddressee(r: Record<string, unknown>): Addressee {
  return {
    id: Number(r.id),
    email: (r.email as string | null) || null,
    emailNotifications: !!r.email_notifications,
    locale: r.locale === 'en' ? 'en' : 'vi',
    fullName: String(r.full_name ?? ''),
  };
}

/**
 * Turns recipients into active users, in few queries whatever the number of drafts:
 * `{ userId }` is that user if active; `{ role, unitId }` is every active user holding the role
 * on that unit, or, when nobody does, on its nearest ancestor that has one (a commune without
 * its own ISO officer is looked after by the officer above it). `admin` means every administrator.
 */
export async function resolveRecipients(db: Db, specs: RecipientSpec[]): Promise<{ lists: Addressee[][]; users: Map<number, Addressee> }> {
  const users = new Map<number, Addressee>();
  const directIds = [...new Set(specs.flatMap((s) => ('userId' in s ? [s.userId] : [])))];
  for (const ids of chunks(directIds)) {
    const rows = (await db('users').whereIn('id', ids).where('is_active', true).select('id', 'email', 'email_notifications', 'locale', 'full_name')) as Array<
      Record<string, unknown>
    >;
    for (const r of rows) users.set(Number(r.id), toAddressee(r));
  }

  const roleSpecs = specs.filter((s): s is { role: Role; unitId: number } => 'role' in s);
  const unitIds = [...new Set(roleSpecs.map((s) => s.unitId))];
  const paths = new Map<number, number[]>();
  for (const ids of chunks(unitIds)) {
    const rows = (await db('units').whereIn('id', ids).select('id', 'path')) as Array<{ id: number; path: string }>;
    for (const r of rows) paths.set(Number(r.id), r.path.split('/').filter(Boolean).map(Number));
  }
  const lineage = [...new Set([...paths.values()].flat())];
  const rolesWanted = [...new Set(roleSpecs.map((s) => s.role))];
  const holders = new Map<string, number[]>();
  const holderRows: Array<Record<string, unknown>> = [];
  if (rolesWanted.includes('admin')) {
    holderRows.push(
      ...((await db('user_roles as r')
        .join('users as u', 'u.id', 'r.user_id')
        .where('r.role', 'admin')
        .where('u.is_active', true)
        .select('r.role', 'r.unit_id', 'u.id', 'u.email', 'u.email_notifications', 'u.locale', 'u.full_name')) as Array<Record<string, unknown>>),
    );
  }
  const unitRoles = rolesWanted.filter((r) => r !== 'admin');
  for (const ids of unitRoles.length ? chunks(lineage) : []) {
    holderRows.push(
      ...((await db('user_roles as r')
        .join('users as u', 'u.id', 'r.user_id')
        .whereIn('r.role', unitRoles)
        .whereIn('r.unit_id', ids)
        .where('u.is_active', true)
        .select('r.role', 'r.unit_id', 'u.id', 'u.email', 'u.email_notifications', 'u.locale', 'u.full_name')) as Array<Record<string, unknown>>),
    );
  }
  for (const r of holderRows) {
    const user = toAddressee(r);
    users.set(user.id, user);
    const key = r.role === 'admin' ? 'admin' : `${String(r.role)}@${Number(r.unit_id)}`;
    holders.set(key, [...(holders.get(key) ?? []), user.id]);
  }

  const lists = specs.map((s) => {
    if ('userId' in s) return users.has(s.userId) ? [users.get(s.userId) as Addressee] : [];
    if (s.role === 'admin') return (holders.get('admin') ?? []).map((id) => users.get(id) as Addressee);
    // Nearest first: the unit itself, then its parent, up to the root.
    for (const unitId of [...(paths.get(s.unitId) ?? [])].reverse()) {
      const found = holders.get(`${s.role}@${unitId}`);
      if (found?.length) return [...new Set(found)].map((id) => users.get(id) as Addressee);
    }
    return [];
  });
  return { lists, users };
}
