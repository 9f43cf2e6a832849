import { fmtDay, fmtTime } from '../../http/locals.ts';
import type { AuditRow } from './audit.repository.ts';

/** One changed field as a reader sees it: its label, and its value before and after, in words. */
export interface ChangeLine {
  label: string;
  before?: string;
  after?: string;
}

/** The locale lookups a change needs: a text, and whether a key has one. */
export interface Words {
  t(key: string, params?: Record<string, string | number>): string;
  has(key: string): boolean;
}

/** Bookkeeping fields nobody reads in a log: ids, paths, versions, stamps, hashes. */
const hidden = new Set(['id', 'createdAt', 'updatedAt', 'version', 'path', 'depth', 'provinceId', 'sha256', 'definitions', 'isoStateChangedAt']);

/** Row numbers of other records (`teamId`, `procedureIds`, `reviewedBy`): the entry's own columns already say who and what. */
const internalId = /^(?!parentId$|mergedIntoId$)[a-z][A-Za-z]*(Id|Ids|By)$/;

/** Where a field's coded values have their words, besides `audit.values.*`. */
const valueWords: Record<string, string> = {
  kind: 'units.kinds',
  isoState: 'units.states',
  level: 'catalog.tthc.levels',
  levels: 'catalog.tthc.levels',
  onlineLevel: 'catalog.tthc.online_levels',
  severity: 'checks.severities',
};
const statusWords: Record<string, string> = {
  procedure: 'catalog.rev_statuses',
  check: 'checks.statuses',
  inspection: 'insp.statuses',
  document: 'documents.statuses',
  corrective_action: 'actions.statuses',
  finding: 'actions.finding_statuses',
  management_review: 'reviews.statuses',
};
/** A field whose words depend on the record: a procedure's kind is not a unit's kind. */
const entityFieldWords: Record<string, Record<string, string>> = {
  procedure: { kind: 'catalog.kinds' },
  check: { kind: 'checks.kinds' },
  inspection: { kind: 'insp.kinds' },
};

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const maxText = 160;

const number = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

function valueText(w: Words, entity: string, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return w.t('audit.empty_value');
  if (typeof v === 'boolean') return w.t(v ? 'audit.yes' : 'audit.no');
  if (typeof v === 'number') return number.format(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return w.t('audit.empty_value');
    if (v.every((x) => typeof x !== 'object' || x === null)) return clip(v.map((x) => valueText(w, entity, field, x)).join(', '));
    return w.t('audit.items', { n: v.length });
  }
  if (typeof v === 'object') return w.t('audit.items', { n: Object.keys(v).length });
  const s = String(v);
  if (isoInstant.test(s)) return fmtTime(s);
  if (isoDay.test(s)) return fmtDay(s);
  const group = field === 'status' || field === 'pendingStatus' ? statusWords[entity] : (entityFieldWords[entity]?.[field] ?? valueWords[field]);
  if (group && w.has(`${group}.${s}`)) return w.t(`${group}.${s}`);
  if (/^[a-z_]+$/.test(s) && w.has(`audit.values.${s}`)) return w.t(`audit.values.${s}`);
  return clip(s);
}

const clip = (s: string) => (s.length > maxText ? `${s.slice(0, maxText - 1)}…` : s);

/** `legalDays` → `legal days`, for a field no locale names yet (better than nothing, rarely seen). */
const humanised = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();

function labelOf(w: Words, field: string): string {
  return w.has(`audit.fields.${field}`) ? w.t(`audit.fields.${field}`) : humanised(field);
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * What an entry changed, field by field: for a new record its fields, for a removed one what it
 * held, otherwise only the fields whose value differs (`field: old → new`).
 */
export function changesOf(row: Pick<AuditRow, 'entity' | 'before' | 'after'>, w: Words): ChangeLine[] {
  const before = record(row.before);
  const after = record(row.after);
  const hadBefore = row.before !== null && row.before !== undefined;
  const hasAfter = row.after !== null && row.after !== undefined;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => !hidden.has(f) && !internalId.test(f));
  const lines: ChangeLine[] = [];
  for (const f of fields) {
    const b = before[f];
    const a = after[f];
    if (hadBefore && hasAfter && f in before && f in after && JSON.stringify(b) === JSON.stringify(a)) continue;
    const line: ChangeLine = { label: labelOf(w, f) };
    if (hadBefore && f in before) line.before = valueText(w, row.entity, f, b);
    if (hasAfter && f in after) line.after = valueText(w, row.entity, f, a);
    if (line.before !== undefined && line.before === line.after) continue;
    lines.push(line);
  }
  return lines;
}
