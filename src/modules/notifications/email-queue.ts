import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../../lib/clock.ts';
import type { Translator } from '../../lib/i18n.ts';
import { iso } from '../../lib/time.ts';
import * as repo from './deliveries.repository.ts';
import { composeEmail, MailError, type MailSender } from './email.ts';
import type { MailOverview } from './notifications.types.ts';

/** The wait after the n-th failed attempt: 1, 2, 4, 8... minutes, at most six hours. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

export interface EmailQueueOptions {
  maxAttempts: number;
  /** Read at each send: with PORT=0 the address is known only once the server listens. */
  baseUrl: () => string;
  /** Who this process is, in the lock column. */
  instanceId: string;
  /** How long a process may hold an e-mail it is sending. */
  leaseMs?: number;
}

export interface DrainReport {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

/**
 * The e-mail queue: each notification's e-mail is a row that any process may take (with a lock),
 * send, and settle. A failed attempt is retried with back-off until `maxAttempts`; a permanent
 * refusal (SMTP 5xx) is given up at once. Times come from the injected clock.
 */
export class EmailQueue {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly translator: Translator,
    private readonly sender: MailSender | undefined,
    private readonly opts: EmailQueueOptions,
  ) {}

  get configured(): boolean {
    return !!this.sender;
  }

  /** Sends what is due, at most `limit` e-mails (the rest waits for the next tick). */
  async drain(limit = 200): Promise<DrainReport> {
    const report: DrainReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
    if (!this.sender) return report;
    const now = this.clock.now();
    const at = iso(now);
    const until = iso(new Date(now.getTime() + (this.opts.leaseMs ?? 10 * 60_000)));
    for (const id of await repo.dueIds(this.db, at, limit)) {
      if (!(await repo.lock(this.db, id, this.opts.instanceId, at, until))) continue;
      const o = await repo.outgoing(this.db, id);
      if (!o) continue;
      // The user may have turned e-mail off, or been deactivated, since the notification came.
      if (!o.user.isActive || !o.user.emailNotifications || !o.user.email) {
        await repo.settle(this.db, id, { status: 'skipped', attempts: o.attempts }, at);
        report.skipped++;
        continue;
      }
      const attempts = o.attempts + 1;
      try {
        await this.sender.send(composeEmail({ ...o, address: o.user.email }, this.translator, this.opts.baseUrl()));
        await repo.settle(this.db, id, { status: 'sent', attempts, sentAt: iso(this.clock.now()) }, iso(this.clock.now()));
        report.sent++;
      } catch (err) {
        const message = (err as Error).message;
        const giveUp = (err instanceof MailError && err.permanent) || attempts >= this.opts.maxAttempts;
        const next = iso(new Date(this.clock.now().getTime() + backoffMs(attempts)));
        await repo.settle(
          this.db,
          id,
          { status: giveUp ? 'failed' : 'pending', attempts, nextAttemptAt: giveUp ? undefined : next, lastError: message },
          iso(this.clock.now()),
        );
        this.logger.warn({ delivery: id, attempts, giveUp, err: message }, giveUp ? 'e-mail given up' : 'e-mail failed, will retry');
        if (giveUp) report.failed++;
        else report.retrying++;
      }
    }
    return report;
  }

  async overview(limit = 20): Promise<MailOverview> {
    return { configured: this.configured, counts: await repo.countsByStatus(this.db), problems: await repo.problems(this.db, limit) };
  }

  close(): void {
    this.sender?.close();
  }
}
