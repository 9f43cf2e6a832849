import type { Knex } from 'knex';
import type { Db } from '../../kernel/db.ts';
import { toCount } from '../../db/helpers.ts';

const count = async (q: Knex.QueryBuilder): Promise<number> => toCount(((await q.count({ n: '*' }).first()) as { n?: unknown } | undefined)?.n);

/** What a new installation has so far: the figures the start guide ticks its steps by. */
export async function installationFacts(db: Db): Promise<{ provinces: number; units: number; roles: number; tthc: number }> {
  const [provinces, units, roles, tthc] = await Promise.all([
    count(db('units').where('kind', 'province')),
    count(db('units').whereNot('kind', 'province')),
    count(db('user_roles').whereNot('role', 'admin')),
    count(db('tthc')),
  ]);
  return { provinces, units, roles, tthc };
}
