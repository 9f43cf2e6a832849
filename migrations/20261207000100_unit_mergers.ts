import type { Knex } from 'knex';

/**
 * A merger is an ISO event (re-declaration, QĐ 19/2014): each one is kept with its date, the
 * resolution that decided it when known, and the predecessors as they were named then. Procedures
 * carried over from a predecessor keep the source procedure's id (one carry-over per source per
 * unit, whatever is retried) and the words that name it ("QT-05/PK-HT lần 3").
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('unit_mergers', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.string('merged_on', 10).notNullable();
    t.string('resolution_number', 100);
    t.string('resolution_date', 10);
    // [{id, code, name}] of the predecessors, as named on the day of the merger.
    t.text('predecessors_json').notNullable();
    t.integer('created_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['unit_id']);
  });
  await knex.schema.alterTable('procedures', (t) => {
    t.integer('carried_from_id').unsigned().references('id').inTable('procedures');
    t.string('carried_from_label', 200);
    t.unique(['unit_id', 'carried_from_id'], { indexName: 'procedures_unit_carried_from_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('procedures', (t) => {
    t.dropUnique(['unit_id', 'carried_from_id'], 'procedures_unit_carried_from_unique');
    t.dropForeign(['carried_from_id']);
  });
  await knex.schema.alterTable('procedures', (t) => {
    t.dropColumn('carried_from_id');
    t.dropColumn('carried_from_label');
  });
  await knex.schema.dropTable('unit_mergers');
}
