import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

/**
 * A knex migration source that reads `.ts` files from one folder through import(). Core and
 * each plugin get their own folder and ledger table, so a plugin can never clash with the core's
 * history. File names must start with a 14-digit timestamp (checked by a unit test).
 */
export function folderMigrationSource(dir: string): Knex.MigrationSource<string> {
  return {
    async getMigrations() {
      if (!fs.existsSync(dir)) return [];
      return fs
        .readdirSync(dir)
        .filter((f) => /^\d{14}_[a-z0-9_-]+\.ts$/.test(f))
        .sort();
    },
    getMigrationName(name) {
      return name;
    },
    async getMigration(name) {
      const mod = (await import(pathToFileURL(path.join(dir, name)).href)) as MigrationModule;
      return { up: mod.up, down: mod.down ?? (async () => undefined) };
    },
  };
}

export const coreMigrationsDir = path.resolve(import.meta.dirname, '../../migrations');

export async function migrateCore(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({
    migrationSource: folderMigrationSource(coreMigrationsDir),
    tableName: 'knex_migrations',
  })) as [number, string[]];
  return applied;
}
