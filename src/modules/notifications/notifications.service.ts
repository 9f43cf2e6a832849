import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Locale } from '../../lib/i18n.ts';
import { pageOf, type Page } from '../../kernel/pagination.ts';
import { iso } from '../../lib/time.ts';
import * as deliveries from './deliveries.repository.ts';
import { draftSchema, inboxQuery, type Draft } from './notifications.schemas.ts';
import * as repo from './notifications.repository.ts';
import type { DeliverResult, DeliveryOrigin, NotificationRow, NotificationView } from './notifications.types.ts';
import { resolveRecipients } from './recipients.repository.ts';

export function viewOf(n: NotificationRow, locale: Locale): NotificationView {
  return {
    id: n.id,
    source: n.source,
    title: locale === 'en' ? n.titleEn : n.titleVi,
    body: locale === 'en' ? n.bodyEn : n.bodyVi,
    link: n.link,
    dueDate: n.dueDate,
    read: n.readAt !== null,
    readAt: n.readAt,
    createdAt: n.createdAt,
  };
}

/**
 * The in-app inbox (each user sees only their own) and the delivery of what reminder handlers
 * return: recipients resolved to active users, one inbox row per user and key, and an e-mail
 * queued for users who want e-mail when SMTP is configured.
 */
export class NotificationsService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly emailEnabled: () => boolean,
  ) {}

  async inbox(actor: Actor, query: unknown, locale: Locale): Promise<Page<NotificationView> & { unread: number }> {
    const q = validate(inboxQuery, query);
    const [page, unread] = await Promise.all([
      repo.listForUser(this.db, actor.user.id, { unreadOnly: q.unread, page: q.page, pageSize: q.pageSize }),
      repo.unreadCount(this.db, actor.user.id),
    ]);
    return {
      ...pageOf(
        page.items.map((n) => viewOf(n, locale)),
        page.total,
        page.page,
        page.pageSize,
      ),
      unread,
    };
  }

  unreadCount(userId: number): Promise<number> {
    return repo.unreadCount(this.db, userId);
  }

  async markRead(actor: Actor, id: number): Promise<NotificationRow> {
    const n = await repo.findForUser(this.db, actor.user.id, id);
    if (!n) throw new AppError('NOT_FOUND');
    await repo.markRead(this.db, actor.user.id, id, iso(this.clock.now()));
    return (await repo.findForUser(this.db, actor.user.id, id)) as NotificationRow;
  }

  async markAllRead(actor: Actor): Promise<number> {
    return repo.markAllRead(this.db, actor.user.id, iso(this.clock.now()));
  }

  /** Delivers drafts: malformed ones are reported and skipped, the rest go out in one transaction. */
  async deliver(input: unknown[], origin: DeliveryOrigin): Promise<DeliverResult> {
    const result: DeliverResult = { drafts: input.length, invalid: [], unaddressed: 0, created: 0, duplicates: 0, emails: 0, told: [] };
    const drafts: Draft[] = [];
    input.forEach((d, i) => {
      const parsed = draftSchema.safeParse(d);
      if (parsed.success) drafts.push(parsed.data);
      else
        result.invalid.push(
          `#${i + 1} (${String((d as { dedupeKey?: unknown })?.dedupeKey ?? '?')}): ${parsed.error.issues.map((x) => `${x.path.join('.') || '(draft)'} ${x.message}`).join('; ')}`,
        );
    });
    if (drafts.length === 0) return result;
    const at = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      const { lists, users } = await resolveRecipients(
        trx,
        drafts.map((d) => d.recipient),
      );
      const rows: repo.NewNotification[] = [];
      const seen = new Set<string>();
      drafts.forEach((d, i) => {
        const to = lists[i] ?? [];
        if (to.length === 0) result.unaddressed++;
        const key = `${origin.pluginId}:${d.dedupeKey}`;
        for (const user of to) {
          if (user.id === origin.exceptUserId || origin.exceptUserIds?.includes(user.id)) continue;
          // Two drafts of one run may reach the same person (an officer of two units): once.
          if (seen.has(`${user.id} ${key}`)) continue;
          seen.add(`${user.id} ${key}`);
          rows.push({
            user_id: user.id,
            source: origin.source,
            dedupe_key: key,
            title_vi: d.title.vi,
            title_en: d.title.en,
            body_vi: d.body?.vi ?? null,
            body_en: d.body?.en ?? null,
            link: d.link ?? null,
            due_date: d.dueDate ?? null,
            run_id: origin.runId ?? null,
            created_at: at,
            updated_at: at,
          });
        }
      });
      const created = await repo.insertNew(trx, rows);
      result.created = created.length;
      result.duplicates = rows.length - created.length;
      result.told = [...new Set(created.map((c) => users.get(c.userId)?.fullName ?? '').filter(Boolean))];
      if (this.emailEnabled()) {
        const mails = created.flatMap((c) => {
          const u = users.get(c.userId);
          return u?.emailNotifications && u.email ? [{ notificationId: c.id, address: u.email }] : [];
        });
        await deliveries.enqueue(trx, mails, at);
        result.emails = mails.length;
      }
    });
    return result;
  }

  /**
   * Marks read, for every user, the notices whose key starts with `prefix`: the step they
   * announced has been taken, so they no longer wait for anyone. Returns how many.
   */
  settle(prefix: string): Promise<number> {
    return repo.markReadByKeyPrefix(this.db, prefix, iso(this.clock.now()));
  }
}
