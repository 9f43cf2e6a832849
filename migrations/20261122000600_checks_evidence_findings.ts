import type { Knex } from 'knex';

/**
 * Checks, second slice (issue 5, checks area): findings added by hand, evidence files per item or
 * finding, the leader's sign-off, the procedures in scope, the link to the previous cycle, and the
 * indexes of the province-wide list (3,321 units x 5 years of checks).
 * Never edit once merged; add a new file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('check_findings', (t) => {
    t.text('description');
    t.integer('procedure_id').unsigned().references('id').inTable('procedures');
    t.integer('created_by').unsigned().references('id').inTable('users');
    // Findings are evidence of the audit: removed ones stay, marked.
    t.string('deleted_at', 30);
  });

  await knex.schema.alterTable('checks', (t) => {
    t.integer('signed_off_by').unsigned().references('id').inTable('users');
    t.string('signed_off_at', 30);
    t.integer('previous_check_id').unsigned().references('id').inTable('checks');
    // The province list filters by status, form and period over every unit in scope; the unit's
    // own page already has (unit_id, check_date).
    t.index(['check_date', 'id']);
    t.index(['status', 'check_date']);
    t.index(['form_id', 'check_date']);
    t.index(['previous_check_id']);
  });

  await knex.schema.createTable('check_files', (t) => {
    t.increments('id').primary();
    t.integer('check_id').unsigned().notNullable().references('id').inTable('checks').onDelete('CASCADE');
    // An item's evidence, or a finding's (one of the two, or neither for the check as a whole).
    t.string('item_id', 80);
    t.integer('finding_id').unsigned().references('id').inTable('check_findings');
    t.string('file_name', 255).notNullable();
    t.string('mime', 100).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable();
    t.integer('uploaded_by').unsigned().notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['check_id']);
  });

  await knex.schema.createTable('check_procedures', (t) => {
    t.integer('check_id').unsigned().notNullable().references('id').inTable('checks').onDelete('CASCADE');
    t.integer('procedure_id').unsigned().notNullable().references('id').inTable('procedures');
    t.primary(['check_id', 'procedure_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('check_procedures');
  await knex.schema.dropTableIfExists('check_files');
  await knex.schema.alterTable('checks', (t) => {
    t.dropIndex(['check_date', 'id']);
    t.dropIndex(['status', 'check_date']);
    t.dropIndex(['form_id', 'check_date']);
    t.dropIndex(['previous_check_id']);
    t.dropForeign(['signed_off_by']);
    t.dropForeign(['previous_check_id']);
    t.dropColumn('signed_off_by');
    t.dropColumn('signed_off_at');
    t.dropColumn('previous_check_id');
  });
  await knex.schema.alterTable('check_findings', (t) => {
    t.dropForeign(['procedure_id']);
    t.dropForeign(['created_by']);
    t.dropColumn('description');
    t.dropColumn('procedure_id');
    t.dropColumn('created_by');
    t.dropColumn('deleted_at');
  });
}
