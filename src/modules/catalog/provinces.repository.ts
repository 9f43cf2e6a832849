import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import { likeEscape, wherePathPrefix } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';

/** The provinces whose TTHC lists a unit or a scope sees. */

/** Of some unit ids (a unit's path), the deepest province, if any. */
export async function innermostProvinceAmong(db: Db, ids: number[]): Promise<number | undefined> {
  const rows = (await db('units').select('id', 'depth').whereIn('id', ids).where('kind', 'province').orderBy('depth', 'desc')) as Array<{ id: number }>;
  const first = rows[0];
  return first ? Number(first.id) : undefined;
}

/**
 * Records visible through a province: the province lies inside the scope (a coordinator) or
 * above a unit of the scope (an officer of a commune reads the province's TTHC list).
 * `pathColumn` is the province's materialised path.
 */
export function whereProvinceVisible<Q extends Knex.QueryBuilder>(qb: Q, pathColumn: string, scope: Scope): Q {
  if (scope.all) return qb;
  if (scope.paths.length === 0) return qb.whereRaw('1 = 0') as Q;
  return qb.where((w) => {
    for (const p of scope.paths) {
      w.orWhereRaw(`?? LIKE ? ESCAPE '\\'`, [pathColumn, `${likeEscape(p)}%`]);
      // The scope's unit lies under the province: its path starts with the province's path.
      w.orWhereRaw(`? LIKE ?? || '%'`, [p, pathColumn]);
    }
  }) as Q;
}

/**
 * The ids of the provinces visible through a scope, as a subquery: the same provinces as
 * `whereProvinceVisible`. A province above a scope's unit has its id in the unit's path (paths
 * are made of ids); a province inside the scope has a path under it.
 */
export function visibleProvinces(db: Db, scope: Extract<Scope, { all: false }>): Knex.QueryBuilder {
  const q = db('units').select('id').where('kind', 'province');
  if (scope.paths.length === 0) return q.whereRaw('1 = 0');
  const above = [...new Set(scope.paths.flatMap((p) => p.split('/').filter(Boolean).map(Number)))];
  return q.where((w) => {
    w.whereIn('id', above);
    for (const p of scope.paths) wherePathPrefix(w, 'path', p, true);
  });
}
