import type { RevisionContent } from './catalog.types.ts';

/** One line of a side-by-side comparison: a field (or one step, form, record) in two revisions. */
export interface DiffRow {
  /** Locale key of the field's label, with the position for list items. */
  label: string;
  position?: number;
  left: string;
  right: string;
  changed: boolean;
}

export const scalarFields = ['title', 'kind', 'tthcId', 'purpose', 'scopeText', 'referencesText', 'definitions', 'changeSummary'] as const;
export type ScalarField = (typeof scalarFields)[number];
export const listFields = ['steps', 'forms', 'records'] as const;

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function stepText(s: RevisionContent['steps'][number]): string {
  return [s.action, s.responsible ?? '', s.days === null ? '' : String(s.days), s.output ?? ''].join(' | ');
}

function itemText(field: (typeof listFields)[number], item: unknown): string {
  if (field === 'steps') return stepText(item as RevisionContent['steps'][number]);
  if (field === 'forms') {
    const f = item as RevisionContent['forms'][number];
    return [f.code ?? '', f.name].join(' | ');
  }
  const r = item as RevisionContent['records'][number];
  return [r.name, r.keeper ?? '', r.retention ?? ''].join(' | ');
}

/**
 * Compares two revisions field by field: every scalar field, then each step, form and record by
 * position. `describe` turns a raw value into what the page shows (a TTHC id into its code, a kind
 * into its label).
 */
export function diffContents(a: RevisionContent, b: RevisionContent, describe: (field: ScalarField, v: unknown) => string = (_f, v) => text(v)): DiffRow[] {
  const rows: DiffRow[] = [{ label: 'code', left: a.code, right: b.code, changed: a.code !== b.code }];
  for (const f of scalarFields) {
    const left = describe(f, a[f]);
    const right = describe(f, b[f]);
    rows.push({ label: f, left, right, changed: text(a[f]) !== text(b[f]) });
  }
  for (const f of listFields) {
    const n = Math.max(a[f].length, b[f].length);
    for (let i = 0; i < n; i++) {
      const left = i < a[f].length ? itemText(f, a[f][i]) : '';
      const right = i < b[f].length ? itemText(f, b[f][i]) : '';
      rows.push({ label: f, position: i + 1, left, right, changed: left !== right });
    }
  }
  return rows;
}

export function sameList(field: (typeof listFields)[number], a: RevisionContent, b: RevisionContent): boolean {
  return a[field].length === b[field].length && a[field].every((x, i) => itemText(field, x) === itemText(field, b[field][i]));
}

/**
 * Takes a template's changes into a unit's copy: every field the template changed between the
 * revision the copy came from (`base`) and its new revision (`next`) gets the new value; what the
 * template left alone keeps the unit's own wording. Lists (steps, forms, records) go as a whole.
 * The copy keeps its own code.
 */
export function takeChanges(copy: RevisionContent, base: RevisionContent, next: RevisionContent): RevisionContent {
  const out: RevisionContent = { ...copy };
  const o = out as unknown as Record<string, unknown>;
  for (const f of scalarFields) if (f !== 'changeSummary' && text(base[f]) !== text(next[f])) o[f] = next[f];
  for (const f of listFields) if (!sameList(f, base, next)) o[f] = next[f].map((x) => ({ ...x }));
  return out;
}

export function contentsEqual(a: RevisionContent, b: RevisionContent): boolean {
  return diffContents(a, b).every((r) => !r.changed);
}
