import type { Knex } from 'knex';

/**
 * Sign-in throttling, kept in the database so that every app process counts the same failures.
 * A key (`acct:<username>` or `addr:<ip>`) is locked for one window once it reaches its limit
 * of failures inside that window.
 */
export async function lockedUntil(db: Knex, keys: string[], nowMs: number): Promise<number | null> {
  const rows = (await db('login_throttle').whereIn('key', keys).where('locked_until', '>', nowMs).select('locked_until')) as Array<{ locked_until: unknown }>;
  if (rows.length === 0) return null;
  return Math.max(...rows.map((r) => Number(r.locked_until)));
}

export async function recordFailure(db: Knex, key: string, limit: number, windowMs: number, nowMs: number): Promise<void> {
  await db.transaction(async (trx) => {
    const row = (await trx('login_throttle').where('key', key).first()) as { failures: number; window_start: unknown } | undefined;
    const fresh = !row || Number(row.window_start) + windowMs <= nowMs;
    const failures = fresh ? 1 : Number(row.failures) + 1;
    const values = {
      key,
      failures,
      window_start: fresh ? nowMs : Number(row.window_start),
      locked_until: failures >= limit ? nowMs + windowMs : null,
    };
    await trx('login_throttle').insert(values).onConflict('key').merge();
  });
}

export async function clearFailures(db: Knex, key: string): Promise<void> {
  await db('login_throttle').where('key', key).delete();
}
