import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import { viewOf } from './notifications.service.ts';
import { knownQuery } from '../../http/known-query.ts';
import { inboxQuery } from './notifications.schemas.ts';

/** `/api/v1/notifications`: the caller's own inbox, paginated, and marking read. */
export function notificationApi(s: Pick<Services, 'notifications'>): Router {
  const r = Router();
  r.use('/notifications', requireApiUser);
  r.get('/notifications', knownQuery(inboxQuery), async (req, res) => {
    const p = await s.notifications.inbox(actorOf(req), req.query, req.locale);
    res.json({ data: p.items, meta: { total: p.total, page: p.page, pageSize: p.pageSize, pages: p.pages, unread: p.unread } });
  });
  r.post('/notifications/read-all', async (req, res) => {
    res.json({ data: { marked: await s.notifications.markAllRead(actorOf(req)) } });
  });
  r.post('/notifications/:id/read', async (req, res) => {
    res.json({ data: viewOf(await s.notifications.markRead(actorOf(req), parseId(req.params.id)), req.locale) });
  });
  return r;
}
