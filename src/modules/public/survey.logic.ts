import type { FormDefinition, FormItem } from '../../plugins/contract.ts';
import type { FieldErrors } from '../../kernel/errors.ts';

/** Pure rules of the satisfaction survey: reading a citizen's answers and counting them. No database. */

export type AnswerValue = number | string;
export type Answers = Record<string, AnswerValue>;

/** The field of an item in the survey form. */
export const fieldOf = (itemId: string): string => `a_${itemId}`;

const textMax = 500;
const dossierRe = /^[A-Za-z0-9][A-Za-z0-9.\-/_]{2,59}$/;
// A Vietnamese phone number: 0 or +84, then 9 or 10 digits (spaces and dots allowed when typed).
const phoneRe = /^(0|\+84)\d{9,10}$/;

export interface SurveyInput {
  tthcId: number | null;
  dossierCode: string | null;
  answers: Answers;
  comment: string | null;
  phone: string | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function readItem(item: FormItem, raw: string): AnswerValue | { key: string; params?: Record<string, string | number> } | undefined {
  if (raw === '') return item.mandatory ? { key: 'sipas.v.answer_required' } : undefined;
  const a = item.answer;
  if (a.type === 'scale') {
    if (raw === 'na' && a.noOpinion) return 'na';
    const n = Number(raw);
    return Number.isInteger(n) && n >= a.min && n <= a.max ? n : { key: 'sipas.v.answer_invalid' };
  }
  if (a.type === 'choice') return a.options.some((o) => o.value === raw) ? raw : { key: 'sipas.v.answer_invalid' };
  if (a.type === 'text') return raw.length <= textMax ? raw : { key: 'v.too_long', params: { n: textMax } };
  return { key: 'sipas.v.answer_invalid' };
}

/** Reads the form's fields; the problems come back by field, for the form shown again. */
export function readSurvey(form: FormDefinition, body: Record<string, unknown>, tthcIds: readonly number[]): { input?: SurveyInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const answers: Answers = {};
  for (const s of form.sections)
    for (const item of s.items) {
      const got = readItem(item, str(body[fieldOf(item.id)]));
      if (got === undefined) continue;
      if (typeof got === 'object') errors[fieldOf(item.id)] = got;
      else answers[item.id] = got;
    }
  let tthcId: number | null = null;
  const tthcRaw = str(body.tthcId);
  if (tthcRaw) {
    const n = Number(tthcRaw);
    if (Number.isInteger(n) && tthcIds.includes(n)) tthcId = n;
    else errors.tthcId = { key: 'sipas.v.tthc_unknown' };
  }
  const dossierCode = str(body.dossierCode).toUpperCase() || null;
  if (dossierCode && !dossierRe.test(dossierCode)) errors.dossierCode = { key: 'sipas.v.dossier_code' };
  const comment = str(body.comment) || null;
  if (comment && comment.length > 1000) errors.comment = { key: 'v.too_long', params: { n: 1000 } };
  const phone = str(body.phone).replace(/[\s.]/g, '') || null;
  if (phone && !phoneRe.test(phone)) errors.phone = { key: 'sipas.v.phone' };
  else if (phone && body.consent !== 'yes') errors.consent = { key: 'sipas.v.consent_needed' };
  if (Object.keys(errors).length) return { errors };
  return { input: { tthcId, dossierCode, answers, comment, phone }, errors };
}

/** One stored answer as the results read it: its frozen form and what was chosen. */
export interface StoredAnswer {
  definition: FormDefinition;
  answers: Answers;
}

export interface ScaleTally {
  /** Answers with an opinion (1..5). */
  rated: number;
  /** Of those, "hài lòng" or "rất hài lòng" (the two top points). */
  satisfied: number;
  noOpinion: number;
  sum: number;
  /** sum / rated, two decimals; null when nobody gave an opinion. */
  average: number | null;
  /** satisfied / rated in percent, one decimal; null when nobody gave an opinion. */
  index: number | null;
}

export interface SurveySummary {
  answers: number;
  overall: ScaleTally;
  aspects: Array<{ id: string; title: FormDefinition['title']; tally: ScaleTally; items: Array<{ id: string; text: FormItem['text']; tally: ScaleTally }> }>;
}

const empty = (): ScaleTally => ({ rated: 0, satisfied: 0, noOpinion: 0, sum: 0, average: null, index: null });

function add(t: ScaleTally, v: AnswerValue, max: number): void {
  if (v === 'na') t.noOpinion += 1;
  else if (typeof v === 'number') {
    t.rated += 1;
    t.sum += v;
    // SIPAS counts the two top points of the five-point scale as satisfied (QĐ 1001/QĐ-BNV).
    if (v >= max - 1) t.satisfied += 1;
  }
}

function close(t: ScaleTally): ScaleTally {
  return {
    ...t,
    average: t.rated ? Math.round((t.sum / t.rated) * 100) / 100 : null,
    index: t.rated ? Math.round((t.satisfied / t.rated) * 1000) / 10 : null,
  };
}

/**
 * The satisfaction index = answers "hài lòng" or "rất hài lòng" / answers with an opinion, and
 * the average score = sum of the points / answers with an opinion, for every scale item, every
 * aspect (section) and all together. Each answer is read with the form it was given against; the
 * aspects and items are listed as the newest form has them.
 */
export function summarise(latest: FormDefinition, stored: readonly StoredAnswer[]): SurveySummary {
  const byItem = new Map<string, ScaleTally>();
  const bySection = new Map<string, ScaleTally>();
  const overall = empty();
  for (const s of stored)
    for (const section of s.definition.sections)
      for (const item of section.items) {
        if (item.answer.type !== 'scale') continue;
        const v = s.answers[item.id];
        if (v === undefined) continue;
        for (const t of [byItem, bySection]) {
          const key = t === byItem ? item.id : section.id;
          if (!t.has(key)) t.set(key, empty());
          add(t.get(key)!, v, item.answer.max);
        }
        add(overall, v, item.answer.max);
      }
  return {
    answers: stored.length,
    overall: close(overall),
    aspects: latest.sections
      .filter((s) => s.items.some((i) => i.answer.type === 'scale'))
      .map((s) => ({
        id: s.id,
        title: s.title,
        tally: close(bySection.get(s.id) ?? empty()),
        items: s.items.filter((i) => i.answer.type === 'scale').map((i) => ({ id: i.id, text: i.text, tally: close(byItem.get(i.id) ?? empty()) })),
      })),
  };
}

/** One answer's own tally of its five-point items, stored with it for grouped reading. */
export function tallyOf(stored: StoredAnswer): { rated: number; satisfied: number; points: number } {
  const t = empty();
  for (const section of stored.definition.sections)
    for (const item of section.items) {
      const v = stored.answers[item.id];
      if (item.answer.type === 'scale' && v !== undefined) add(t, v, item.answer.max);
    }
  return { rated: t.rated, satisfied: t.satisfied, points: t.sum };
}

/** Index (percent, one decimal) and average (two decimals) from summed tallies; null without an opinion. */
export function indexOf(rated: number, satisfied: number, points: number): { index: number | null; average: number | null } {
  const c = close({ ...empty(), rated, satisfied, sum: points });
  return { index: c.index, average: c.average };
}

/** A calendar quarter: `2026-Q4` from 2026-10-01 to 2026-12-31. */
export interface Quarter {
  key: string;
  year: number;
  q: number;
  from: string;
  to: string;
}

const lastDay = [31, 30, 30, 31];

export function quarterOf(day: string): Quarter {
  const year = Number(day.slice(0, 4));
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
  const m = (n: number) => String(n).padStart(2, '0');
  return { key: `${year}-Q${q}`, year, q, from: `${year}-${m(q * 3 - 2)}-01`, to: `${year}-${m(q * 3)}-${lastDay[q - 1]}` };
}

export function previousQuarter(qt: Quarter): Quarter {
  return qt.q === 1 ? quarterOf(`${qt.year - 1}-12-01`) : quarterOf(`${qt.year}-${String((qt.q - 1) * 3).padStart(2, '0')}-01`);
}

/** `2026-Q4` to its quarter, or undefined for anything else. */
export function parseQuarter(key: unknown): Quarter | undefined {
  const m = typeof key === 'string' ? /^(\d{4})-Q([1-4])$/.exec(key) : null;
  if (!m) return undefined;
  return quarterOf(`${m[1]}-${String(Number(m[2]) * 3).padStart(2, '0')}-01`);
}
