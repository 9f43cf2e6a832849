import type { Knex } from 'knex';

/**
 * The process catalog (issue 3): the province's TTHC lists and what each unit adopted, the units'
 * procedures with their revisions (document control, ISO 9001 clause 7.5), steps, forms and
 * records, attached files, quality policy and yearly objectives. Never edit once merged.
 *
 * `procedures.head_revision_id` and `issued_revision_id` are plain integers, not foreign keys:
 * the two tables point at each other, and PostgreSQL needs a referenced table to exist first.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tthc', (t) => {
    t.increments('id').primary();
    // The province whose list this TTHC belongs to (the list is provincial, DOMAIN.md).
    t.integer('province_id').unsigned().notNullable().references('id').inTable('units');
    t.string('code', 30).notNullable();
    t.string('name', 500).notNullable();
    t.string('field', 200).notNullable();
    // province | commune
    t.string('level', 20).notNullable();
    // Legal processing time in working days; null when the law sets none.
    t.double('legal_days');
    t.text('fees');
    t.text('legal_basis');
    // none | partial | full (dịch vụ công trực tuyến một phần / toàn trình)
    t.string('online_level', 20).notNullable().defaultTo('none');
    t.string('search_text', 800).notNullable();
    t.string('retired_at', 30);
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['province_id', 'code']);
    t.index(['province_id', 'field']);
  });

  await knex.schema.createTable('unit_tthc', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.integer('tthc_id').unsigned().notNullable().references('id').inTable('tthc');
    t.string('adopted_at', 30).notNullable();
    // Dropping keeps the row (the scope history matters for re-declaration).
    t.string('dropped_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['unit_id', 'tthc_id']);
    t.index(['tthc_id']);
  });

  await knex.schema.createTable('catalog_files', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.string('file_name', 255).notNullable();
    t.string('mime', 100).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable();
    t.integer('uploaded_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['unit_id']);
  });

  await knex.schema.createTable('procedures', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    // Fixed once the procedure has been issued: a new code is a new document.
    t.string('code', 50).notNullable();
    t.string('title', 500).notNullable();
    // tthc | document_control | internal_audit | management_review | nonconformity | risks | other
    t.string('kind', 30).notNullable();
    t.integer('tthc_id').unsigned().references('id').inTable('tthc');
    t.boolean('is_template').notNullable().defaultTo(false);
    t.integer('template_id').unsigned().references('id').inTable('procedures');
    t.integer('template_revision_no');
    // draft | in_review | approved | issued | withdrawn: issued while a revision is in force.
    t.string('status', 20).notNullable();
    // The status of a revision being prepared next to the one in force (null when none).
    t.string('pending_status', 20);
    t.integer('head_revision_id');
    t.integer('issued_revision_id');
    t.integer('revision_no');
    t.string('issue_date', 10);
    t.string('last_reviewed_on', 10);
    // Sum of the step times of the head revision, for the over-time flag in lists.
    t.double('total_days');
    t.string('search_text', 1200).notNullable();
    t.integer('created_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['unit_id', 'code']);
    t.index(['unit_id', 'status']);
    t.index(['tthc_id']);
    t.index(['template_id']);
  });

  await knex.schema.createTable('procedure_revisions', (t) => {
    t.increments('id').primary();
    t.integer('procedure_id').unsigned().notNullable().references('id').inTable('procedures').onDelete('CASCADE');
    t.integer('revision_no').notNullable();
    // draft | in_review | approved | issued | superseded | withdrawn
    t.string('status', 20).notNullable();
    t.string('code', 50).notNullable();
    t.string('title', 500).notNullable();
    t.string('kind', 30).notNullable();
    t.integer('tthc_id').unsigned().references('id').inTable('tthc');
    t.text('purpose');
    t.text('scope_text');
    t.text('references_text');
    t.text('definitions');
    t.text('change_summary');
    t.text('review_note');
    t.integer('template_revision_no');
    t.double('total_days');
    for (const who of ['drafted', 'reviewed', 'approved', 'issued', 'withdrawn']) {
      t.integer(`${who}_by`).unsigned().references('id').inTable('users');
      t.string(`${who}_at`, 30);
    }
    t.string('issue_date', 10);
    t.string('superseded_at', 30);
    t.text('withdraw_reason');
    // Optimistic concurrency: a save names the version it started from.
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['procedure_id', 'revision_no']);
  });

  await knex.schema.createTable('procedure_steps', (t) => {
    t.increments('id').primary();
    t.integer('revision_id').unsigned().notNullable().references('id').inTable('procedure_revisions').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('action').notNullable();
    t.string('responsible', 300);
    t.double('days');
    t.text('output');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['revision_id', 'position']);
  });

  await knex.schema.createTable('procedure_forms', (t) => {
    t.increments('id').primary();
    t.integer('revision_id').unsigned().notNullable().references('id').inTable('procedure_revisions').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('code', 50);
    t.string('name', 300).notNullable();
    t.integer('file_id').unsigned().references('id').inTable('catalog_files');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['revision_id', 'position']);
  });

  await knex.schema.createTable('procedure_records', (t) => {
    t.increments('id').primary();
    t.integer('revision_id').unsigned().notNullable().references('id').inTable('procedure_revisions').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('name', 300).notNullable();
    t.string('keeper', 300);
    t.string('retention', 100);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['revision_id', 'position']);
  });

  await knex.schema.createTable('quality_policies', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().unique().references('id').inTable('units');
    t.text('text').notNullable();
    t.string('issued_on', 10);
    t.integer('updated_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('quality_objectives', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.integer('year').notNullable();
    t.text('objective').notNullable();
    t.text('measure');
    t.string('target', 300).notNullable();
    t.string('actual', 300);
    // null until the year is assessed.
    t.boolean('achieved');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['unit_id', 'year']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'quality_objectives',
    'quality_policies',
    'procedure_records',
    'procedure_forms',
    'procedure_steps',
    'procedure_revisions',
    'procedures',
    'catalog_files',
    'unit_tthc',
    'tthc',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
