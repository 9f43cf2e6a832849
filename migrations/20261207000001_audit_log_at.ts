import type { Knex } from 'knex';

/** The audit log is filtered by a date range (local days turned into UTC instants). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.index(['at'], 'audit_log_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropIndex(['at'], 'audit_log_at_index');
  });
}
