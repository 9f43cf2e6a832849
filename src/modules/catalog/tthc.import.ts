import type { Knex } from 'knex';
import { writeAudit } from '../../kernel/audit.ts';
import { AppError } from '../../kernel/errors.ts';
import { ImportReportError, type ImportProblem } from '../../kernel/excel/index.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Unit } from '../units/units.types.ts';
import { tthcInput, type TthcInput } from './catalog.schemas.ts';
import type { Tthc } from './catalog.types.ts';
import { onlineFrom } from './excel.sheets.ts';
import { daysOf, feeAmountOf, isLocalCode, levelsOf, localCodePrefix, nameKey, nationalCodeOf } from './tthc.published.ts';
import type { PublishedList, Table } from './tthc.read.ts';
import * as repo from './tthc.repository.ts';

type Imported = TthcInput & repo.PublishedFacts;

/** One changed field of a re-imported TTHC, as the result page lists it. */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface TthcImportResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Column headers of the file that were not imported. */
  ignored: string[];
  /** Rows given a local code, duplicate names: worth a look, nothing refused. */
  notes: ImportProblem[];
  changes: Array<{ id: number; code: string; name: string; fields: FieldChange[] }>;
}

const problem = (t: Table, row: number, key: string, msg: string, params?: Record<string, string | number>): ImportProblem => ({
  sheet: t.sheet,
  row,
  column: t.columnName(key),
  key: msg,
  params,
});

/** The channels sheet as texts per code: `Trực tiếp: 15 ngày làm việc; Trực tuyến: 10 ngày làm việc`. */
function channelTexts(list: PublishedList): Map<string, { time: string; fee: string }> {
  const by = new Map<string, Array<{ channel: string; time: string; fee: string }>>();
  for (const r of list.channels?.rows ?? []) {
    const code = nationalCodeOf(r.cells.code ?? '') ?? r.cells.code ?? '';
    by.set(code, [...(by.get(code) ?? []), { channel: r.cells.channel ?? '', time: r.cells.time ?? '', fee: r.cells.fee ?? '' }]);
  }
  const join = (items: Array<{ channel: string }>, pick: (i: { channel: string; time: string; fee: string }) => string) => {
    const all = (items as Array<{ channel: string; time: string; fee: string }>).filter((i) => pick(i));
    const distinct = [...new Set(all.map(pick))];
    if (distinct.length <= 1) return distinct[0] ?? '';
    return all.map((i) => (i.channel ? `${i.channel}: ${pick(i)}` : pick(i))).join('; ');
  };
  return new Map([...by].map(([code, items]) => [code, { time: join(items, (i) => i.time), fee: join(items, (i) => i.fee) }]));
}

function legalTexts(list: PublishedList): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const r of list.legal?.rows ?? []) {
    const code = nationalCodeOf(r.cells.code ?? '') ?? r.cells.code ?? '';
    const line = [r.cells.number, r.cells.title, r.cells.date, r.cells.issuer].filter(Boolean).join(' ');
    if (line) out.set(code, [...(out.get(code) ?? []), line]);
  }
  return new Map([...out].map(([k, v]) => [k, v.join('\n')]));
}

const shown = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));

/** The fields that differ, old → new (what a re-import changes). */
function changesOf(cur: Tthc, d: Imported): FieldChange[] {
  const pairs: Array<[string, unknown, unknown]> = [
    ['name', cur.name, d.name],
    ['field', cur.field, d.field],
    ['levels', cur.levels, d.levels],
    ['timeText', cur.timeText, d.timeText],
    ['legalDays', cur.legalDays, d.legalDays],
    ['fees', cur.fees, d.fees],
    ['feeAmount', cur.feeAmount, d.feeAmount],
    ['legalBasis', cur.legalBasis, d.legalBasis],
    ['onlineLevel', cur.onlineLevel, d.onlineLevel],
    ['noNationalCode', cur.noNationalCode, d.noNationalCode],
  ];
  return pairs.filter(([, a, b]) => shown(a) !== shown(b)).map(([field, a, b]) => ({ field, before: shown(a), after: shown(b) }));
}

/** An empty cell keeps what the list has, unless the user asked blanks to clear it. */
function keepBlanks(cur: Tthc, d: Imported, blank: Set<string>): Imported {
  const out = { ...d };
  if (blank.has('time')) Object.assign(out, { timeText: cur.timeText, timeDays: cur.timeDays, legalDays: cur.legalDays });
  if (blank.has('fees')) Object.assign(out, { fees: cur.fees, feeAmount: cur.feeAmount });
  if (blank.has('legalBasis')) out.legalBasis = cur.legalBasis;
  if (blank.has('onlineLevel')) out.onlineLevel = cur.onlineLevel;
  return out;
}

