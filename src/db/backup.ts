import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { createDb, dialectOf, type Dialect } from './knex.ts';
import { coreMigrationsDir, folderMigrationSource } from './migrator.ts';
import { BackupError, pgConnection, runPgTool } from './pg-tools.ts';

export { BackupError } from './pg-tools.ts';

/**
 * Backups and restores for both engines: SQLite through `VACUUM INTO` (a consistent snapshot taken
 * while the app runs), PostgreSQL through pg_dump's custom format and pg_restore. A backup is
 * written under a temporary name and renamed once complete and synced, so a file with a backup's
 * name is always a whole backup, and rotation may count on it.
 */
export const backupDefaults = { dir: 'data/backups', keep: 14 } as const;

const extensionOf: Record<Dialect, string> = { sqlite: '.sqlite', postgres: '.dump' };
/** Only files of this exact shape are ever removed by rotation; anything else in the folder is left alone. */
const backupNamePattern = /^isotrack-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.(sqlite|dump)$/;
/** The first core migration: its row in the ledger is what makes a file an isotrack database. */
const coreLedgerMark = '20261122000001_core_schema.ts';

/** `isotrack-2026-12-06T21-42-53-123Z.sqlite`: sorts by name in the order the backups were taken. */
export function backupFileName(dialect: Dialect, at: Date): string {
  return `isotrack-${at.toISOString().replace(/[:.]/g, '-')}${extensionOf[dialect]}`;
}

function sqliteFileOf(databaseUrl: string): string {
  return path.resolve(databaseUrl.slice('sqlite:'.length));
}

