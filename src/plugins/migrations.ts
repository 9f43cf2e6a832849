import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { folderMigrationSource } from '../db/migrator.ts';

/**
 * Per-plugin migrations: `plugins/<id>/migrations/*.ts`, run after the core ones, recorded in the
 * plugin's own ledger `knex_migrations__<id>`, and allowed to touch only tables named `<id>__...`.
 * The prefix is enforced on the schema builder a migration receives, so a migration that would
 * create or change a table of the core (or of another plugin) fails before it does anything.
 * Raw SQL is not inspected: the guide says plugins use the schema builder.
 */
export const ledgerTable = (id: string): string => `knex_migrations__${id}`;
export const tablePrefix = (id: string): string => `${id}__`;

/** Schema builder methods whose first argument names a table the migration changes. */
const tableMethods = new Set([
  'createTable',
  'createTableIfNotExists',
  'createTableLike',
  'alterTable',
  'table',
  'dropTable',
  'dropTableIfExists',
  'renameTable',
  'dropView',
  'createView',
  'createViewOrReplace',
  'view',
]);

function guardSchema(schema: Knex.SchemaBuilder, prefix: string): Knex.SchemaBuilder {
  const proxy: Knex.SchemaBuilder = new Proxy(schema, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (typeof prop === 'string' && tableMethods.has(prop)) {
          // renameTable(from, to): both names must be the plugin's.
          const names = prop === 'renameTable' ? args.slice(0, 2) : args.slice(0, 1);
          for (const name of names) {
            if (typeof name !== 'string' || !name.startsWith(prefix)) {
              throw new Error(`table "${String(name)}" must be named "${prefix}..." (schema.${prop})`);
            }
          }
        }
        const out = (v as (...a: unknown[]) => unknown).apply(target, args);
        return out === target ? proxy : out;
      };
    },
  });
  return proxy;
}

/** The knex a plugin migration sees: the same, except that `schema` checks table names. */
export function guardKnex(knex: Knex, prefix: string): Knex {
  return new Proxy(knex, {
    get(target, prop) {
      if (prop === 'schema') return guardSchema(target.schema, prefix);
      return Reflect.get(target, prop, target) as unknown;
    },
  });
}

function pluginMigrationSource(dir: string, prefix: string): Knex.MigrationSource<string> {
  const inner = folderMigrationSource(dir);
  return {
    getMigrations: (loadExtensions) => inner.getMigrations(loadExtensions),
    getMigrationName: (name) => inner.getMigrationName(name),
    async getMigration(name) {
      const m = await inner.getMigration(name);
      return {
        up: (knex: Knex) => m.up(guardKnex(knex, prefix)),
        down: m.down ? (knex: Knex) => m.down!(guardKnex(knex, prefix)) : undefined,
      };
    },
  };
}

/**
 * Another process starting at the same time holds the ledger's lock, or is creating the ledger:
 * waiting is right, failing the plugin is not. On SQLite, taking the lock may also find the
 * database busy with the other process's migration (`SQLITE_BUSY` on the lock table's update):
 * the update did not happen, so nothing is held, and trying again is safe.
 */
function isStartRace(err: unknown): boolean {
  const m = (err as Error)?.message ?? '';
  return (
    /already locked/i.test(m) ||
    (/knex_migrations__/.test(m) && /already exists|duplicate key/i.test(m)) ||
    (/knex_migrations__\S*_lock\W/.test(m) && /SQLITE_BUSY/.test(m))
  );
}

/**
 * Two processes creating a plugin's ledger at once may both find its lock table empty and both
 * insert the lock row (knex reads, then inserts). With two rows, taking the lock updates two rows
 * and knex reads that as "already locked", for ever. Every row then reads unlocked (such an update
 * is rolled back), so the extra rows can go; the first one stays the lock.
 */
async function dropDuplicateLockRows(db: Knex, id: string): Promise<void> {
  const table = `${ledgerTable(id)}_lock`;
  const rows = (await db(table).orderBy('index').select('index')) as Array<{ index: number }>;
  if (rows.length > 1) await db(table).where('index', '>', rows[0]!.index).del();
}

/** Runs a plugin's pending migrations; returns the names applied. Throws on any failure. */
export async function migratePlugin(db: Knex, id: string, pluginDir: string, waitMs = 30_000): Promise<string[]> {
  const dir = path.join(pluginDir, 'migrations');
  if (!fs.existsSync(dir)) return [];
  // A file the migration source would skip is a mistake the author should hear about.
  const misnamed = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !/^\d{14}_[a-z0-9_-]+\.ts$/.test(f));
  if (misnamed.length) throw new Error(`migration file names must start with a 14-digit timestamp: ${misnamed.join(', ')}`);
  const config = { migrationSource: pluginMigrationSource(dir, tablePrefix(id)), tableName: ledgerTable(id) };
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
      return applied;
    } catch (err) {
      if (!isStartRace(err) || Date.now() > giveUpAt) throw err;
      if (/already locked/i.test((err as Error).message)) await dropDuplicateLockRows(db, id).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300));
    }
  }
}
