import type { FormDefinition, FormItem, FormSection, Severity } from '../../plugins/contract.ts';
import { findingFor } from '../../plugins/findings.ts';
import { normaliseAnswer, typedValue } from '../checks/checks.logic.ts';
import { isCalendarDate } from '../../lib/time.ts';
import { dayTimeFromInput } from '../../kernel/validation.ts';

/**
 * The rules of an inspection that need no database: how attendance maps onto the form's
 * attendance item, which items are asked per person and which of the unit, and the violations
 * the record derives from what was entered.
 */

export const presences = ['present', 'absent_with_reason', 'absent_without_reason', 'late'] as const;
export type Presence = (typeof presences)[number];

/** The form's attendance item (`discipline-spot-check`) answers with these values. */
const presenceAnswer: Record<Presence, string> = {
  present: 'present',
  absent_with_reason: 'absent-excused',
  absent_without_reason: 'absent-unexcused',
  late: 'late',
};

/** Items of the per-person section that attendance itself answers (not asked again per person). */
export const attendanceItemId = 'attendance';
export const reasonItemId = 'absence-reason';

export function personSection(form: FormDefinition): FormSection | undefined {
  return form.sections.find((s) => s.repeatPerPerson);
}

/** The items asked of each person present: the per-person section without attendance and its reason. */
export function personalItems(form: FormDefinition): FormItem[] {
  return (personSection(form)?.items ?? []).filter((i) => i.id !== attendanceItemId && i.id !== reasonItemId && i.answer.type !== 'photo');
}

/** The sections answered once for the unit (office, one-stop counter). */
export function unitSections(form: FormDefinition): FormSection[] {
  return form.sections.filter((s) => !s.repeatPerPerson);
}

export function unitItem(form: FormDefinition, itemId: string): FormItem | undefined {
  return unitSections(form)
    .flatMap((s) => s.items)
    .find((i) => i.id === itemId);
}

export function personalItem(form: FormDefinition, itemId: string): FormItem | undefined {
  return personalItems(form).find((i) => i.id === itemId);
}

/** Checks an answer against its item; a photo item is answered by uploading, never typed. */
export function checkAnswer(item: FormItem, raw: unknown): { value: string | null } | { error: string } {
  return normaliseAnswer(item, raw);
}

export interface AttendanceEntry {
  id: number;
  officialId: number | null;
  fullName: string;
  presence: Presence | null;
}

export interface AnswerEntry {
  attendanceId: number | null;
  itemId: string;
  value: string | null;
}

export interface DerivedViolation {
  attendanceId: number | null;
  officialId: number | null;
  fullName: string | null;
  itemId: string;
  kind: string;
  severity: Severity;
  answer: string | null;
}

/**
 * The violations of a closed record. Per person: the attendance (late, absent without reason, as
 * the form's attendance item rules them) and, for those at work (present or late), each personal
 * item whose answer the form's rules count as a finding. For the unit: the office and one-stop
 * items. An absent person is not judged on badge or dress: they were not there.
 */
export function deriveViolations(form: FormDefinition, people: AttendanceEntry[], answers: AnswerEntry[], asOf: Date): DerivedViolation[] {
  const out: DerivedViolation[] = [];
  const attendanceItem = personSection(form)?.items.find((i) => i.id === attendanceItemId);
  const items = personalItems(form);
  for (const p of people) {
    if (!p.presence) continue;
    const who = { attendanceId: p.id, officialId: p.officialId, fullName: p.fullName };
    if (attendanceItem) {
      const value = presenceAnswer[p.presence];
      const severity = findingFor(attendanceItem, value, asOf);
      if (severity) out.push({ ...who, itemId: attendanceItem.id, kind: value, severity, answer: value });
    }
    if (p.presence !== 'present' && p.presence !== 'late') continue;
    for (const item of items) {
      const value = answers.find((a) => a.attendanceId === p.id && a.itemId === item.id)?.value ?? null;
      const severity = findingFor(item, typedValue(item, value), asOf);
      if (severity) out.push({ ...who, itemId: item.id, kind: item.id, severity, answer: value });
    }
  }
  for (const section of unitSections(form)) {
    for (const item of section.items) {
      if (item.answer.type === 'photo') continue;
      const value = answers.find((a) => a.attendanceId === null && a.itemId === item.id)?.value ?? null;
      const severity = findingFor(item, typedValue(item, value), asOf);
      if (severity) out.push({ attendanceId: null, officialId: null, fullName: null, itemId: item.id, kind: item.id, severity, answer: value });
    }
  }
  return out;
}

/** The label of a violation kind in one locale: an attendance option, else the item's text. */
export function kindLabel(forms: FormDefinition[], kind: string, locale: 'vi' | 'en'): string {
  for (const form of forms) {
    for (const s of form.sections) {
      for (const item of s.items) {
        if (item.id === kind) return item.text[locale];
        if (item.answer.type === 'choice') {
          const o = item.answer.options.find((x) => x.value === kind);
          if (o) return o.label[locale];
        }
      }
    }
  }
  return kind;
}

/** A local date-time as typed (`DD/MM/YYYY HH:mm` or a `datetime-local` value, Viet Nam time) to an ISO instant. */
export function vnLocalToIso(typed: string): string | undefined {
  const text = dayTimeFromInput(typed);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  // Date.parse rolls 2026-02-30 over to 2 March: the day must exist as typed.
  if (!isCalendarDate(text.trim().slice(0, 10))) return undefined;
  if (!m) {
    const t = Date.parse(text);
    return /Z$|[+-]\d{2}:\d{2}$/.test(text.trim()) && !Number.isNaN(t) ? new Date(t).toISOString() : undefined;
  }
  const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}+07:00`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** An ISO instant as typed in Viet Nam time, `DD/MM/YYYY HH:mm`. */
export function isoToVnLocal(ts: string | null): string {
  if (!ts) return '';
  const [day, time] = new Date(Date.parse(ts) + 7 * 3600_000).toISOString().slice(0, 16).split('T') as [string, string];
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y} ${time}`;
}
