import type { Knex } from 'knex';

/**
 * Reminders and their delivery (issue 4): the scheduler's ledger of runs, the in-app inbox and
 * the e-mail queue. Never edit once merged; add a new file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scheduler_runs', (t) => {
    t.increments('id').primary();
    // `<plugin id>/<reminder id>`
    t.string('job_id', 120).notNullable();
    // The slot (ISO UTC) the run is for; for a run started by hand, the moment it was asked for.
    t.string('scheduled_for', 30).notNullable();
    // slot | manual
    t.string('kind', 10).notNullable();
    // running | ok | failed | timeout
    t.string('status', 10).notNullable();
    // The process that claimed the run (host:pid:random), to tell processes apart in the ledger.
    t.string('claimed_by', 120).notNullable();
    t.integer('requested_by').unsigned().references('id').inTable('users');
    t.string('started_at', 30).notNullable();
    t.string('finished_at', 30);
    t.integer('duration_ms');
    // Notifications the handler returned, inbox rows created, and rows already delivered before.
    t.integer('found');
    t.integer('delivered');
    t.integer('duplicates');
    t.text('error');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    // The claim: whichever process inserts this row first runs the slot; the others skip it.
    t.unique(['job_id', 'scheduled_for', 'kind']);
    t.index(['status', 'started_at']);
  });

  await knex.schema.createTable('notifications', (t) => {
    t.increments('id').primary();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    // `<plugin id>/<reminder id>` of the reminder that raised it.
    t.string('source', 120).notNullable();
    // `<plugin id>:<the handler's key>`: one user never receives the same key twice.
    t.string('dedupe_key', 300).notNullable();
    t.string('title_vi', 500).notNullable();
    t.string('title_en', 500).notNullable();
    t.text('body_vi');
    t.text('body_en');
    t.string('link', 500);
    t.string('due_date', 10);
    t.integer('run_id').unsigned().references('id').inTable('scheduler_runs').onDelete('SET NULL');
    t.string('read_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['user_id', 'dedupe_key']);
    // The header's unread count on every page: an index-only count.
    t.index(['user_id', 'read_at']);
    t.index(['user_id', 'id']);
  });

  await knex.schema.createTable('notification_deliveries', (t) => {
    t.increments('id').primary();
    t.integer('notification_id').unsigned().notNullable().unique().references('id').inTable('notifications').onDelete('CASCADE');
    t.string('channel', 10).notNullable().defaultTo('email');
    t.string('address', 254).notNullable();
    // pending | sent | failed (given up) | skipped (the user turned e-mail off before it left)
    t.string('status', 10).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.text('last_error');
    // A process sending it holds it until this time, so two processes never send one e-mail twice.
    t.string('locked_by', 120);
    t.string('locked_until', 30);
    t.string('sent_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['status', 'next_attempt_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['notification_deliveries', 'notifications', 'scheduler_runs']) await knex.schema.dropTableIfExists(t);
}
