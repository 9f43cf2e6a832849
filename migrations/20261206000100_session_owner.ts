import type { Knex } from 'knex';

/**
 * Sessions name their user, so that a password change, a reset or a deactivation can end that
 * user's sessions with one indexed delete (a search inside the session JSON would depend on how
 * passport writes it).
 * The next migration fills it in for sessions that exist already.
 */
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('sessions', 'user_id'))) {
    await knex.schema.alterTable('sessions', (t) => {
      t.integer('user_id');
      t.index(['user_id']);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('sessions', 'user_id')) {
    await knex.schema.alterTable('sessions', (t) => {
      t.dropIndex(['user_id']);
      t.dropColumn('user_id');
    });
  }
}
