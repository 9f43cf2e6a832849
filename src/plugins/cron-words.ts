/**
 * A reminder's cron expression said in words ("hằng ngày lúc 07:00"): the locale key under
 * `plugins.schedule` and its parameters. The shapes the bundled plugins use are named; any other
 * expression is "on its own schedule", and the expression itself stays behind the technical toggle.
 */
export interface ScheduleWords {
  key: string;
  params: Record<string, string | number>;
}

const num = /^\d{1,2}$/;

export function cronWords(expr: string): ScheduleWords {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return { key: 'plugins.schedule.custom', params: {} };
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  if (!num.test(minute) || !num.test(hour)) return { key: 'plugins.schedule.custom', params: {} };
  const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
  if (dom === '*' && month === '*' && dow === '*') return { key: 'plugins.schedule.daily', params: { time } };
  if (dom === '*' && month === '*' && dow === '1-5') return { key: 'plugins.schedule.weekdays', params: { time } };
  if (dom === '*' && month === '*' && /^[0-7]$/.test(dow)) return { key: `plugins.schedule.weekly_${Number(dow) % 7}`, params: { time } };
  if (num.test(dom) && month === '*' && dow === '*') return { key: 'plugins.schedule.monthly', params: { time, day: Number(dom) } };
  if (num.test(dom) && num.test(month) && dow === '*') return { key: 'plugins.schedule.yearly', params: { time, day: Number(dom), month: Number(month) } };
  return { key: 'plugins.schedule.custom', params: {} };
}
