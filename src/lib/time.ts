/** Timestamps are stored as ISO-8601 UTC strings (see the core migration). */
export function iso(d: Date): string {
  return d.toISOString();
}

/** A calendar date `YYYY-MM-DD` as users type it, checked for being a real day. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Today's date in Viet Nam (UTC+7, no daylight saving), as `YYYY-MM-DD`. */
export function vnDate(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** A day `YYYY-MM-DD` as Vietnamese text writes it, `DD/MM/YYYY` (in messages). */
export function dayText(day: string): string {
  return day.split('-').reverse().join('/');
}

/** The day `months` months before `day` (YYYY-MM-DD), clamped to the month's last day. */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