/** A refused row: the problem, with the procedure's name and the value refused. */
export interface RefusedRow extends ImportProblem {
  name: string;
  value: string;
}

/** What a published list would do to a province's list, before anything is written. */
export interface TthcPlan {
  province: Unit;
  existing: Tthc[];
  rows: Array<{ row: number; d: Imported; blank: Set<string> }>;
  refused: RefusedRow[];
  notes: ImportProblem[];
  ignored: string[];
  /** Every code the file names, refused rows too (what is not among them is missing). */
  codes: Set<string>;
}

/**
 * Checks every row of a published list against the province's list: new codes, known ones,
 * rows without a code given a local code (stable by name), and every refusal with its value.
 */
export async function planPublishedList(db: Knex, opts: { province: Unit; list: PublishedList }): Promise<TthcPlan> {
  const { province, list } = opts;
  const { main } = list;
  if (main.rows.length === 0) throw new AppError('IMPORT_EMPTY');
  const channels = channelTexts(list);
  const legal = legalTexts(list);
  const existing = await repo.allOfProvince(db, province.id);
  const byCode = new Map(existing.map((t) => [t.code, t]));
  const byName = new Map(existing.map((t) => [nameKey(t.name), t]));
  const problems: RefusedRow[] = [];
  const codes = new Set<string>();
  const notes: ImportProblem[] = [];
  const rows: Array<{ row: number; d: Imported; blank: Set<string> }> = [];
  const seenCode = new Map<string, number>();
  const seenName = new Map<string, number>();
  const taken = new Set(existing.map((t) => t.code));
  for (const { row, cells } of main.rows) {
    const refuse = (key: string, msg: string, params?: Record<string, string | number>) =>
      problems.push({ ...problem(main, row, key, msg, params), name: cells.name ?? '', value: cells[key] ?? '' });
    const raw = (cells.code ?? '').trim();
    if (raw) codes.add(nationalCodeOf(raw) ?? raw);
    let code = raw ? nationalCodeOf(raw) : undefined;
    if (raw && !code && isLocalCode(raw, province.code)) code = raw;
    if (raw && !code) {
      refuse('code', 'v.tthc_code_national', { value: raw });
      continue;
    }
    const child = code ? channels.get(code) : undefined;
    const timeText = cells.time || child?.time || '';
    const feeText = cells.fees || child?.fee || '';
    const basis = cells.legalBasis || (code ? legal.get(code) : undefined) || '';
    const blank = new Set(
      ['time', 'fees', 'legalBasis', 'onlineLevel'].filter((k) => !{ time: timeText, fees: feeText, legalBasis: basis, onlineLevel: cells.onlineLevel }[k]),
    );
    const { levels, unknown } = levelsOf(cells.level ?? '');
    if (levels.length === 0) refuse('level', 'v.level_unknown');
    const online = onlineFrom(cells.onlineLevel ?? '');
    if (!online) refuse('onlineLevel', 'v.online_unknown');
    if (unknown.length && levels.length) notes.push(problem(main, row, 'level', 'v.level_ignored', { value: unknown.join(', ') }));
    const numeric = /^-?\d+([.,]\d+)?$/.test(timeText.trim());
    const days = numeric ? [] : daysOf(timeText);
    const key = nameKey(cells.name ?? '');
    const sameName = byName.get(key);
    let noNationalCode = false;
    if (!code) {
      if (sameName) {
        code = sameName.code;
        noNationalCode = sameName.noNationalCode;
      } else {
        const prefix = localCodePrefix(province.code, cells.field || 'TTHC');
        let n = 1;
        while (taken.has(`${prefix}-${String(n).padStart(3, '0')}`)) n++;
        code = `${prefix}-${String(n).padStart(3, '0')}`;
        noNationalCode = true;
      }
      notes.push(problem(main, row, 'code', 'v.tthc_local_code', { code }));
    } else if (isLocalCode(code, province.code)) noNationalCode = byCode.get(code)?.noNationalCode ?? true;
    taken.add(code);
    const parsed = tthcInput.safeParse({
      ...cells,
      code,
      provinceId: String(province.id),
      level: levels[0] ?? 'commune',
      legalDays: numeric ? timeText : days.length ? String(days[0]) : '',
      fees: feeText,
      legalBasis: basis,
      onlineLevel: online ?? 'none',
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const k = String(i.path[0] ?? 'code');
        const [msg, n] = i.message.split('|');
        refuse(k === 'legalDays' ? 'time' : k, /^v\.[a-z_]+$/.test(msg ?? '') ? (msg as string) : 'v.invalid', n ? { n } : undefined);
      }
      continue;
    }
    if (seenCode.has(code)) refuse('code', 'v.duplicate_code', { code });
    codes.add(code);
    seenCode.set(code, row);
    const twin = seenName.get(key);
    if (twin !== undefined) notes.push(problem(main, row, 'name', 'v.tthc_same_name_row', { row: twin }));
    else if (sameName && sameName.code !== code) notes.push(problem(main, row, 'name', 'v.tthc_same_name_list', { code: sameName.code }));
    seenName.set(key, row);
    const d: Imported = {
      ...parsed.data,
      levels: levels.length ? levels : [parsed.data.level],
      noNationalCode,
      timeText: numeric ? null : timeText || null,
      timeDays: days,
      feeAmount: feeText ? feeAmountOf(feeText) : null,
    };
    rows.push({ row, d, blank });
  }
  const ignored = [...new Set([list.main, list.channels, list.legal].flatMap((t) => t?.ignored ?? []))];
  return { province, existing, rows, refused: problems, notes, ignored, codes };
}

