import type { FormDefinition, FormItem, Severity } from '../../plugins/contract.ts';
import { findingFor } from '../../plugins/findings.ts';
import type { FieldErrors } from '../../kernel/errors.ts';
import { isCalendarDate } from '../../lib/time.ts';
import { nfc } from '../../lib/text.ts';

/**
 * The rules of a check that need no database: what a valid answer is for each answer type, the
 * score, the progress, and the findings the form's rules raise. The service and the pages share
 * them, so the score on the page is the score stored at submit.
 */

export interface StoredAnswer {
  sectionId: string;
  itemId: string;
  /** Text as stored; numbers as decimal text. Null when only a note was given. */
  value: string | null;
  note: string | null;
  answeredBy: number;
  answeredByName: string;
  answeredAt: string;
  version: number;
}

export const noteMax = 4000;
const textMax = 4000;

/** Every item of a form with its section, in order. */
export function itemsOf(form: FormDefinition): Array<{ sectionId: string; item: FormItem }> {
  return form.sections.flatMap((s) => s.items.map((item) => ({ sectionId: s.id, item })));
}

export function findItem(form: FormDefinition, itemId: string): { sectionId: string; item: FormItem } | undefined {
  return itemsOf(form).find((e) => e.item.id === itemId);
}

/**
 * Checks one answer against its item's type and returns it as stored (null: no answer). Throws
 * nothing: returns the message key of what is wrong instead, so that a section save can report
 * every bad item at once.
 */
export function normaliseAnswer(item: FormItem, raw: unknown): { value: string | null } | { error: string } {
  if (raw === undefined || raw === null) return { value: null };
  if (typeof raw !== 'string' && typeof raw !== 'number') return { error: 'v.invalid' };
  const text = nfc(String(raw)).trim();
  if (text === '') return { value: null };
  const spec = item.answer;
  switch (spec.type) {
    case 'yes-no-na':
      return ['yes', 'no', 'na'].includes(text) ? { value: text } : { error: 'v.answer_yes_no_na' };
    case 'scale': {
      const n = Number(text);
      return Number.isInteger(n) && n >= spec.min && n <= spec.max ? { value: String(n) } : { error: 'v.answer_scale' };
    }
    case 'number': {
      // Vietnamese users write a decimal comma.
      const n = Number(text.replace(',', '.'));
      if (!Number.isFinite(n) || !/^-?[\d.,]+$/.test(text)) return { error: 'v.not_a_number' };
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return { error: 'v.answer_range' };
      return { value: String(n) };
    }
    case 'text':
      return text.length <= textMax ? { value: text } : { error: 'v.answer_too_long' };
    case 'date':
      return isCalendarDate(text) ? { value: text } : { error: 'v.date' };
    case 'choice':
      return spec.options.some((o) => o.value === text) ? { value: text } : { error: 'v.choose' };
    case 'photo':
      // Evidence files and photos come with the evidence slice; nothing can be typed here.
      return { error: 'v.answer_photo' };
  }
}

/** The answer as `findingFor` compares it: numbers for scale and number items. */
export function typedValue(item: FormItem, value: string | null): string | number | null {
  if (value === null) return null;
  return item.answer.type === 'scale' || item.answer.type === 'number' ? Number(value) : value;
}

/**
 * An item's part of the score, from 0 to 1, or undefined when it does not count:
 * - yes-no-na: yes = 1, no = 0, na (not applicable) leaves the item out;
 * - scale: (answer - min) / (max - min), so the top of the scale is 1 and the bottom 0;
 * - number, text, date, choice, photo: not scored (the form says nothing of which value is better);
 * - unanswered items and items of weight 0 are left out.
 */
export function itemScore(item: FormItem, value: string | null): number | undefined {
  if (value === null || item.weight <= 0) return undefined;
  if (item.answer.type === 'yes-no-na') return value === 'yes' ? 1 : value === 'no' ? 0 : undefined;
  if (item.answer.type === 'scale') {
    const span = item.answer.max - item.answer.min;
    return span > 0 ? (Number(value) - item.answer.min) / span : undefined;
  }
  return undefined;
}

export interface Score {
  /** Percent, one decimal; null while nothing scorable is answered. */
  percent: number | null;
  /** Sum of weight x item score, and sum of the weights that counted. */
  earned: number;
  possible: number;
}

/**
 * Score = sum(weight x item score) / sum(weight of the items that count) x 100, over a section
 * or the whole form. The overall score weighs items, not sections: a section with more (or
 * heavier) items weighs more, as the form's author set the weights.
 */
function scoreOf(entries: Array<{ item: FormItem }>, answers: Map<string, StoredAnswer>): Score {
  let earned = 0;
  let possible = 0;
  for (const { item } of entries) {
    const s = itemScore(item, answers.get(item.id)?.value ?? null);
    if (s === undefined) continue;
    earned += item.weight * s;
    possible += item.weight;
  }
  return { percent: possible > 0 ? Math.round((earned / possible) * 1000) / 10 : null, earned, possible };
}

export interface Scoring {
  overall: Score;
  sections: Record<string, Score>;
}

export function scoreCheck(form: FormDefinition, answers: Map<string, StoredAnswer>): Scoring {
  const sections: Record<string, Score> = {};
  for (const s of form.sections)
    sections[s.id] = scoreOf(
      s.items.map((item) => ({ item })),
      answers,
    );
  return { overall: scoreOf(itemsOf(form), answers), sections };
}

export interface Progress {
  items: number;
  answered: number;
  mandatory: number;
  /** Ids of the mandatory items still without an answer, in form order. */
  missing: string[];
}

export function progressOf(form: FormDefinition, answers: Map<string, StoredAnswer>): Progress {
  const all = itemsOf(form);
  const answered = all.filter(({ item }) => (answers.get(item.id)?.value ?? null) !== null).length;
  const mandatory = all.filter(({ item }) => item.mandatory);
  const missing = mandatory.filter(({ item }) => (answers.get(item.id)?.value ?? null) === null).map(({ item }) => item.id);
  return { items: all.length, answered, mandatory: mandatory.length, missing };
}

export interface RaisedFinding {
  sectionId: string;
  itemId: string;
  severity: Severity;
  clauseRef: string;
  answer: string | null;
}

/** The findings the form's rules raise from the answers, as of the check's date. */
export function findingsFrom(form: FormDefinition, answers: Map<string, StoredAnswer>, asOf: Date): RaisedFinding[] {
  const out: RaisedFinding[] = [];
  for (const { sectionId, item } of itemsOf(form)) {
    const value = answers.get(item.id)?.value ?? null;
    const severity = findingFor(item, typedValue(item, value), asOf);
    if (severity) out.push({ sectionId, itemId: item.id, severity, clauseRef: item.ref, answer: value });
  }
  return out;
}

/** The missing mandatory items as field errors (item id -> "required"), for the API and the page. */
export function missingAsFields(missing: string[]): FieldErrors {
  return Object.fromEntries(missing.map((id) => [id, { key: 'v.required' }]));
}
