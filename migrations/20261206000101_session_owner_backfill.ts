import type { Knex } from 'knex';

/** Sessions that existed before they named their user get it from their passport JSON (data only). */
export async function up(knex: Knex): Promise<void> {
  const rows = (await knex('sessions').whereNull('user_id').select('sid', 'sess')) as Array<{ sid: string; sess: string }>;
  for (const r of rows) {
    let user: unknown;
    try {
      user = (JSON.parse(r.sess) as { passport?: { user?: unknown } }).passport?.user;
    } catch {
      continue;
    }
    if (Number.isInteger(user)) await knex('sessions').where('sid', r.sid).update({ user_id: user });
  }
}

/** Nothing to undo: the column goes with the previous migration's down. */
export async function down(): Promise<void> {}