type Decision = { row: number; d: Imported; cur?: Tthc; fields: FieldChange[] };

/** Each row's outcome: new (no current TTHC), changed (some fields differ) or unchanged. */
function decide(plan: TthcPlan, clearBlanks: boolean): Decision[] {
  const byCode = new Map(plan.existing.map((t) => [t.code, t]));
  return plan.rows.map(({ row, d: input, blank }) => {
    const cur = byCode.get(input.code);
    if (!cur) return { row, d: input, fields: [] };
    const d = clearBlanks ? input : keepBlanks(cur, input, blank);
    return { row, d, cur, fields: changesOf(cur, d) };
  });
}

interface PreviewRow {
  row: number;
  code: string;
  name: string;
}

/** What applying the file would do, row by row; nothing is written to make it. */
export interface TthcPreview {
  created: PreviewRow[];
  changed: Array<PreviewRow & { id: number; fields: FieldChange[] }>;
  unchanged: Array<PreviewRow & { id: number }>;
  /** The first `refusedShown` refusals; `refusedCount` counts them all. */
  refused: RefusedRow[];
  refusedCount: number;
  /** TTHC of the list (not retired) that the file does not name: offered for retirement. */
  missing: Array<{ id: number; code: string; name: string; field: string }>;
  notes: ImportProblem[];
  ignored: string[];
}

export const refusedShown = 200;

export function previewOf(plan: TthcPlan, clearBlanks: boolean): TthcPreview {
  const out: TthcPreview = {
    created: [],
    changed: [],
    unchanged: [],
    refused: plan.refused.slice(0, refusedShown),
    refusedCount: plan.refused.length,
    missing: plan.existing.filter((t) => !t.retiredAt && !plan.codes.has(t.code)).map((t) => ({ id: t.id, code: t.code, name: t.name, field: t.field })),
    notes: plan.notes,
    ignored: plan.ignored,
  };
  for (const { row, d, cur, fields } of decide(plan, clearBlanks)) {
    const base = { row, code: d.code, name: d.name };
    if (!cur) out.created.push(base);
    else if (fields.length) out.changed.push({ ...base, id: cur.id, fields });
    else out.unchanged.push({ ...base, id: cur.id });
  }
  return out;
}

/**
 * Writes a checked plan in the caller's transaction: new codes created, known ones updated field
 * by field (an empty cell keeps the value unless `clearBlanks`), every change audited. Any refusal
 * and nothing is written.
 */
export async function applyPlan(trx: Knex.Transaction, plan: TthcPlan, opts: { actor: Actor; clearBlanks: boolean; at: string }): Promise<TthcImportResult> {
  if (plan.refused.length) throw new ImportReportError(plan.refused);
  const { actor, at } = opts;
  const province = plan.province;
  const out: TthcImportResult = { created: 0, updated: 0, unchanged: 0, ignored: plan.ignored, notes: plan.notes, changes: [] };
  for (const { d, cur, fields } of decide(plan, opts.clearBlanks)) {
    const audit = { at, userId: actor.user.id, action: 'import' as const, entity: 'tthc' as const, unitId: province.id, requestId: actor.requestId };
    if (!cur) {
      const id = await repo.insertTthc(trx, province.id, d, at);
      await writeAudit(trx, { ...audit, entityId: id, after: d });
      out.created++;
    } else if (fields.length === 0) out.unchanged++;
    else {
      if (!(await repo.updateTthc(trx, cur.id, cur.version, d, at))) throw new AppError('STALE_EDIT');
      await writeAudit(trx, { ...audit, entityId: cur.id, before: cur, after: d });
      out.changes.push({ id: cur.id, code: cur.code, name: d.name, fields });
      out.updated++;
    }
  }
  return out;
}
