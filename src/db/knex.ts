import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type Dialect = 'sqlite' | 'postgres';

export interface DbOptions {
  /** `sqlite:<file>` (relative to the working directory) or `postgres://...`. */
  url: string;
  /** PostgreSQL only: the schema to work in (tests use a fresh one per run). */
  schema?: string;
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:")`);
}

/**
 * Builds the one knex instance of the process. Nothing connects until the first query.
 * SQLite runs in WAL mode with foreign keys on and a busy timeout, so that readers never block
 * the writer and a second process on the same file waits instead of failing at once.
 */
export function createDb(opts: DbOptions): Knex {
  const dialect = dialectOf(opts.url);
  if (dialect === 'sqlite') {
    const file = opts.url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return knexFactory({
      client: 'sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConn, done: (err: Error | null, conn: unknown) => void) {
          conn.serialize(() => {
            conn.run('PRAGMA journal_mode = WAL');
            conn.run('PRAGMA synchronous = NORMAL');
            conn.run('PRAGMA foreign_keys = ON');
            conn.run('PRAGMA busy_timeout = 5000', (err: Error | null) => done(err, conn));
          });
        },
      },
    });
  }
  return knexFactory({
    client: 'pg',
    connection: opts.url,
    searchPath: opts.schema ? [opts.schema] : undefined,
    pool: { min: 0, max: 10 },
  });
}

interface SqliteConn {
  serialize(fn: () => void): void;
  run(sql: string, cb?: (err: Error | null) => void): void;
}

export function dialectOfDb(db: Knex): Dialect {
  const client = (db.client as { config: { client: string } }).config.client;
  return client === 'pg' ? 'postgres' : 'sqlite';
}
