import type { Knex } from 'knex';
import { dialectOfDb } from './knex.ts';

/**
 * The few places where SQLite and PostgreSQL differ, kept here so that repositories stay
 * dialect-free.
 */

/** Inserts and returns the new id on both engines (SQLite returns ids, PostgreSQL rows). */
export async function insertId(q: Knex.QueryBuilder): Promise<number> {
  const rows = (await q.returning('id')) as Array<{ id: number } | number>;
  const first = rows[0];
  if (first === undefined) throw new Error('insert returned no id');
  return typeof first === 'number' ? first : Number(first.id);
}

/** Escapes LIKE wildcards so that user text matches literally. Use with `ESCAPE '\\'`. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column LIKE pattern ESCAPE '\'` that works on both engines. */
export function whereLike(qb: Knex.QueryBuilder, column: string, pattern: string): Knex.QueryBuilder {
  return qb.whereRaw(`?? LIKE ? ESCAPE '\\'`, [column, pattern]);
}

/** Row counts come back as strings from PostgreSQL (bigint) and numbers from SQLite. */
export function toCount(value: unknown): number {
  return Number(value ?? 0);
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(e.message ?? '');
}

export function isPostgres(db: Knex): boolean {
  return dialectOfDb(db) === 'postgres';
}
