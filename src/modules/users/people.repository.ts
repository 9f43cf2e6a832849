import type { Knex } from 'knex';
import type { Db } from '../../kernel/db.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

/**
 * Where the people a field names must hold a role: inside some unit subtrees (the caller's scope,
 * a team's province, a check's province), or on one unit or a unit above it (the owner of a
 * corrective action answers for the unit). A role with no unit (`admin`) never counts: the
 * administrator is pickable only where they also hold a role on a unit of that scope.
 */
export type PeopleWithin = { subtrees: string[] } | { lineOf: string };

export interface PersonInScope {
  id: number;
  username: string;
  fullName: string;
}

export interface PeopleAsked {
  usernames?: readonly string[];
  ids?: readonly number[];
}

export interface PeopleResolved {
  found: PersonInScope[];
  /** Names and ids that name nobody in scope: unknown, inactive, or holding roles elsewhere alike. */
  missingNames: string[];
  missingIds: number[];
}

function whereHoldsWithin(q: Knex.QueryBuilder, within: PeopleWithin): void {
  if ('lineOf' in within) {
    // The unit and its ancestors are exactly the ids of its path.
    q.whereIn('un.id', within.lineOf.split('/').filter(Boolean).map(Number));
    return;
  }
  whereUnitInScope(q, 'un.path', { all: false, paths: within.subtrees });
}

/**
 * Resolves typed user names and posted user ids to active users holding a role on a unit within
 * the given reach. Every field that names a person goes through here.
 */
export async function resolvePeople(db: Db, within: PeopleWithin, asked: PeopleAsked): Promise<PeopleResolved> {
  const names = [...new Set(asked.usernames ?? [])];
  const ids = [...new Set(asked.ids ?? [])].filter((n) => Number.isSafeInteger(n));
  if (!names.length && !ids.length) return { found: [], missingNames: [], missingIds: [] };
  const q = db('users as us')
    .join('user_roles as r', 'r.user_id', 'us.id')
    .join('units as un', 'un.id', 'r.unit_id')
    .where('us.is_active', true)
    .where((w) => {
      if (names.length) w.whereIn('us.username', names);
      if (ids.length) w.orWhereIn('us.id', ids);
    })
    .distinct('us.id', 'us.username', 'us.full_name');
  whereHoldsWithin(q, within);
  const rows = (await q) as Array<{ id: number; username: string; full_name: string }>;
  const found = rows.map((r) => ({ id: Number(r.id), username: String(r.username), fullName: String(r.full_name) }));
  return {
    found,
    missingNames: names.filter((n) => !found.some((p) => p.username === n)),
    missingIds: ids.filter((id) => !found.some((p) => p.id === id)),
  };
}

/** Of some user ids, those holding a role within the reach (to show a stored list without leaking names). */
export async function idsInScope(db: Db, within: PeopleWithin, ids: readonly number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const q = db('user_roles as r')
    .join('units as un', 'un.id', 'r.unit_id')
    .whereIn('r.user_id', [...new Set(ids)])
    .distinct('r.user_id');
  whereHoldsWithin(q, within);
  return new Set(((await q) as Array<{ user_id: number }>).map((r) => Number(r.user_id)));
}

/** Active users holding a role within the reach, by full name (the suggestions a person field offers). */
export async function peopleWithin(db: Db, within: PeopleWithin, limit = 200): Promise<PersonInScope[]> {
  const q = db('users as us')
    .join('user_roles as r', 'r.user_id', 'us.id')
    .join('units as un', 'un.id', 'r.unit_id')
    .where('us.is_active', true)
    .distinct('us.id', 'us.username', 'us.full_name')
    .orderBy('us.full_name')
    .limit(limit);
  whereHoldsWithin(q, within);
  return ((await q) as Array<{ id: number; username: string; full_name: string }>).map((r) => ({
    id: Number(r.id),
    username: String(r.username),
    fullName: String(r.full_name),
  }));
}
