import { toCount } from '../../db/helpers.ts';
import type { DeliveryStatus, DeliveryView } from './notifications.types.ts';
import type { Db } from '../../kernel/db.ts';

/** Queues one e-mail per notification (the unique notification_id keeps it to one). */
export async function enqueue(db: Db, rows: Array<{ notificationId: number; address: string }>, at: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) {
    await db('notification_deliveries').insert(
      rows.slice(i, i + 400).map((r) => ({
        notification_id: r.notificationId,
        channel: 'email',
        address: r.address,
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
        updated_at: at,
      })),
    );
  }
}

/** Ids of e-mails due now that no live process holds, oldest first. */
export async function dueIds(db: Db, now: string, limit: number): Promise<number[]> {
  const rows = (await db('notification_deliveries')
    .where('status', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((w) => w.whereNull('locked_until').orWhere('locked_until', '<', now))
    .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
    .limit(limit)
    .select('id')) as Array<{ id: number }>;
  return rows.map((r) => Number(r.id));
}

/**
 * Takes one e-mail for this process until `until`. The condition repeats the due test, so of
 * two processes that read the same id only one updates the row, and only that one sends it.
 */
export async function lock(db: Db, id: number, by: string, now: string, until: string): Promise<boolean> {
  const n = await db('notification_deliveries')
    .where('id', id)
    .where('status', 'pending')
    .where((w) => w.whereNull('locked_until').orWhere('locked_until', '<', now))
    .update({ locked_by: by, locked_until: until, updated_at: now });
  return n === 1;
}

export interface Outgoing {
  id: number;
  notificationId: number;
  address: string;
  attempts: number;
  user: { fullName: string; email: string | null; emailNotifications: boolean; isActive: boolean; locale: 'vi' | 'en' };
  notification: { titleVi: string; titleEn: string; bodyVi: string | null; bodyEn: string | null; link: string | null; dueDate: string | null };
}

export async function outgoing(db: Db, id: number): Promise<Outgoing | undefined> {
  const r = (await db('notification_deliveries as d')
    .join('notifications as n', 'n.id', 'd.notification_id')
    .join('users as u', 'u.id', 'n.user_id')
    .where('d.id', id)
    .first(
      'd.id',
      'd.notification_id',
      'd.address',
      'd.attempts',
      'u.full_name',
      'u.email',
      'u.email_notifications',
      'u.is_active',
      'u.locale',
      'n.title_vi',
      'n.title_en',
      'n.body_vi',
      'n.body_en',
      'n.link',
      'n.due_date',
    )) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  const s = (v: unknown) => (v == null ? null : String(v));
  return {
    id: Number(r.id),
    notificationId: Number(r.notification_id),
    address: String(r.address),
    attempts: Number(r.attempts),
    user: {
      fullName: String(r.full_name),
      email: s(r.email),
      emailNotifications: !!r.email_notifications,
      isActive: !!r.is_active,
      locale: r.locale === 'en' ? 'en' : 'vi',
    },
    notification: {
      titleVi: String(r.title_vi),
      titleEn: String(r.title_en),
      bodyVi: s(r.body_vi),
      bodyEn: s(r.body_en),
      link: s(r.link),
      dueDate: s(r.due_date),
    },
  };
}

/** Records the outcome of an attempt and lets go of the row. */
export async function settle(
  db: Db,
  id: number,
  patch: { status: DeliveryStatus; attempts: number; nextAttemptAt?: string; lastError?: string | null; sentAt?: string },
  at: string,
): Promise<void> {
  await db('notification_deliveries')
    .where('id', id)
    .update({
      status: patch.status,
      attempts: patch.attempts,
      last_error: patch.lastError ?? null,
      sent_at: patch.sentAt ?? null,
      ...(patch.nextAttemptAt ? { next_attempt_at: patch.nextAttemptAt } : {}),
      locked_by: null,
      locked_until: null,
      updated_at: at,
    });
}

export async function countsByStatus(db: Db): Promise<Record<DeliveryStatus, number>> {
  const rows = (await db('notification_deliveries').select('status').count({ n: '*' }).groupBy('status')) as Array<{ status: DeliveryStatus; n: unknown }>;
  const out: Record<DeliveryStatus, number> = { pending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const r of rows) out[r.status] = toCount(r.n);
  return out;
}

/** E-mails that failed at least once and have not left yet (waiting to retry, or given up). */
export async function problems(db: Db, limit: number): Promise<DeliveryView[]> {
  const rows = (await db('notification_deliveries as d')
    .join('notifications as n', 'n.id', 'd.notification_id')
    .whereIn('d.status', ['pending', 'failed'])
    .where('d.attempts', '>', 0)
    .orderBy('d.updated_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit)
    .select('d.*', 'n.title_vi')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: Number(r.id),
    notificationId: Number(r.notification_id),
    address: String(r.address),
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: String(r.next_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    sentAt: (r.sent_at as string | null) ?? null,
    title: String(r.title_vi),
  }));
}
