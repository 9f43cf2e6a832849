import type { NextFunction, Request, Response } from 'express';
import type { NotificationsService } from './notifications.service.ts';

type Done = (err: Error, html: string) => void;

/**
 * The header's unread count: one indexed count query, made only when a signed-in user's page is
 * actually rendered (not for redirects, API calls or static files). If the count fails (the
 * database is down and the error page is being drawn), the page goes out without the badge.
 */
export function unreadBadge(notifications: NotificationsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = req.user;
    if (!user || req.path.startsWith('/api/')) return next();
    const render = res.render.bind(res) as (view: string, options?: object, cb?: Done) => void;
    res.render = ((view: string, options?: object | Done, cb?: Done) => {
      notifications
        .unreadCount(user.id)
        .then(
          (n) => {
            res.locals.unreadCount = n;
          },
          () => undefined,
        )
        .finally(() => {
          if (typeof options === 'function') render(view, {}, options as Done);
          else render(view, options, cb);
        })
        .catch((err: unknown) => req.next?.(err));
    }) as Response['render'];
    next();
  };
}
