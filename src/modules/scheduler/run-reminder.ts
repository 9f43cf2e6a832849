import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../../lib/clock.ts';
import type { Translator } from '../../lib/i18n.ts';
import { iso } from '../../lib/time.ts';
import { TimedOut, withTimeout } from '../../kernel/timeout.ts';
import type { ReminderContext, ReminderQueries } from '../../plugins/contract.ts';
import { pluginDb } from '../../plugins/plugin-db.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import * as runs from './runs.repository.ts';
import type { Job, RunView } from './scheduler.types.ts';

export interface RunDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  translator: Translator;
  reads: ReminderQueries;
  notifications: NotificationsService;
  runTimeoutMs: number;
}

/**
 * One claimed run: hand the handler its context, wait for its drafts (within the time limit),
 * deliver them, and record the outcome and counts. Never throws: a failing handler is a failed
 * run in the ledger, and the scheduler goes on with the next one.
 */
export async function executeRun(deps: RunDeps, job: Job, runId: number, scheduledFor: Date): Promise<RunView> {
  const { db, clock, translator } = deps;
  const logger = deps.logger.child({ plugin: job.pluginId, reminder: job.reminder.id, run: runId });
  const controller = new AbortController();
  const ctx: ReminderContext = {
    pluginId: job.pluginId,
    reminderId: job.reminder.id,
    scheduledFor,
    now: () => clock.now(),
    settings: job.settings,
    logger,
    reads: deps.reads,
    db: pluginDb(db, job.pluginId, job.dependsOn),
    t: (locale, key, params) => translator.t(locale, `p.${job.pluginId}.${key}`, params),
    signal: controller.signal,
  };
  const started = performance.now();
  const finish = (r: Omit<Parameters<typeof runs.finish>[2], 'at' | 'durationMs'>) =>
    runs.finish(db, runId, { ...r, at: iso(clock.now()), durationMs: performance.now() - started });
  try {
    const drafts = await withTimeout(() => job.reminder.handler(ctx), deps.runTimeoutMs, controller, 'the handler');
    if (!Array.isArray(drafts)) throw new Error('the handler must return an array of notifications');
    const out = await deps.notifications.deliver(drafts, { pluginId: job.pluginId, source: job.id, runId });
    const error = out.invalid.length ? `${out.invalid.length} notification(s) refused: ${out.invalid.slice(0, 5).join(' | ')}` : null;
    await finish({ status: error ? 'failed' : 'ok', found: out.drafts, delivered: out.created, duplicates: out.duplicates, error });
    logger.info(
      { slot: iso(scheduledFor), found: out.drafts, created: out.created, duplicates: out.duplicates, emails: out.emails, unaddressed: out.unaddressed },
      `reminder ${job.id} ran`,
    );
  } catch (err) {
    const timedOut = err instanceof TimedOut;
    const message = (err as Error)?.message ?? String(err);
    await finish({ status: timedOut ? 'timeout' : 'failed', error: message });
    logger.warn({ slot: iso(scheduledFor), err: message }, `reminder ${job.id} ${timedOut ? 'timed out' : 'failed'}`);
  }
  return (await runs.findRun(db, runId)) as RunView;
}
