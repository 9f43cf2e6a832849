import { nextRun, type CronSchedule } from '../../plugins/cron.ts';

/**
 * The slots of a schedule strictly after `after` and no later than `upTo`, oldest first, at most
 * `max` of them. `after` is the last slot already claimed, or the start of the catch-up window.
 */
export function dueSlots(schedule: CronSchedule, after: Date, upTo: Date, max: number): Date[] {
  const out: Date[] = [];
  let cursor = after;
  while (out.length < max) {
    const next = nextRun(schedule, cursor);
    if (!next || next.getTime() > upTo.getTime()) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

/** Every slot of a schedule in `(from, to]`: what a test expects the scheduler to have run. */
export function slotsBetween(schedule: CronSchedule, from: Date, to: Date): Date[] {
  return dueSlots(schedule, from, to, Number.MAX_SAFE_INTEGER);
}
