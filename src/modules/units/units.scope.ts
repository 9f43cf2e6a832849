import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import { wherePathPrefix } from '../../db/helpers.ts';

/**
 * Restricts a query to units inside a scope, by the materialised path column given. The one
 * place where unit scope becomes SQL: every repository that lists records of units calls it.
 * An empty scope matches nothing.
 */
export function whereUnitInScope<Q extends Knex.QueryBuilder>(qb: Q, pathColumn: string, scope: Scope): Q {
  if (scope.all) return qb;
  if (scope.paths.length === 0) return qb.whereRaw('1 = 0') as Q;
  return qb.where((w) => {
    for (const p of scope.paths) wherePathPrefix(w, pathColumn, p, true);
  }) as Q;
}
