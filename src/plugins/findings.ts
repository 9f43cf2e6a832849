import type { FindingCondition, FormItem, Severity } from './contract.ts';

/**
 * What a form's finding rules say about one answer. The checks and inspections modules call this
 * when an answer is saved; the rules are data in the form definition (see contract.ts).
 */
export type AnswerValue = string | number | null | undefined;

const rank: Record<Severity, number> = { major: 3, minor: 2, observation: 1 };

function isEmpty(v: AnswerValue): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function daysBetween(fromDay: string, to: Date): number {
  return Math.floor((to.getTime() - Date.parse(`${fromDay.slice(0, 10)}T00:00:00+07:00`)) / 86_400_000);
}

export function conditionMatches(when: FindingCondition, answer: AnswerValue, asOf: Date): boolean {
  if ('empty' in when) return isEmpty(answer);
  if (isEmpty(answer)) return false;
  if ('equals' in when) return String(answer) === String(when.equals);
  if ('in' in when) return when.in.some((v) => String(v) === String(answer));
  const n = Number(answer);
  if ('below' in when) return Number.isFinite(n) && n < when.below;
  if ('above' in when) return Number.isFinite(n) && n > when.above;
  return daysBetween(String(answer), asOf) > when.olderThanDays;
}

/** The most severe finding an answer raises, or undefined when it raises none. */
export function findingFor(item: Pick<FormItem, 'findings'>, answer: AnswerValue, asOf: Date): Severity | undefined {
  let worst: Severity | undefined;
  for (const rule of item.findings ?? []) {
    if (conditionMatches(rule.when, answer, asOf) && (!worst || rank[rule.severity] > rank[worst])) worst = rule.severity;
  }
  return worst;
}
