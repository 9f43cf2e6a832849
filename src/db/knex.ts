import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type Dialect = 'sqlite' | 'postgres';

/** SQLite's `PRAGMA synchronous` levels the app accepts (OFF is never acceptable for a system of record). */
export const sqliteSynchronousLevels = ['NORMAL', 'FULL', 'EXTRA'] as const;
export type SqliteSynchronous = (typeof sqliteSynchronousLevels)[number];

export interface DbOptions {
  /** `sqlite:<file>` (relative to the working directory) or `postgres://...`. */
  url: string;
  /** PostgreSQL only: the schema to work in (tests use a fresh one per run). */
  schema?: string;
  /**
   * SQLite only, default FULL: in WAL mode NORMAL does not sync the WAL at each commit, so a power
   * loss can drop the last acknowledged saves; FULL syncs every commit (docs/adr/009-sqlite-durability.md).
   */
  synchronous?: SqliteSynchronous;
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:")`);
}

/**
 * Builds the one knex instance of the process. Nothing connects until the first query.
 * SQLite runs in WAL mode with foreign keys on and a busy timeout, so that readers never block
 * the writer and a second process on the same file waits instead of failing at once; every commit
 * is synced to disk unless `synchronous` says otherwise.
 */
export function createDb(opts: DbOptions): Knex {
  const dialect = dialectOf(opts.url);
  if (dialect === 'sqlite') {
    const file = opts.url.slice('sqlite:'.length);
    const synchronous = opts.synchronous ?? 'FULL';
    // The level goes into SQL text: only the known words may get there.
    if (!sqliteSynchronousLevels.includes(synchronous)) throw new Error(`synchronous must be one of ${sqliteSynchronousLevels.join(', ')}`);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return knexFactory({
      client: 'sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConn, done: (err: Error | null, conn: unknown) => void) {
          // Each statement gets a callback: without one, a file that is not a database (SQLITE_NOTADB
          // on the first pragma) is an unhandled 'error' event that ends the process.
          let first: Error | null = null;
          const keep = (err: Error | null) => {
            first ??= err;
          };
          conn.serialize(() => {
            conn.run('PRAGMA journal_mode = WAL', keep);
            conn.run(`PRAGMA synchronous = ${synchronous}`, keep);
            conn.run('PRAGMA foreign_keys = ON', keep);
            conn.run('PRAGMA busy_timeout = 5000', (err: Error | null) => done(first ?? err, conn));
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
