import type { RevisionContent } from './catalog.types.ts';

/**
 * The procedure form without JavaScript: steps, forms and records are rows of inputs named
 * `steps.0.action`, `steps.0.responsible`, ... Buttons named `op` ("add:steps", "up:steps:2",
 * "remove:records:0") re-render the form with the rows changed and everything typed kept; only
 * the save button writes. A row left entirely blank is dropped.
 */
export const listShapes = {
  steps: ['action', 'responsible', 'days', 'output'],
  forms: ['code', 'name', 'fileId'],
  records: ['name', 'keeper', 'retention'],
} as const;
export type ListName = keyof typeof listShapes;
export type Row = Record<string, string>;

const scalarNames = ['code', 'title', 'kind', 'tthcId', 'purpose', 'scopeText', 'referencesText', 'definitions', 'changeSummary', 'version'] as const;

export interface FormValues {
  [k: string]: unknown;
  steps: Row[];
  forms: Row[];
  records: Row[];
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');

/** Reads the posted form into scalar values and ordered row lists (at most 200 rows each). */
export function readForm(body: Record<string, unknown>, opts: { keepBlank?: boolean } = {}): FormValues {
  const out: FormValues = { steps: [], forms: [], records: [] };
  for (const k of scalarNames) out[k] = asText(body[k]);
  for (const list of Object.keys(listShapes) as ListName[]) {
    const byIndex = new Map<number, Row>();
    for (const [key, value] of Object.entries(body)) {
      const m = /^(\w+)\.(\d{1,3})\.(\w+)$/.exec(key);
      if (!m || m[1] !== list || !(listShapes[list] as readonly string[]).includes(m[3] as string)) continue;
      const i = Number(m[2]);
      const row = byIndex.get(i) ?? {};
      row[m[3] as string] = asText(value);
      byIndex.set(i, row);
    }
    const rows = [...byIndex.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, r]) => r)
      .slice(0, 200);
    const filled = (r: Row) => listShapes[list].some((f) => f !== 'fileId' && (r[f] ?? '').trim() !== '');
    out[list] = opts.keepBlank ? rows : rows.filter(filled);
  }
  return out;
}

export function emptyRow(list: ListName): Row {
  return Object.fromEntries(listShapes[list].map((f) => [f, '']));
}

/** Applies one row operation; an unknown or out-of-range operation changes nothing. */
export function applyOp(values: FormValues, op: string): FormValues {
  const [verb, list, pos] = op.split(':');
  if (!list || !(list in listShapes)) return values;
  const rows = [...values[list as ListName]];
  const i = Number(pos);
  if (verb === 'add') rows.push(emptyRow(list as ListName));
  else if (verb === 'remove' && rows[i]) rows.splice(i, 1);
  else if (verb === 'up' && i > 0 && rows[i]) [rows[i - 1], rows[i]] = [rows[i] as Row, rows[i - 1] as Row];
  else if (verb === 'down' && rows[i] && rows[i + 1]) [rows[i], rows[i + 1]] = [rows[i + 1] as Row, rows[i] as Row];
  return { ...values, [list]: rows };
}

/** The input the service validates: the lists as arrays of objects. */
export function toInput(values: FormValues): Record<string, unknown> {
  return { ...values };
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** A revision's content as form values (to open the edit form). */
export function valuesOf(c: RevisionContent, version?: number): FormValues {
  return {
    code: c.code,
    title: c.title,
    kind: c.kind,
    tthcId: s(c.tthcId),
    purpose: s(c.purpose),
    scopeText: s(c.scopeText),
    referencesText: s(c.referencesText),
    definitions: s(c.definitions),
    changeSummary: s(c.changeSummary),
    version: s(version),
    steps: c.steps.map((x) => ({ action: x.action, responsible: s(x.responsible), days: s(x.days), output: s(x.output) })),
    forms: c.forms.map((x) => ({ code: s(x.code), name: x.name, fileId: s(x.fileId) })),
    records: c.records.map((x) => ({ name: x.name, keeper: s(x.keeper), retention: s(x.retention) })),
  };
}
