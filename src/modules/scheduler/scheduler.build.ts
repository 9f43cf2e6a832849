import crypto from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/config.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Translator } from '../../lib/i18n.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { createMailSender, type MailSender } from '../notifications/email.ts';
import { EmailQueue } from '../notifications/email-queue.ts';
import { NotificationsService } from '../notifications/notifications.service.ts';
import { ReminderReads, type DueSources } from '../notifications/reads.service.ts';
import { Scheduler } from './scheduler.ts';

export interface ReminderServices {
  reads: ReminderReads;
  notifications: NotificationsService;
  scheduler: Scheduler;
}

export interface ReminderDeps {
  db: Knex;
  clock: Clock;
  config: AppConfig;
  logger: Logger;
  translator: Translator;
  plugins: PluginRegistry;
  /** What the reminders read from other areas (corrective actions, inspection corrections). */
  due: DueSources;
  /** Replaces the SMTP sender built from the configuration. */
  mailSender?: MailSender;
}

/** The reminder side of the app: reads for handlers, the inbox, the e-mail queue and the scheduler. */
export function createReminderServices(d: ReminderDeps): ReminderServices {
  const sender = d.mailSender ?? createMailSender(d.config.mail);
  const instanceId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const notifications = new NotificationsService(d.db, d.clock, () => !!sender);
  const reads = new ReminderReads(d.db, d.config.catalog.reviewMonths, d.due);
  const email = new EmailQueue(d.db, d.clock, d.logger, d.translator, sender, {
    maxAttempts: d.config.mail.maxAttempts,
    baseUrl: () => d.config.baseUrl,
    instanceId,
  });
  const scheduler = new Scheduler(
    d.plugins,
    {
      db: d.db,
      clock: d.clock,
      logger: d.logger,
      translator: d.translator,
      reads,
      notifications,
      runTimeoutMs: d.config.scheduler.runTimeoutMs,
    },
    email,
    { catchUpMs: d.config.scheduler.catchUpMs, runTimeoutMs: d.config.scheduler.runTimeoutMs, instanceId },
  );
  return { reads, notifications, scheduler };
}
