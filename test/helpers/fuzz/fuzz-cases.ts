import fc from 'fast-check';
import { hostileIds, valuesFor, type Hostile } from './hostile-values.ts';
import type { Channel } from './fuzz-request.ts';

/**
 * Which hostile value goes into which field. Every draw comes from fast-check with a seed fixed
 * by the route and the role, so a run is the same every time and a failure is sent again by
 * running the suite again; FUZZ_SEED changes the whole draw, FUZZ_CASES the cases per role.
 */
export const baseSeed = Number(process.env.FUZZ_SEED ?? 20260302);
export const casesPerRole = Number(process.env.FUZZ_CASES ?? 10);

/**
 * Names routes commonly read (gathered from the zod schemas of src/modules), the prototype's
 * keys, and a field no route knows: sent where the route's own fields are not known, and mixed
 * in with them where they are.
 */
export const genericFields = [
  'q',
  'page',
  'pageSize',
  'status',
  'sort',
  'dir',
  'unitId',
  'unitCode',
  'provinceId',
  'parentId',
  'userId',
  'teamId',
  'year',
  'month',
  'date',
  'from',
  'to',
  'code',
  'name',
  'title',
  'text',
  'note',
  'reason',
  'version',
  'kind',
  'type',
  'state',
  'level',
  'field',
  'role',
  'value',
  'fullName',
  'description',
  'severity',
  'dueDate',
  'entity',
  'entityId',
  'formId',
  'checkDate',
  'issueDate',
  'periodStart',
  'periodEnd',
  'presence',
  'answer',
  'decision',
  '__proto__',
  'constructor',
  'zzUnknownField',
] as const;

/** One request's hostile part: a field and its value, or every field at once. */
export interface FuzzCase {
  fields: Array<[string, Hostile]>;
  /** Set when the case sends every field at once (then a failure is narrowed down field by field). */
  all?: boolean;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h ^ baseSeed) >>> 0;
}

const draw = <T>(items: T[], n: number, seedText: string): T[] =>
  items.length === 0 || n <= 0
    ? []
    : fc.sample(fc.shuffledSubarray(items, { minLength: Math.min(n, items.length), maxLength: Math.min(n, items.length) }), {
        seed: hash(seedText),
        numRuns: 1,
      })[0]!;

const valueKind = (c: Channel): 'form' | 'json' => (c === 'json' ? 'json' : 'form');

/**
 * The cases of one route for one role: single fields drawn from the route's own fields (three in
 * four) and from the generic names, each with one hostile value while the others stay valid so
 * the request gets past validation to the code behind it; then one case with every field hostile.
 */
export function fuzzCases(routeKey: string, role: string, roleIndex: number, channel: Channel, known: string[]): FuzzCase[] {
  const values = valuesFor(valueKind(channel));
  const generic = genericFields.filter((g) => !known.includes(g));
  const pairs = (names: readonly string[]) => names.flatMap((f) => values.map((v): [string, Hostile] => [f, v]));
  const ownN = known.length ? Math.ceil(casesPerRole * 0.75) : 0;
  const single = [...draw(pairs(known), ownN, `${routeKey}|${role}|own`), ...draw(pairs(generic), casesPerRole - ownN, `${routeKey}|${role}|generic`)];
  // All at once: values turn round the fields (a different turn per role); the long value is
  // left out here, or the URL of a query would pass the server's header limit (431) at once.
  const short = values.filter((v) => v.json.length < 1000);
  const every = [...known, ...generic].map((f, i): [string, Hostile] => [f, short[(i + roleIndex * 5) % short.length]!]);
  return [...single.map((p) => ({ fields: [p] })), { fields: every, all: true }];
}

/** The hostile ids one role puts in place of the id at one position of the path (the roles share them out). */
export function idsFor(routeKey: string, position: number, roleIndex: number, roles: number): string[] {
  const order = draw([...hostileIds], hostileIds.length, `${routeKey}|id${position}`);
  const per = Math.ceil(order.length / roles);
  return order.slice(roleIndex * per, (roleIndex + 1) * per);
}
