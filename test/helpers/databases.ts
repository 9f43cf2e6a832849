import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import { createDb } from '../../src/db/knex.ts';
import { migrateCore } from '../../src/db/migrator.ts';

/**
 * The integration suite runs once per database engine. SQLite always; PostgreSQL at
 * TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test), each suite in a fresh schema
 * that is dropped afterwards. With CI=true an unreachable PostgreSQL fails the run loudly.
 */
export const pgUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ci = process.env.CI === 'true';

async function probePostgres(): Promise<string | undefined> {
  const k = knexFactory({ client: 'pg', connection: { connectionString: pgUrl, connectionTimeoutMillis: 3000 }, pool: { min: 0, max: 1 } });
  try {
    await k.raw('select 1');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await k.destroy();
  }
}

export const pgProblem = await probePostgres();

export interface TestDb {
  dialect: 'sqlite' | 'postgres';
  url: string;
  schema?: string;
  db: Knex;
  drop(): Promise<void>;
}

/** A fresh, migrated database of one engine. */
export async function freshDb(dialect: 'sqlite' | 'postgres'): Promise<TestDb> {
  const id = crypto.randomBytes(5).toString('hex');
  if (dialect === 'sqlite') {
    const file = path.join(os.tmpdir(), `isotrack-test-${id}.sqlite`);
    const url = `sqlite:${file}`;
    const db = createDb({ url });
    await migrateCore(db);
    return {
      dialect,
      url,
      db,
      async drop() {
        await db.destroy();
        for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      },
    };
  }
  const schema = `t_${id}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create schema ${schema}`);
  await admin.destroy();
  const db = createDb({ url: pgUrl, schema });
  await migrateCore(db);
  return {
    dialect,
    url: pgUrl,
    schema,
    db,
    async drop() {
      await db.raw(`drop schema ${schema} cascade`);
      await db.destroy();
    },
  };
}

/** Engines this run covers; PostgreSQL is left out only outside CI, and then said so. */
export function engines(): Array<'sqlite' | 'postgres'> {
  if (!pgProblem) return ['sqlite', 'postgres'];
  if (ci) throw new Error(`PostgreSQL is required in CI but unreachable at ${pgUrl}: ${pgProblem}`);
  process.stderr.write(`\n  !! PostgreSQL unreachable at ${pgUrl} (${pgProblem}): the PostgreSQL suites are reported as pending.\n\n`);
  return ['sqlite'];
}
