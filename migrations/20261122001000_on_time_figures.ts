import type { Knex } from 'knex';

/**
 * On-time figures of the one-stop shop (QĐ 766/QĐ-TTg, issue 8): per unit and period, the
 * dossiers due and how each was settled, and the apology letters issued (TT 03/2025, form 04).
 * Never edit once merged; add a new file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('on_time_figures', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    // Calendar days, both included.
    t.string('period_start', 10).notNullable();
    t.string('period_end', 10).notNullable();
    // Dossiers due in the period; always early + on_time + late (the service checks it).
    t.integer('received').notNullable();
    t.integer('early').notNullable();
    t.integer('on_time').notNullable();
    t.integer('late').notNullable();
    t.integer('apologies').notNullable();
    // form | import | api
    t.string('source', 10).notNullable();
    t.integer('created_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    // The overlap check and the dashboards read a unit's periods in date order.
    t.index(['unit_id', 'period_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('on_time_figures');
}
