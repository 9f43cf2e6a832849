import knexFactory, { type Knex } from 'knex';
import { createDb } from '../src/db/knex.ts';
import { migrateCore } from '../src/db/migrator.ts';

/**
 * The same data set on PostgreSQL (the dashboards are measured on both engines): a fresh database
 * on the server of `adminUrl`, migrated by the app's own migrations, then every table's rows copied
 * from the SQLite file as they are (ids kept, sequences moved past them). Foreign keys are not
 * checked during the copy (`session_replication_role = replica`, which needs a superuser), since
 * merged units point at later ones.
 */
export async function copyToPostgres(sqliteFile: string, adminUrl: string, dbName: string, log: (s: string) => void): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`bad database name ${dbName}`);
  const t0 = performance.now();
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`drop database if exists ${dbName}`);
    await admin.raw(`create database ${dbName}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const target = createDb({ url: url.toString() });
  const source = createDb({ url: `sqlite:${sqliteFile}` });
  let rows = 0;
  try {
    await migrateCore(target);
    const tables = ((await source('sqlite_master').where('type', 'table').select('name')) as Array<{ name: string }>)
      .map((t) => t.name)
      .filter((n) => !n.startsWith('knex_') && !n.startsWith('sqlite_'));
    const present = new Set(
      (
        (await target.raw(`select table_name from information_schema.tables where table_schema = current_schema()`)) as { rows: Array<{ table_name: string }> }
      ).rows.map((r) => r.table_name),
    );
    await target.transaction(async (trx: Knex.Transaction) => {
      await trx.raw('set local session_replication_role = replica');
      for (const t of tables.filter((n) => present.has(n))) {
        await trx(t).del();
        const all = (await source(t).select()) as Array<Record<string, unknown>>;
        const chunk = Math.max(1, Math.floor(20_000 / Math.max(1, Object.keys(all[0] ?? { a: 1 }).length)));
        for (let i = 0; i < all.length; i += chunk) await trx(t).insert(all.slice(i, i + chunk));
        rows += all.length;
        if (all.length && 'id' in (all[0] ?? {})) await trx.raw(`select setval(pg_get_serial_sequence(?, 'id'), (select max(id) from ??))`, [t, t]);
      }
    });
    // As autovacuum leaves a database in use: statistics, and the visibility map without which
    // PostgreSQL will not use index-only scans (a province's check count: 5.6 ms seq scan before, 0.8 ms after).
    await target.raw('vacuum analyze');
  } finally {
    await source.destroy();
    await target.destroy();
  }
  log(`  copied ${rows.toLocaleString('en')} rows to PostgreSQL database ${dbName} in ${Math.round(performance.now() - t0)} ms`);
  return url.toString();
}

export async function dropPostgres(adminUrl: string, dbName: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`drop database if exists ${dbName} with (force)`);
  } finally {
    await admin.destroy();
  }
}