function fsyncPath(p: string, flags: string): void {
  const fd = fs.openSync(p, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes one consistent backup to `file`, which must not exist: a backup never overwrites anything. */
export async function backupToFile(databaseUrl: string, file: string): Promise<void> {
  if (fs.existsSync(file)) throw new BackupError(`${file} exists already: a backup never overwrites a file, choose another name or use --dir`);
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  try {
    if (dialectOf(databaseUrl) === 'sqlite') {
      const source = sqliteFileOf(databaseUrl);
      if (!fs.existsSync(source)) throw new BackupError(`no SQLite database at ${source}`);
      const db = createDb({ url: databaseUrl });
      try {
        await db.raw('VACUUM INTO ?', [partial]);
      } finally {
        await db.destroy();
      }
    } else {
      const { dbname, env } = pgConnection(databaseUrl);
      await runPgTool('pg_dump', ['--format=custom', `--file=${partial}`, `--dbname=${dbname}`], env);
    }
    // A backup holds every password hash and personal record: readable by its owner only.
    fs.chmodSync(partial, 0o600);
    fsyncPath(partial, 'r');
    fs.renameSync(partial, file);
    fsyncPath(path.dirname(path.resolve(file)), 'r');
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/** Removes the oldest backups of one engine beyond the newest `keep`; returns the removed names. */
export function rotateBackups(dir: string, dialect: Dialect, keep: number): string[] {
  const ours = fs
    .readdirSync(dir)
    .filter((n) => backupNamePattern.test(n) && n.endsWith(extensionOf[dialect]))
    .sort();
  const removed = ours.slice(0, Math.max(0, ours.length - keep));
  for (const n of removed) fs.rmSync(path.join(dir, n));
  return removed;
}

/** A timestamped backup in `dir`, then the rotation down to the newest `keep`. */
export async function backupToDir(databaseUrl: string, dir: string, keep: number, now = new Date()): Promise<{ file: string; removed: string[] }> {
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError('--keep must be a whole number of at least 1');
  const dialect = dialectOf(databaseUrl);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, backupFileName(dialect, now));
  await backupToFile(databaseUrl, file);
  return { file, removed: rotateBackups(dir, dialect, keep) };
}

/** Throws unless `file` is a sound SQLite database with this version's core migration ledger. */
async function checkSqliteBackup(file: string, shownAs: string): Promise<void> {
  const db = createDb({ url: `sqlite:${file}` });
  try {
    let verdict: string;
    try {
      const rows = (await db.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
      verdict = rows.map((r) => r.integrity_check).join('; ');
    } catch (err) {
      throw new BackupError(`${shownAs} is not a SQLite database (${(err as Error).message})`);
    }
    if (verdict !== 'ok') throw new BackupError(`${shownAs} is damaged (integrity check: ${verdict.slice(0, 500)})`);
    const ledger = (await db.schema.hasTable('knex_migrations')) ? ((await db('knex_migrations').pluck('name')) as string[]) : [];
    if (!ledger.includes(coreLedgerMark)) throw new BackupError(`${shownAs} is not an isotrack database (no core migration ledger)`);
    const known = new Set(await folderMigrationSource(coreMigrationsDir).getMigrations([]));
    const unknown = ledger.filter((n) => !known.has(n));
    // The app would refuse to start on it: its ledger names migrations this version does not have.
    if (unknown.length) throw new BackupError(`${shownAs} was made by a newer isotrack (migrations ${unknown.join(', ')}): update the app first`);
  } finally {
    await db.destroy();
  }
}

/**
 * SQLite keeps `<file>-wal` while any connection has the database open and removes it when the
 * last one closes: so after opening and closing the file ourselves, a WAL still there means
 * another process (the app) has it open.
 */
async function assertSqliteIdle(target: string): Promise<void> {
  const db = createDb({ url: `sqlite:${target}` });
  try {
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await db.destroy();
  }
  if (fs.existsSync(`${target}-wal`)) throw new BackupError(`${target} is in use (the app or another process has it open): stop the app, then restore`);
}

async function restoreSqlite(databaseUrl: string, from: string, now: Date): Promise<string | undefined> {
  const target = sqliteFileOf(databaseUrl);
  if (target === path.resolve(from)) throw new BackupError('the backup is the database itself: restore from another file');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // The check runs on a copy beside the target (the backup itself is never opened for writing),
  // which is then renamed into place: the target is either the old database or the whole new one.
  const staged = `${target}.restoring`;
  const cleanStaged = () => {
    for (const f of [staged, `${staged}-wal`, `${staged}-shm`]) fs.rmSync(f, { force: true });
  };
  cleanStaged();
  try {
    fs.copyFileSync(from, staged);
    await checkSqliteBackup(staged, from);
    fsyncPath(staged, 'r');
    let previous: string | undefined;
    if (fs.existsSync(target)) {
      await assertSqliteIdle(target);
      previous = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(target, previous);
    }
    fs.renameSync(staged, target);
    fsyncPath(path.dirname(target), 'r');
    return previous;
  } finally {
    cleanStaged();
  }
}

async function restorePostgres(databaseUrl: string, from: string): Promise<void> {
  const { dbname, env } = pgConnection(databaseUrl);
  let contents: string;
  try {
    contents = await runPgTool('pg_restore', ['--list', from], env);
  } catch (err) {
    if (/not found/.test((err as Error).message)) throw err;
    throw new BackupError(`${from} is not a pg_dump archive in custom format (${(err as Error).message})`);
  }
  if (!/ TABLE \S+ knex_migrations /.test(contents)) throw new BackupError(`${from} is not an isotrack database (no core migration ledger)`);
  const k = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 1 } });
  try {
    const rows = (await k.raw(`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`)) as { rows: Array<{ n: number }> };
    const others = rows.rows[0]?.n ?? 0;
    if (others > 0) throw new BackupError(`the database is in use (${others} other connection${others > 1 ? 's' : ''}): stop the app, then restore`);
  } finally {
    await k.destroy();
  }
  // One transaction: a restore that fails half-way leaves the database as it was.
  await runPgTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${dbname}`, from], env);
}

/**
 * Puts a backup in place of the database of `databaseUrl`, only once the file is known to be an
 * isotrack backup and nothing else has the database open. On SQLite the replaced file is kept as
 * `<file>.before-restore-<time>`, returned here.
 */
export async function restoreFrom(databaseUrl: string, from: string, now = new Date()): Promise<{ previous?: string }> {
  if (!fs.existsSync(from) || !fs.statSync(from).isFile()) throw new BackupError(`no backup file at ${from}`);
  if (dialectOf(databaseUrl) === 'sqlite') return { previous: await restoreSqlite(databaseUrl, from, now) };
  await restorePostgres(databaseUrl, from);
  return {};
}
