import type { Knex } from 'knex';

/**
 * A covering index for the catalog search on SQLite (measured on the national bench data set,
 * docs/bench.md): a province-wide search (`search_text LIKE '%dang ky khai sinh%'`) tests every
 * procedure of the province's units, some 20,000 rows. Read from the table, each test pulls the
 * whole wide row; from this index, only the unit, the folded text, the code (order and exact
 * match) and the linked TTHC (the list's join) are read. Never edit once merged.
 *
 * SQLite only: on PostgreSQL a B-tree entry is limited to about 2.7 kB and `search_text` may hold
 * 1,200 characters, several bytes each outside ASCII, so such an index could refuse a long title;
 * there the search would want a trigram (GIN) index instead, which is a separate decision.
 */
const name = 'procedures_search_index';

const isSqlite = (knex: Knex) => String((knex.client as { config: { client: string } }).config.client).includes('sqlite');

export async function up(knex: Knex): Promise<void> {
  if (!isSqlite(knex)) return;
  await knex.schema.alterTable('procedures', (t) => {
    t.index(['unit_id', 'is_template', 'search_text', 'code', 'tthc_id'], name);
  });
}

export async function down(knex: Knex): Promise<void> {
  if (!isSqlite(knex)) return;
  await knex.schema.alterTable('procedures', (t) => {
    t.dropIndex(['unit_id', 'is_template', 'search_text', 'code', 'tthc_id'], name);
  });
}
