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

/** Row counts come back as strings from PostgreSQL (bigint) and numbers from SQLite. */
export function toCount(value: unknown): number {
  return Number(value ?? 0);
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return e?.code === '23505' || (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(e.message ?? ''));
}

export function isPostgres(db: Knex): boolean {
  return dialectOfDb(db) === 'postgres';
}

/**
 * `column` starts with `prefix` (a materialised path such as '/12/40/'). On SQLite, LIKE cannot
 * use the index (it is case-insensitive), so the prefix becomes a range on the binary-ordered
 * column: paths are digits and '/', and '0' sorts right after '/'. On PostgreSQL, whose
 * collation may not order punctuation by byte, LIKE stays.
 */
export function wherePathPrefix(w: Knex.QueryBuilder, column: string, prefix: string, or = false): void {
  const client = (w as unknown as { client: { config: { client: string } } }).client.config.client;
  if (client !== 'pg' && /^[0-9/]+\/$/.test(prefix)) {
    const upper = `${prefix.slice(0, -1)}0`;
    const range = (q: Knex.QueryBuilder) => q.where(column, '>=', prefix).where(column, '<', upper);
    if (or) w.orWhere(range);
    else w.where(range);
    return;
  }
  if (or) w.orWhereRaw(`?? LIKE ? ESCAPE '\\'`, [column, `${likeEscape(prefix)}%`]);
  else w.whereRaw(`?? LIKE ? ESCAPE '\\'`, [column, `${likeEscape(prefix)}%`]);
}
