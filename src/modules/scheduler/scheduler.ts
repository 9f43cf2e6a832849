import cron, { type ScheduledTask } from 'node-cron';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { iso } from '../../lib/time.ts';
import { parseCron } from '../../plugins/cron.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { DrainReport, EmailQueue } from '../notifications/email-queue.ts';
import { executeRun, type RunDeps } from './run-reminder.ts';
import * as runs from './runs.repository.ts';
import type { Job, RunView, SchedulerOptions } from './scheduler.types.ts';
import { dueSlots } from './slots.ts';

export const timezone = 'Asia/Ho_Chi_Minh';

export interface TickReport {
  /** Runs this process claimed and ran, oldest slot first. */
  runs: RunView[];
  /** Runs found still "running" long past their time limit, now marked failed. */
  abandoned: number;
  mail: DrainReport;
}

/**
 * The one scheduler of a process. Time comes from the injected clock: `tick(now)` runs every
 * reminder slot that has come (within the catch-up window) and no process has claimed yet, then
 * sends the e-mails that are due. In production node-cron calls `tick` every minute (every
 * reminder schedule has minute resolution, so no slot is missed); tests call it after moving a
 * manual clock. Each slot is claimed by a unique row before it runs, so several processes on one
 * database run it exactly once.
 */
export class Scheduler {
  readonly jobs: Job[];
  private task: ScheduledTask | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    registry: PluginRegistry,
    private readonly deps: RunDeps,
    private readonly email: EmailQueue,
    private readonly opts: SchedulerOptions,
  ) {
    // Cron expressions were validated when the plugins loaded.
    this.jobs = registry.reminders().map(({ pluginId, reminder }) => ({
      id: `${pluginId}/${reminder.id}`,
      pluginId,
      reminder,
      schedule: parseCron(reminder.cron),
      settings: registry.get(pluginId)?.settings ?? {},
      dependsOn: registry.get(pluginId)?.manifest?.dependsOn ?? [],
    }));
  }

  get instanceId(): string {
    return this.opts.instanceId;
  }

  job(pluginId: string, reminderId: string): Job | undefined {
    return this.jobs.find((j) => j.pluginId === pluginId && j.reminder.id === reminderId);
  }

  async tick(now: Date = this.deps.clock.now()): Promise<TickReport> {
    const { db } = this.deps;
    const staleBefore = iso(new Date(now.getTime() - this.opts.runTimeoutMs - 10 * 60_000));
    const abandoned = await runs.abandonStale(db, staleBefore, iso(now), 'abandoned: the process running it stopped before it finished');
    const last = await runs.lastSlots(db);
    // At least the last two minutes, so a tick that comes a little late still finds its slot.
    const windowStart = new Date(now.getTime() - Math.max(this.opts.catchUpMs, 120_000));
    const done: RunView[] = [];
    for (const job of this.jobs) {
      const lastSlot = last.get(job.id);
      const after = lastSlot && Date.parse(lastSlot) > windowStart.getTime() ? new Date(lastSlot) : windowStart;
      for (const slot of dueSlots(job.schedule, after, now, this.opts.maxSlotsPerTick ?? 50)) {
        const id = await runs.claim(db, { jobId: job.id, scheduledFor: iso(slot), kind: 'slot', by: this.instanceId, at: iso(this.deps.clock.now()) });
        if (id === undefined) continue; // another process has it
        done.push(await executeRun(this.deps, job, id, slot));
      }
    }
    const mail = await this.email.drain();
    return { runs: done, abandoned, mail };
  }

  /** Runs a reminder at once, claimed as a manual run of this moment (apart from its slots). */
  async runNow(pluginId: string, reminderId: string, actor?: Actor): Promise<RunView> {
    const job = this.job(pluginId, reminderId);
    if (!job) throw new AppError('NOT_FOUND');
    const now = this.deps.clock.now();
    const at = iso(now);
    const id = await this.deps.db.transaction(async (trx) => {
      const claimed = await runs.claim(trx, { jobId: job.id, scheduledFor: at, kind: 'manual', by: this.instanceId, requestedBy: actor?.user.id, at });
      if (claimed === undefined) throw new AppError('CONFLICT');
      await writeAudit(trx, {
        at,
        userId: actor?.user.id ?? null,
        action: 'run',
        entity: 'reminder_run',
        entityId: claimed,
        unitId: null,
        after: { reminder: job.id },
        requestId: actor?.requestId,
      });
      return claimed;
    });
    return executeRun(this.deps, job, id, now);
  }

  recentRuns(limit = 5): Promise<Map<string, RunView[]>> {
    return runs.recentRuns(
      this.deps.db,
      this.jobs.map((j) => j.id),
      limit,
    );
  }

  findRun(id: number): Promise<RunView | undefined> {
    return runs.findRun(this.deps.db, id);
  }

  mailOverview() {
    return this.email.overview();
  }

  /** Starts node-cron and catches up at once on what was missed while the app was down. */
  start(): void {
    if (this.task) return;
    this.task = cron.schedule('* * * * *', () => this.trigger(), { timezone, name: 'isotrack-reminders', noOverlap: true });
    void this.trigger();
  }

  /** A tick from the timer: skipped while the previous one still works (a long e-mail queue). */
  private trigger(): Promise<void> {
    this.ticking ??= this.tick()
      .then((r) => {
        if (r.runs.length || r.abandoned || r.mail.sent || r.mail.retrying || r.mail.failed) {
          this.deps.logger.info(
            { runs: r.runs.map((x) => `${x.jobId}@${x.scheduledFor}:${x.status}`), abandoned: r.abandoned, mail: r.mail },
            'scheduler tick',
          );
        }
      })
      .catch((err: unknown) => this.deps.logger.error({ err }, 'scheduler tick failed'))
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  /** Stops the timer and waits for the tick in progress. */
  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) await task.destroy();
    await this.ticking;
    this.email.close();
  }
}
