import type { CronSchedule } from '../../plugins/cron.ts';
import type { PluginSettings, ReminderDefinition } from '../../plugins/contract.ts';

/** One reminder of one loaded plugin, as the scheduler runs it. */
export interface Job {
  /** `<plugin id>/<reminder id>` */
  id: string;
  pluginId: string;
  reminder: ReminderDefinition;
  schedule: CronSchedule;
  settings: PluginSettings;
  /** The plugins whose tables its handle may also use. */
  dependsOn: readonly string[];
}

export type RunKind = 'slot' | 'manual';
export type RunStatus = 'running' | 'ok' | 'failed' | 'timeout';

/** A row of the run ledger, as the admin page and the API show it. */
export interface RunView {
  id: number;
  jobId: string;
  scheduledFor: string;
  kind: RunKind;
  status: RunStatus;
  claimedBy: string;
  requestedBy: number | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** Notifications the handler returned. */
  found: number | null;
  /** Inbox rows created by the run. */
  delivered: number | null;
  /** Rows skipped because the user already had that key. */
  duplicates: number | null;
  error: string | null;
}

export interface SchedulerOptions {
  /** How far back missed slots are still run after downtime. */
  catchUpMs: number;
  /** Time limit of one handler run. */
  runTimeoutMs: number;
  /** This process in the ledger (`claimed_by`). */
  instanceId: string;
  /** At most this many missed slots of one reminder per tick; the rest follow on the next ticks. */
  maxSlotsPerTick?: number;
}
