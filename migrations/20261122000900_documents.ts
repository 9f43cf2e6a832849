import type { Knex } from 'knex';

/**
 * Printable documents (issue 7): drafts with their editable fields, approval, issue with the PDF
 * stored once and its SHA-256, and on the unit the declaration in force.
 * Never edit once merged; add a new file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('documents', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    // declaration | redeclaration | document-set-decision | yearly-report | audit-report | ... (plugins add more)
    t.string('type', 80).notNullable();
    t.integer('year').notNullable();
    t.integer('number_seq').notNullable();
    // `05/QĐ-UBND`
    t.string('number_text', 80).notNullable();
    // draft | approved | issued
    t.string('status', 12).notNullable();
    // The editable fields (subject, legal bases, articles, signer, recipients...) and, once
    // issued, the facts printed (annex rows, figures) so the record says what was declared.
    t.text('data_json').notNullable();
    t.integer('approved_by').unsigned().references('id').inTable('users');
    t.string('approved_at', 30);
    t.integer('issued_by').unsigned().references('id').inTable('users');
    t.string('issued_at', 30);
    t.string('issue_date', 10);
    t.string('sha256', 64);
    t.binary('pdf');
    t.integer('pdf_size');
    // The check, review or inspection the document prints (null for unit documents).
    t.integer('source_id');
    t.integer('created_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    // One number per unit, year and type: the second use of a number is refused.
    t.unique(['unit_id', 'year', 'type', 'number_seq']);
    t.index(['type', 'year', 'status']);
  });

  await knex.schema.alterTable('units', (t) => {
    t.string('iso_declared_on', 10);
    t.string('iso_declaration_number', 80);
    t.integer('iso_declared_document_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('units', (t) => {
    t.dropColumn('iso_declared_on');
    t.dropColumn('iso_declaration_number');
    t.dropColumn('iso_declared_document_id');
  });
  await knex.schema.dropTableIfExists('documents');
}
