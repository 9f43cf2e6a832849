import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';

/** The inbox page: list, open (marks read and follows the link), mark read, mark all read. */
export function notificationRoutes(s: Pick<Services, 'notifications'>): Router {
  const r = Router();
  r.use('/notifications', requireUser);
  r.get('/notifications', async (req, res) => {
    res.render('notifications/index', { page: await s.notifications.inbox(actorOf(req), req.query, req.locale) });
  });
  r.get('/notifications/:id/open', async (req, res) => {
    const n = await s.notifications.markRead(actorOf(req), parseId(req.params.id));
    res.redirect(n.link ?? '/notifications');
  });
  r.post('/notifications/read-all', async (req, res) => {
    await s.notifications.markAllRead(actorOf(req));
    res.redirect('/notifications');
  });
  r.post('/notifications/:id/read', async (req, res) => {
    await s.notifications.markRead(actorOf(req), parseId(req.params.id));
    const back = (req.body as Record<string, unknown>).back;
    res.redirect(typeof back === 'string' && /^\/notifications(\?[\w=&%-]*)?$/.test(back) ? back : '/notifications');
  });
  return r;
}
