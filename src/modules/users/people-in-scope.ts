import type { FieldErrors } from '../../kernel/errors.ts';

export { idsInScope, peopleWithin, resolvePeople, type PeopleWithin } from './people.repository.ts';

/**
 * The one message for a person field that names nobody in scope. It names nobody either: the
 * same answer for "no such user" and "not yours", so a field cannot be used to probe which user
 * names exist or who works in another province.
 */
export const personNotInScope: FieldErrors[string] = { key: 'v.person_not_in_scope' };

/** The province of a unit: the top of its materialised path ('/3/8/12/' -> '/3/'). */
export function provincePathOf(unitPath: string): string {
  const first = unitPath.split('/').filter(Boolean)[0];
  return first ? `/${first}/` : unitPath;
}
