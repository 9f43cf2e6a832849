import type { Knex } from 'knex';
import type { PluginDb } from './contract.ts';
import { tablePrefix } from './migrations.ts';

/** Table names a plugin may pass: lower-case letters, digits and underscores (the prefix is added). */
const tableName = /^[a-z0-9_]{1,48}$/;

/**
 * Identifiers that name a table in a compiled statement: the one after `from`, `join`, `into`,
 * `update` or `table`, quoted (`"x"`, `` `x` ``) or bare, the last part when schema-qualified.
 */
const tableRef = /\b(?:from|join|into|update|table)\s+(?:(?:"[^"]+"|`[^`]+`|\w+)\.)?("[^"]+"|`[^`]+`|[\w-]+)/gi;
/** Names a statement defines for itself (`with x as (...)`, `, y as (...)`). */
const cteName = /(?:\bwith(?:\s+recursive)?|,)\s+("[^"]+"|`[^`]+`|\w+)\s+as\s+\(/gi;

const bare = (ident: string): string => (/^["`]/.test(ident) ? ident.slice(1, -1) : ident).toLowerCase();

/** The tables a compiled statement reads or writes that are neither the plugin's nor its own CTEs. */
export function foreignTables(sql: string, prefixes: readonly string[]): string[] {
  const own = new Set([...sql.matchAll(cteName)].map((m) => bare(m[1]!)));
  const out = new Set<string>();
  for (const m of sql.matchAll(tableRef)) {
    const name = bare(m[1]!);
    if (!prefixes.some((p) => name.startsWith(p)) && !own.has(name)) out.add(name);
  }
  return [...out];
}

/**
 * The database handle a plugin gets: `db('notes')` opens a query on `<id>__notes`; a name that
 * already carries the prefix of a plugin it depends on (`good__notes`) opens that plugin's table.
 * A statement that names any other table (by a join, a subquery or raw SQL inside the builder) is
 * refused before it is sent. This is a contract boundary, not a sandbox: a plugin is code the
 * server's administrator installed, and it still runs in the app's process.
 */
export function pluginDb(db: Knex | Knex.Transaction, pluginId: string, dependsOn: readonly string[] = []): PluginDb {
  const prefixes = [pluginId, ...dependsOn].map(tablePrefix);
  const resolve = (name: unknown): string => {
    const given = typeof name === 'string' ? name : '';
    const prefix = prefixes.find((p) => given.startsWith(p)) ?? prefixes[0]!;
    const own = given.startsWith(prefix) ? given.slice(prefix.length) : given;
    if (!tableName.test(own)) throw new Error(`plugin "${pluginId}": "${String(name)}" is not a table name (lower-case letters, digits and _)`);
    return `${prefix}${own}`;
  };
  const check = (q: { sql: string }) => {
    const foreign = foreignTables(q.sql, prefixes);
    if (foreign.length) throw new Error(`plugin "${pluginId}" may use only its own tables (${prefixes[0]}...), not ${foreign.join(', ')}`);
  };
  const open = (name: string): Knex.QueryBuilder => {
    const qb = db(resolve(name));
    qb.on('query', check);
    return qb;
  };
  return Object.assign(open, {
    hasTable: (name: string) => db.schema.hasTable(resolve(name)),
    transaction: <T>(work: (trx: PluginDb) => Promise<T>): Promise<T> => db.transaction((trx) => work(pluginDb(trx, pluginId, dependsOn))),
  });
}
