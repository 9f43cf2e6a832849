import { toCount, wherePathPrefix } from '../../db/helpers.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import type { NotificationRow } from './notifications.types.ts';
import type { Db } from '../../kernel/db.ts';

const str = (v: unknown): string | null => (v == null ? null : String(v));

export function toNotification(r: Record<string, unknown>): NotificationRow {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    source: String(r.source),
    dedupeKey: String(r.dedupe_key),
    titleVi: String(r.title_vi),
    titleEn: String(r.title_en),
    bodyVi: str(r.body_vi),
    bodyEn: str(r.body_en),
    link: str(r.link),
    dueDate: str(r.due_date),
    readAt: str(r.read_at),
    createdAt: String(r.created_at),
  };
}

/** A user's inbox, newest first. Every query names the user: nobody reads another's inbox. */
export async function listForUser(db: Db, userId: number, f: { unreadOnly: boolean; page: number; pageSize: number }): Promise<Page<NotificationRow>> {
  const q = db('notifications').where('user_id', userId);
  if (f.unreadOnly) q.whereNull('read_at');
  const [{ n } = { n: 0 }] = (await q.clone().count({ n: '*' })) as Array<{ n: unknown }>;
  const rows = (await q.select('*').orderBy('id', 'desc').limit(f.pageSize).offset(offsetOf(f.page, f.pageSize))) as Array<Record<string, unknown>>;
  return pageOf(rows.map(toNotification), toCount(n), f.page, f.pageSize);
}

/** The header's badge: one count over the (user_id, read_at) index. */
export async function unreadCount(db: Db, userId: number): Promise<number> {
  const [{ n } = { n: 0 }] = (await db('notifications').where('user_id', userId).whereNull('read_at').count({ n: '*' })) as Array<{ n: unknown }>;
  return toCount(n);
}

export async function findForUser(db: Db, userId: number, id: number): Promise<NotificationRow | undefined> {
  const row = (await db('notifications').where({ id, user_id: userId }).first()) as Record<string, unknown> | undefined;
  return row ? toNotification(row) : undefined;
}

/** Marks one of the user's notifications read (reading it again keeps the first time). */
export async function markRead(db: Db, userId: number, id: number, at: string): Promise<void> {
  await db('notifications').where({ id, user_id: userId }).whereNull('read_at').update({ read_at: at, updated_at: at });
}

export async function markAllRead(db: Db, userId: number, at: string): Promise<number> {
  return db('notifications').where('user_id', userId).whereNull('read_at').update({ read_at: at, updated_at: at });
}

/** Every unread notice under a key prefix, whoever holds it. */
export async function markReadByKeyPrefix(db: Db, prefix: string, at: string): Promise<number> {
  return db('notifications')
    .where((w) => wherePathPrefix(w, 'dedupe_key', prefix))
    .whereNull('read_at')
    .update({ read_at: at, updated_at: at });
}

export interface NewNotification {
  user_id: number;
  source: string;
  dedupe_key: string;
  title_vi: string;
  title_en: string;
  body_vi: string | null;
  body_en: string | null;
  link: string | null;
  due_date: string | null;
  run_id: number | null;
  created_at: string;
  updated_at: string;
}

/**
 * Inserts what is new and skips, row by row, what a user already has under the same key
 * (the unique index decides, so two processes inserting at once cannot both win).
 * Returns the rows created.
 */
export async function insertNew(db: Db, rows: NewNotification[]): Promise<Array<{ id: number; userId: number }>> {
  const out: Array<{ id: number; userId: number }> = [];
  // SQLite writes a multi-row insert as a compound SELECT of at most 500 terms.
  for (let i = 0; i < rows.length; i += 400) {
    const created = (await db('notifications')
      .insert(rows.slice(i, i + 400))
      .onConflict(['user_id', 'dedupe_key'])
      .ignore()
      .returning(['id', 'user_id'])) as Array<{ id: number; user_id: number }>;
    for (const r of created) out.push({ id: Number(r.id), userId: Number(r.user_id) });
  }
  return out;
}
