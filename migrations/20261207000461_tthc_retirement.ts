import type { Knex } from 'knex';

/**
 * A TTHC leaves the province's list by a decision of the province (Quyết định công bố bãi bỏ):
 * `retired_at` (the date, DD/MM/YYYY shown) already exists; the decision's number and date are kept
 * beside it, so the list and each unit's re-declaration can name it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tthc', (t) => {
    t.string('retired_decision_no', 100);
    t.string('retired_decision_date', 10);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tthc', (t) => {
    t.dropColumn('retired_decision_date');
    t.dropColumn('retired_decision_no');
  });
}
