import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { HandOff } from '../../kernel/handoff.ts';
import type { Translator } from '../../lib/i18n.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';

/**
 * Hand-off notices through the inbox (and e-mail for those who want it): a step taken settles
 * the notices of the record's earlier steps for everyone, then tells the people the next step
 * waits for. The step itself is committed before this runs, so a notice that cannot be delivered
 * is logged and the user's save stands.
 */
export function handOffNotices(notifications: NotificationsService, translator: Translator, logger: Logger): HandOff {
  return async (e) => {
    try {
      const prefix = `handoffs:${e.record}:`;
      await notifications.settle(prefix);
      const n = e.next;
      if (!n) return [];
      const title = (locale: 'vi' | 'en') => `${translator.t(locale, `home.waiting.kinds.${n.kind}`)}: ${n.title} · ${n.unitName}`.slice(0, 500);
      const out = await notifications.deliver(
        n.roles.map((role) => ({
          recipient: { role, unitId: n.unitId },
          title: { vi: title('vi'), en: title('en') },
          link: n.link,
          // One notice per step taken: a revision sent back and sent again is announced again.
          dedupeKey: `${e.record}:${n.kind}:${randomUUID()}`,
        })),
        { pluginId: 'handoffs', source: `handoffs/${n.kind}`, exceptUserId: e.actorId, exceptUserIds: n.except },
      );
      return out.told;
    } catch (err) {
      logger.error({ err, record: e.record }, 'a hand-off notice was not delivered');
      return [];
    }
  };
}
