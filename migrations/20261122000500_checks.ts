import type { Knex } from 'knex';

/**
 * Compliance checks and internal audits (issue 5, first slice): the planned check with a frozen
 * copy of its form, its auditors, one answer row per item, and the findings raised on submit.
 * Never edit once merged; add a new file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('checks', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.string('form_id', 80).notNullable();
    t.integer('form_version').notNullable();
    // The form definition as it was when the check was planned: a later version of the form
    // never changes what this check was answered against.
    t.text('form_json').notNullable();
    t.string('check_date', 10).notNullable();
    // planned | unannounced
    t.string('kind', 12).notNullable();
    // planned | in_progress | submitted
    t.string('status', 12).notNullable();
    t.integer('created_by').unsigned().references('id').inTable('users');
    t.integer('submitted_by').unsigned().references('id').inTable('users');
    t.string('submitted_at', 30);
    // Overall score in percent at submit (null when nothing was scorable).
    t.float('score');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['unit_id', 'check_date']);
  });

  await knex.schema.createTable('check_auditors', (t) => {
    t.integer('check_id').unsigned().notNullable().references('id').inTable('checks').onDelete('CASCADE');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.primary(['check_id', 'user_id']);
  });

  await knex.schema.createTable('check_answers', (t) => {
    t.increments('id').primary();
    t.integer('check_id').unsigned().notNullable().references('id').inTable('checks').onDelete('CASCADE');
    t.string('section_id', 80).notNullable();
    t.string('item_id', 80).notNullable();
    // The answer as text (numbers as decimal text); null when only a note was given.
    t.text('value');
    t.text('note');
    t.integer('answered_by').unsigned().notNullable().references('id').inTable('users');
    t.string('answered_at', 30).notNullable();
    // Bumped on every save: tells a client whether the answer it shows is still the last one.
    t.integer('version').notNullable().defaultTo(1);
    // One row per item: two auditors saving the same item meet here, and the later save wins.
    t.unique(['check_id', 'item_id']);
  });

  await knex.schema.createTable('check_findings', (t) => {
    t.increments('id').primary();
    t.integer('check_id').unsigned().notNullable().references('id').inTable('checks').onDelete('CASCADE');
    t.string('section_id', 80).notNullable();
    t.string('item_id', 80).notNullable();
    // major | minor | observation
    t.string('severity', 12).notNullable();
    // The ISO clause or legal reference of the item.
    t.string('clause_ref', 80).notNullable();
    t.text('answer');
    // automatic (from the form's rules); findings added by hand come in a later slice.
    t.string('source', 12).notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['check_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('check_findings');
  await knex.schema.dropTableIfExists('check_answers');
  await knex.schema.dropTableIfExists('check_auditors');
  await knex.schema.dropTableIfExists('checks');
}
