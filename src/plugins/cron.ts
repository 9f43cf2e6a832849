/**
 * Five-field cron expressions (`minute hour day-of-month month day-of-week`), read here so that a
 * plugin with a bad schedule fails when it loads, not at 2 a.m., and so the admin page can show
 * the next run. Times are Viet Nam time (Asia/Ho_Chi_Minh, UTC+7 all year: no daylight saving).
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
}

export class CronError extends Error {}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesFrom?: number;
}

const fields: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: monthNames, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: dayNames, namesFrom: 0 },
];

function value(text: string, f: FieldSpec): number {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (f.namesFrom ?? 0);
  if (!/^\d+$/.test(text)) throw new CronError(`${f.name}: "${text}" is not a number`);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new CronError(`${f.name}: ${n} is outside ${f.min}-${f.max}`);
  return n;
}

function parseField(text: string, f: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`${f.name}: cannot read "${part}"`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new CronError(`${f.name}: step must be at least 1`);
    const range = m[1] as string;
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = f.min;
      hi = f.max;
    } else if (range.includes('-')) {
      const [a, b, extra] = range.split('-');
      if (extra !== undefined || !a || !b) throw new CronError(`${f.name}: cannot read "${range}"`);
      lo = value(a, f);
      hi = value(b, f);
      if (lo > hi) throw new CronError(`${f.name}: range ${range} runs backwards`);
    } else {
      lo = value(range, f);
      hi = m[2] === undefined ? lo : f.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(f.name === 'day of week' && v === 7 ? 0 : v);
  }
  return out;
}

export function parseCron(expr: string): CronSchedule {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [mi, h, d, mo, w] = parts.map((p, i) => parseField(p, fields[i] as FieldSpec)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const daysRestricted = !(parts[2] as string).startsWith('*');
  const weekdaysRestricted = !(parts[4] as string).startsWith('*');
  // Cron implementations disagree on what both together mean (either day, or both), so a plugin
  // must say which one it means.
  if (daysRestricted && weekdaysRestricted) throw new CronError('restrict the day of the month or the day of the week, not both');
  // A schedule that can never fire (30 February) is a mistake, not a schedule.
  const maxDay = Math.max(...[...mo].map((m) => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number));
  if (Math.min(...d) > maxDay) throw new CronError('day of month never occurs in the months given');
  return { minutes: mi, hours: h, days: d, months: mo, weekdays: w };
}

/** The error of an expression, or undefined when it is valid. */
export function cronProblem(expr: string): string | undefined {
  try {
    parseCron(expr);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const tzOffsetMs = 7 * 3600_000;

function dayMatches(s: CronSchedule, day: number, weekday: number): boolean {
  return s.days.has(day) && s.weekdays.has(weekday);
}

/** The first run strictly after `after`, or undefined if none within five years. */
export function nextRun(expr: string | CronSchedule, after: Date): Date | undefined {
  const s = typeof expr === 'string' ? parseCron(expr) : expr;
  // Work in Viet Nam wall-clock time expressed as a UTC date, then shift back.
  const start = new Date(Math.floor((after.getTime() + tzOffsetMs) / 60_000) * 60_000 + 60_000);
  const minutes = [...s.minutes].sort((a, b) => a - b);
  const hours = [...s.hours].sort((a, b) => a - b);
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  for (let i = 0; i < 366 * 5; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    if (!s.months.has(day.getUTCMonth() + 1) || !dayMatches(s, day.getUTCDate(), day.getUTCDay())) continue;
    const sameDay = i === 0;
    for (const h of hours) {
      if (sameDay && h < start.getUTCHours()) continue;
      for (const m of minutes) {
        if (sameDay && h === start.getUTCHours() && m < start.getUTCMinutes()) continue;
        return new Date(day.getTime() + h * 3600_000 + m * 60_000 - tzOffsetMs);
      }
    }
  }
  return undefined;
}
