import type { Knex } from 'knex';

/**
 * Citizens' satisfaction surveys (SIPAS). An answer keeps the form id, version and a copy of the
 * definition it was answered against, so later versions never change old results, and is never
 * edited. A dossier code answers once per unit (the unique key; empty codes are NULL, which both
 * engines let repeat). A call-back phone number, given only with consent (NĐ 13/2023/NĐ-CP),
 * lives in its own table, read by the unit's officer and leader only. The client address is never
 * stored: the limits count keyed hashes of it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('survey_answers', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.integer('tthc_id').unsigned().references('id').inTable('tthc');
    t.string('dossier_code', 60);
    t.string('form_id', 60).notNullable();
    t.integer('form_version').notNullable();
    t.text('definition').notNullable();
    // { itemId: 1..5 | "na" | option value | text }
    t.text('answers').notNullable();
    t.text('comment');
    // The calendar day in Viet Nam, for answers per day.
    t.string('day', 10).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['unit_id', 'dossier_code']);
    t.index(['unit_id', 'day']);
  });
  await knex.schema.createTable('survey_callbacks', (t) => {
    t.increments('id').primary();
    t.integer('answer_id').unsigned().notNullable().references('id').inTable('survey_answers');
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.string('phone', 20).notNullable();
    t.string('consent_at', 30).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['unit_id']);
  });
  await knex.schema.createTable('survey_hits', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.string('client_hash', 64).notNullable();
    t.string('at', 30).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['client_hash', 'at']);
    t.index(['unit_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('survey_hits');
  await knex.schema.dropTable('survey_callbacks');
  await knex.schema.dropTable('survey_answers');
}
