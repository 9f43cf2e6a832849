/** Calendar arithmetic on `YYYY-MM-DD` days (no time zone: the host hands out Viet Nam days). */

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** `MM-DD` in a year; a day the month lacks (29 February of 2027) becomes the month's last day. */
export function dayInYear(year: number, mmdd: string): string {
  const [m, d] = mmdd.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${year}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** `15/12/2026`, as Vietnamese documents write a day. */
export function dmy(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** ISO 8601 week of a day, `2026-W10`: a weekly reminder's period. */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** `HNI=12-10,HCM=11-30` -> Map(HNI => 12-10, HCM => 11-30). */
export function parseDatesByProvince(text: string): Map<string, string> {
  return new Map(
    text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => p.split('=') as [string, string])
      .map(([code, mmdd]) => [code.trim().toUpperCase(), mmdd.trim()]),
  );
}
