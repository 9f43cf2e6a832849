/**
 * The small part of semantic versioning the host needs: `major.minor.patch` versions and the
 * ranges plugins write for the host (`^0.1.0`, `~1.2.0`, `>=0.1.0 <2.0.0`, `1.x`, `*`, and
 * alternatives joined by `||`). Hand-written rather than the `semver` package because this is all
 * of it; pre-release tags are not accepted.
 */
export type Version = [number, number, number];

const versionRe = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseVersion(text: string): Version | undefined {
  const m = versionRe.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

type Comparator = { op: '>=' | '>' | '<=' | '<' | '='; v: Version };

/** One comparator word as a list of simple comparators, or undefined when it cannot be read. */
function expand(word: string): Comparator[] | undefined {
  if (word === '*' || word === 'x') return [];
  const m = /^(\^|~|>=|<=|>|<|=)?(.+)$/.exec(word);
  if (!m) return undefined;
  const op = m[1] ?? '';
  const body = m[2] as string;
  const xr = /^(0|[1-9]\d*)(?:\.(x|\*|0|[1-9]\d*))?(?:\.(x|\*|0|[1-9]\d*))?$/.exec(body);
  if (!xr) return undefined;
  const major = Number(xr[1]);
  const minorRaw = xr[2];
  const patchRaw = xr[3];
  const wild = (s: string | undefined) => s === undefined || s === 'x' || s === '*';
  if (wild(minorRaw) || wild(patchRaw)) {
    // A partial version (`1`, `1.2`, `1.x`) means every version under it.
    if (op !== '' && op !== '=') return undefined;
    if (wild(minorRaw))
      return [
        { op: '>=', v: [major, 0, 0] },
        { op: '<', v: [major + 1, 0, 0] },
      ];
    const minor = Number(minorRaw);
    return [
      { op: '>=', v: [major, minor, 0] },
      { op: '<', v: [major, minor + 1, 0] },
    ];
  }
  const v: Version = [major, Number(minorRaw), Number(patchRaw)];
  if (op === '^') {
    // Caret: changes that do not modify the left-most non-zero part.
    const upper: Version = v[0] > 0 ? [v[0] + 1, 0, 0] : v[1] > 0 ? [0, v[1] + 1, 0] : [0, 0, v[2] + 1];
    return [
      { op: '>=', v },
      { op: '<', v: upper },
    ];
  }
  if (op === '~')
    return [
      { op: '>=', v },
      { op: '<', v: [v[0], v[1] + 1, 0] },
    ];
  return [{ op: (op || '=') as Comparator['op'], v }];
}

function holds(c: Comparator, v: Version): boolean {
  const d = compareVersions(v, c.v);
  switch (c.op) {
    case '>=':
      return d >= 0;
    case '>':
      return d > 0;
    case '<=':
      return d <= 0;
    case '<':
      return d < 0;
    default:
      return d === 0;
  }
}

/** Parses a range into alternatives of comparators; undefined when it is not a valid range. */
export function parseRange(range: string): Comparator[][] | undefined {
  const alternatives = range
    .trim()
    .split('||')
    .map((a) => a.trim());
  const out: Comparator[][] = [];
  for (const alt of alternatives) {
    if (!alt) return undefined;
    // `>= 1.2.0` is written with a space by some; glue an operator to its version.
    const words = alt.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/);
    const set: Comparator[] = [];
    for (const w of words) {
      const cs = expand(w);
      if (!cs) return undefined;
      set.push(...cs);
    }
    out.push(set);
  }
  return out;
}

export function isValidRange(range: string): boolean {
  return parseRange(range) !== undefined;
}

/** True when `version` lies in `range`; false for an unreadable version or range. */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  const alts = parseRange(range);
  if (!v || !alts) return false;
  return alts.some((set) => set.every((c) => holds(c, v)));
}
