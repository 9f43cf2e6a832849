import type { Knex } from 'knex';

/**
 * A province's TTHC list as the national database publishes it: a procedure may be carried out
 * at several levels (`levels`, the codes comma-separated; `level` stays the first of them), may
 * have no national code yet (a local code is proposed and `no_national_code` set), and states its
 * time limit and fees as text (`time_text`, with the working days read from it in `time_days`,
 * comma-separated, the smallest of which is `legal_days`; `fee_amount` in đồng when readable).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tthc', (t) => {
    t.string('levels', 100);
    t.boolean('no_national_code').notNullable().defaultTo(false);
    t.text('time_text');
    t.string('time_days', 200);
    t.double('fee_amount');
  });
  await knex('tthc').update({ levels: knex.ref('level') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tthc', (t) => {
    t.dropColumn('fee_amount');
    t.dropColumn('time_days');
    t.dropColumn('time_text');
    t.dropColumn('no_national_code');
    t.dropColumn('levels');
  });
}
