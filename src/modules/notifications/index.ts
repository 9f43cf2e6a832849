import { defineModule } from '../module.ts';
import { notificationApi } from './notifications.api.ts';
import { notificationRoutes } from './notifications.routes.ts';

/** The inbox of notifications (and their e-mails). */
export const notificationsModule = defineModule({ id: 'notifications', pages: (s) => [notificationRoutes(s)], api: (s) => [notificationApi(s)] });
