import type { Knex } from 'knex';

/**
 * Discipline and public-service ethics inspections (issue 6): teams and their yearly plans, the
 * units' staff lists, the inspection on site (attendance, answers, photos), the record's
 * violations, the conclusion and its required corrections. Never edit once merged; add a new file.
 */
const stamps = (t: Knex.CreateTableBuilder) => {
  t.string('created_at', 30).notNullable();
  t.string('updated_at', 30).notNullable();
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inspection_teams', (t) => {
    t.increments('id').primary();
    // The province (or any unit) whose coordinators formed the team.
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.string('name', 200).notNullable();
    t.integer('year').notNullable();
    t.integer('created_by').unsigned().references('id').inTable('users');
    stamps(t);
    t.string('deleted_at', 30);
    t.index(['unit_id', 'year']);
  });
  await knex.schema.createTable('inspection_team_members', (t) => {
    t.increments('id').primary();
    t.integer('team_id').unsigned().notNullable().references('id').inTable('inspection_teams').onDelete('CASCADE');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.boolean('is_leader').notNullable().defaultTo(false);
    t.unique(['team_id', 'user_id']);
    t.index(['user_id']);
  });
  await knex.schema.createTable('inspection_team_units', (t) => {
    t.increments('id').primary();
    t.integer('team_id').unsigned().notNullable().references('id').inTable('inspection_teams').onDelete('CASCADE');
    // The root of a subtree the team may inspect.
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.unique(['team_id', 'unit_id']);
  });
  await knex.schema.createTable('inspection_plans', (t) => {
    t.increments('id').primary();
    t.integer('team_id').unsigned().notNullable().references('id').inTable('inspection_teams');
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.integer('year').notNullable();
    stamps(t);
    t.unique(['team_id', 'year']);
  });
  await knex.schema.createTable('inspection_plan_items', (t) => {
    t.increments('id').primary();
    t.integer('plan_id').unsigned().notNullable().references('id').inTable('inspection_plans').onDelete('CASCADE');
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.integer('month').notNullable();
    t.string('theme', 500).notNullable();
    t.integer('inspection_id').unsigned();
    stamps(t);
    t.index(['plan_id', 'month']);
  });
  await knex.schema.createTable('unit_officials', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.string('full_name', 200).notNullable();
    t.string('position', 200).notNullable();
    t.string('department', 200);
    t.string('badge_no', 60);
    // Name and position folded (case, diacritics), for the "added twice" rule.
    t.string('person_key', 420).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    stamps(t);
    t.string('deleted_at', 30);
    t.index(['unit_id', 'person_key']);
    t.index(['unit_id', 'badge_no']);
  });
  await knex.schema.createTable('inspections', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.integer('team_id').unsigned().notNullable().references('id').inTable('inspection_teams');
    // planned | unannounced
    t.string('kind', 12).notNullable();
    t.integer('plan_item_id').unsigned();
    t.string('form_id', 80).notNullable();
    t.integer('form_version').notNullable();
    // The form as it was when the inspection started (later versions never change it).
    t.text('form_json').notNullable();
    // on_site | record_closed | concluded
    t.string('status', 16).notNullable();
    t.string('inspection_date', 10).notNullable();
    // Year and month of the inspection date, for the statistics.
    t.integer('year').notNullable();
    t.integer('month').notNullable();
    t.string('arrived_at', 30);
    t.string('closed_at', 30);
    t.string('team_leader_name', 200);
    t.string('unit_representative_name', 200);
    t.integer('earlier_inspection_id').unsigned().references('id').inTable('inspections');
    t.integer('created_by').unsigned().references('id').inTable('users');
    stamps(t);
    t.string('deleted_at', 30);
    t.index(['unit_id', 'inspection_date']);
    t.index(['team_id']);
    t.index(['year', 'month']);
  });
  await knex.schema.createTable('inspection_attendance', (t) => {
    t.increments('id').primary();
    t.integer('inspection_id').unsigned().notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    // Null for someone not on the staff list, added by name on site.
    t.integer('official_id').unsigned().references('id').inTable('unit_officials');
    t.string('full_name', 200).notNullable();
    t.string('position', 200);
    t.string('badge_no', 60);
    // Null until marked: present | absent_with_reason | absent_without_reason | late
    t.string('presence', 24);
    t.text('reason');
    t.integer('seq').notNullable();
    stamps(t);
    t.index(['inspection_id']);
  });
  await knex.schema.createTable('inspection_answers', (t) => {
    t.increments('id').primary();
    t.integer('inspection_id').unsigned().notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    // The person answered for (the attendance row); null for office and one-stop items.
    t.integer('attendance_id').unsigned().references('id').inTable('inspection_attendance').onDelete('CASCADE');
    // 'unit' or 'a<attendance id>': NULLs are never equal in a unique index, so this key is.
    t.string('subject', 24).notNullable();
    t.string('item_id', 80).notNullable();
    t.text('value');
    t.text('note');
    t.integer('answered_by').unsigned().notNullable().references('id').inTable('users');
    t.string('answered_at', 30).notNullable();
    t.unique(['inspection_id', 'subject', 'item_id']);
  });
  await knex.schema.createTable('inspection_violations', (t) => {
    t.increments('id').primary();
    t.integer('inspection_id').unsigned().notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    // The official (personal data: see the privacy rule in docs/architecture.md); null for the unit.
    t.integer('attendance_id').unsigned().references('id').inTable('inspection_attendance');
    t.integer('official_id').unsigned().references('id').inTable('unit_officials');
    t.string('full_name', 200);
    t.string('item_id', 80).notNullable();
    // What was violated: the item id, or for attendance the answer (late, absent-unexcused...).
    t.string('kind', 80).notNullable();
    t.string('severity', 12).notNullable();
    t.text('answer');
    t.integer('year').notNullable();
    t.integer('month').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['inspection_id']);
    t.index(['year', 'month']);
    t.index(['unit_id']);
  });
  await knex.schema.createTable('inspection_conclusions', (t) => {
    t.increments('id').primary();
    t.integer('inspection_id').unsigned().notNullable().unique().references('id').inTable('inspections').onDelete('CASCADE');
    t.text('text').notNullable();
    t.string('concluded_at', 30).notNullable();
    t.integer('concluded_by').unsigned().references('id').inTable('users');
    stamps(t);
  });
  await knex.schema.createTable('inspection_files', (t) => {
    t.increments('id').primary();
    t.integer('inspection_id').unsigned().notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.string('item_id', 80);
    t.string('file_name', 255).notNullable();
    t.string('mime', 100).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable();
    t.integer('uploaded_by').unsigned().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.index(['inspection_id']);
  });
  await knex.schema.createTable('inspection_corrections', (t) => {
    t.increments('id').primary();
    t.integer('inspection_id').unsigned().notNullable().references('id').inTable('inspections').onDelete('CASCADE');
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units');
    t.text('text').notNullable();
    t.string('responsible', 200).notNullable();
    t.string('deadline', 10).notNullable();
    // open | answered | accepted | returned
    t.string('status', 12).notNullable();
    t.text('answer');
    t.string('answered_at', 30);
    t.integer('answered_by').unsigned().references('id').inTable('users');
    t.integer('evidence_file_id').unsigned().references('id').inTable('inspection_files');
    t.text('review_note');
    t.integer('reviewed_by').unsigned().references('id').inTable('users');
    t.string('reviewed_at', 30);
    stamps(t);
    t.index(['inspection_id']);
    t.index(['status', 'deadline']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'inspection_corrections',
    'inspection_files',
    'inspection_conclusions',
    'inspection_violations',
    'inspection_answers',
    'inspection_attendance',
    'inspections',
    'unit_officials',
    'inspection_plan_items',
    'inspection_plans',
    'inspection_team_units',
    'inspection_team_members',
    'inspection_teams',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
