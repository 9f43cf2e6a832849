import type { Db } from '../../kernel/db.ts';

/**
 * Sign-in and API-token throttling, kept in the database so that every app process counts the
 * same attempts. A key (`acct:<username>`, `addr:<ip>`, `tok:<ip>`) allows `limit` attempts per
 * window; the attempt that uses the last one locks the key for one window from then on.
 *
 * An attempt takes its slot BEFORE the password is checked, in one guarded statement: reading a
 * lock and then counting the failure (two steps) let 100 attempts sent at once all pass the read
 * and all be checked. With the slot taken first, N attempts at once check at most `limit`
 * passwords on SQLite and PostgreSQL alike: `on conflict do update ... where` locks the key's
 * row and evaluates the guard on its latest version (ADR 006, single guarded statements).
 */
export interface Slot {
  key: string;
  windowStart: number;
}

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** Takes one attempt of `key`, or returns undefined when the key is locked or used up. */
export async function reserveAttempt(db: Db, key: string, limit: number, windowMs: number, nowMs: number): Promise<Slot | undefined> {
  const lockAt = nowMs + windowMs;
  // Parameters are cast: PostgreSQL cannot infer a type for a bare parameter inside CASE.
  const expired = 'login_throttle.window_start + cast(? as bigint) <= cast(? as bigint)';
  const result = await db.raw(
    `insert into login_throttle (key, failures, window_start, locked_until) values (?, 1, ?, ?)
     on conflict (key) do update set
       failures = case when ${expired} then 1 else login_throttle.failures + 1 end,
       window_start = case when ${expired} then cast(? as bigint) else login_throttle.window_start end,
       locked_until = case when (case when ${expired} then 1 else login_throttle.failures + 1 end) >= cast(? as integer)
         then cast(? as bigint) else null end
     where (login_throttle.locked_until is null or login_throttle.locked_until <= cast(? as bigint))
       and (${expired} or login_throttle.failures < cast(? as integer))
     returning window_start`,
    [key, nowMs, limit <= 1 ? lockAt : null, windowMs, nowMs, windowMs, nowMs, nowMs, windowMs, nowMs, limit, lockAt, nowMs, windowMs, nowMs, limit],
  );
  const [row] = rowsOf<{ window_start: unknown }>(result);
  return row ? { key, windowStart: Number(row.window_start) } : undefined;
}

/**
 * Gives a slot back (the password was right, or another key refused the attempt), unless its
 * window has been restarted meanwhile. Failures of other attempts in the window stay counted:
 * a slot cannot tell a failed attempt from one still being checked, and forgetting those would
 * reopen the door to attempts in flight.
 */
export async function releaseAttempt(db: Db, slot: Slot, limit: number): Promise<void> {
  await db('login_throttle')
    .where({ key: slot.key, window_start: slot.windowStart })
    .where('failures', '>', 0)
    .update({
      failures: db.raw('failures - 1'),
      locked_until: db.raw('case when failures - 1 >= cast(? as integer) then locked_until else null end', [limit]),
    });
}

/** The latest lock among `keys` still in force at `nowMs`, or null. */
export async function lockedUntil(db: Db, keys: string[], nowMs: number): Promise<number | null> {
  const rows = (await db('login_throttle').whereIn('key', keys).where('locked_until', '>', nowMs).select('locked_until')) as Array<{ locked_until: unknown }>;
  if (rows.length === 0) return null;
  return Math.max(...rows.map((r) => Number(r.locked_until)));
}
