import type { Knex } from 'knex';

/**
 * Core schema of the foundation: units, users and their roles, API tokens, sessions, the audit
 * log, sign-in throttling and first-run setup tokens. Never edit once merged; add a new file.
 * Timestamps are stored as ISO-8601 strings in UTC so that both engines compare them the same way.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('units', (t) => {
    t.increments('id').primary();
    t.string('code', 50).notNullable().unique();
    t.string('name', 300).notNullable();
    // province | district | commune | ward | town | special_zone | department
    t.string('kind', 20).notNullable();
    t.integer('parent_id').unsigned().references('id').inTable('units');
    // Materialised path of ids, '/1/5/12/'; a subtree is `path LIKE '/1/5/%'`.
    t.string('path', 500).notNullable();
    t.integer('depth').notNullable();
    t.string('place_name', 200);
    t.string('active_from', 10);
    t.string('active_to', 10);
    t.integer('merged_into_id').unsigned().references('id').inTable('units');
    // not_started | building | applying | declared | needs_redeclaration
    t.string('iso_state', 30).notNullable().defaultTo('not_started');
    t.string('iso_standard', 10);
    t.string('iso_state_reason', 1000);
    t.string('iso_state_changed_at', 30);
    // Lower-case, diacritics removed: lets `dang ky` find `Đăng ký` on both engines.
    t.string('search_text', 400).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['parent_id']);
    t.index(['path']);
    t.index(['merged_into_id']);
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('username', 60).notNullable().unique();
    t.string('full_name', 200).notNullable();
    t.string('email', 254);
    t.string('password_hash', 300).notNullable();
    t.string('locale', 5).notNullable().defaultTo('vi');
    t.boolean('email_notifications').notNullable().defaultTo(true);
    t.boolean('is_active').notNullable().defaultTo(true);
    t.string('last_login_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('user_roles', (t) => {
    t.increments('id').primary();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    // admin | coordinator | officer | inspector | leader | viewer
    t.string('role', 20).notNullable();
    // null only for admin, which holds everywhere.
    t.integer('unit_id').unsigned().references('id').inTable('units');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['user_id', 'role', 'unit_id']);
    t.index(['unit_id']);
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id').primary();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('prefix', 16).notNullable();
    t.string('last_used_at', 30);
    t.string('revoked_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('sessions', (t) => {
    t.string('sid', 255).primary();
    t.text('sess').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.string('at', 30).notNullable();
    t.integer('user_id').unsigned().references('id').inTable('users');
    t.string('action', 40).notNullable();
    t.string('entity', 40).notNullable();
    t.integer('entity_id');
    // The unit the record belongs to, so coordinators see the log of their subtree.
    t.integer('unit_id').unsigned().references('id').inTable('units');
    t.text('before');
    t.text('after');
    t.string('request_id', 64);
    t.index(['entity', 'entity_id']);
    t.index(['user_id']);
    t.index(['unit_id']);
  });

  await knex.schema.createTable('login_throttle', (t) => {
    t.string('key', 300).primary();
    t.integer('failures').notNullable();
    t.bigInteger('window_start').notNullable();
    t.bigInteger('locked_until');
  });

  await knex.schema.createTable('setup_tokens', (t) => {
    t.string('token_hash', 64).primary();
    t.string('expires_at', 30).notNullable();
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('app_settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['app_settings', 'setup_tokens', 'login_throttle', 'audit_log', 'sessions', 'api_tokens', 'user_roles', 'users', 'units']) {
    await knex.schema.dropTableIfExists(t);
  }
}
