import type { Knex } from 'knex';

/**
 * Corrective actions (ISO 9001 clause 10.2), management reviews (9.3) and the yearly audit
 * programme (9.2) (issue 5, actions area). Findings gain an open/closed status that is closed by
 * hand, and for a major finding only once every action on it was verified effective.
 * Never edit once merged; add a new file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('check_findings', (t) => {
    // open | closed
    t.string('status', 10).notNullable().defaultTo('open');
    t.string('closed_at', 30);
    t.integer('closed_by').unsigned().references('id').inTable('users');
  });

  await knex.schema.createTable('corrective_actions', (t) => {
    t.increments('id').primary();
    t.integer('finding_id').unsigned().notNullable().references('id').inTable('check_findings');
    // The finding's unit, kept here so that scope filters and lists need no join through checks.
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.text('cause').notNullable();
    t.text('action').notNullable();
    t.integer('owner_id').unsigned().notNullable().references('id').inTable('users');
    t.string('due_date', 10).notNullable();
    // open | in_progress | done | verified | reopened
    t.string('status', 12).notNullable();
    t.string('done_at', 30);
    t.integer('verified_by').unsigned().references('id').inTable('users');
    t.string('verified_at', 30);
    t.text('verification_note');
    t.integer('created_by').unsigned().references('id').inTable('users');
    // Optimistic concurrency: a transition names the version it saw.
    t.integer('version').notNullable().defaultTo(1);
    t.string('deleted_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['finding_id']);
    t.index(['unit_id', 'status']);
    // The reminders and the overdue filter read by status and due date over every unit.
    t.index(['status', 'due_date']);
    t.index(['owner_id']);
  });

  await knex.schema.createTable('management_reviews', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.string('review_date', 10).notNullable();
    // draft | final: a final review is the record and no longer changes.
    t.string('status', 10).notNullable();
    // The inputs as compiled from the data when the review was created (a snapshot).
    t.text('inputs_json').notNullable();
    t.text('decisions');
    t.text('attendees');
    t.string('chaired_by', 200);
    t.integer('created_by').unsigned().references('id').inTable('users');
    t.integer('finalised_by').unsigned().references('id').inTable('users');
    t.string('finalised_at', 30);
    t.string('deleted_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['unit_id', 'review_date']);
  });

  await knex.schema.createTable('audit_programmes', (t) => {
    t.increments('id').primary();
    // A unit, or a province whose programme lists its units.
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.integer('year').notNullable();
    t.integer('created_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['unit_id', 'year']);
  });

  await knex.schema.createTable('audit_programme_items', (t) => {
    t.increments('id').primary();
    t.integer('programme_id').unsigned().notNullable().references('id').inTable('audit_programmes').onDelete('CASCADE');
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.integer('planned_month').notNullable();
    t.string('form_id', 80).notNullable();
    t.text('note');
    // Set when a check is linked by hand; otherwise the match is computed when the page is read.
    t.integer('check_id').unsigned().references('id').inTable('checks');
    t.integer('created_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['programme_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_programme_items');
  await knex.schema.dropTableIfExists('audit_programmes');
  await knex.schema.dropTableIfExists('management_reviews');
  await knex.schema.dropTableIfExists('corrective_actions');
  await knex.schema.alterTable('check_findings', (t) => {
    t.dropForeign(['closed_by']);
    t.dropColumn('status');
    t.dropColumn('closed_at');
    t.dropColumn('closed_by');
  });
}
