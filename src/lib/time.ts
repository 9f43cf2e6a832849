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
