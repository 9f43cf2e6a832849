import type { Knex } from 'knex';

/**
 * Covering indexes for the inspection statistics (issue 6): each grouping of a year's violations
 * (by type, by unit, by official across inspections) and of a year's inspections (by month and
 * kind) reads one index and never the table. Measured with bench/inspections-bench.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inspection_violations', (t) => {
    t.index(['year', 'kind'], 'inspection_violations_year_kind');
    t.index(['year', 'unit_id', 'inspection_id'], 'inspection_violations_year_unit');
    t.index(['year', 'official_id', 'inspection_id', 'unit_id'], 'inspection_violations_year_official');
  });
  await knex.schema.alterTable('inspections', (t) => {
    t.index(['year', 'month', 'kind', 'deleted_at'], 'inspections_year_month_kind');
  });
  await knex.schema.alterTable('inspection_plan_items', (t) => {
    t.index(['plan_id', 'month', 'inspection_id', 'unit_id'], 'inspection_plan_items_plan_month');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inspection_plan_items', (t) => t.dropIndex([], 'inspection_plan_items_plan_month'));
  await knex.schema.alterTable('inspections', (t) => t.dropIndex([], 'inspections_year_month_kind'));
  await knex.schema.alterTable('inspection_violations', (t) => {
    t.dropIndex([], 'inspection_violations_year_official');
    t.dropIndex([], 'inspection_violations_year_unit');
    t.dropIndex([], 'inspection_violations_year_kind');
  });
}
