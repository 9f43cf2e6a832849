import type { TrendPoint } from './cycles.service.ts';

/**
 * The geometry of the score trend, drawn by the page as an inline SVG (no chart library, no
 * script: the chart is part of the HTML and prints as it is shown). One line per form, since the
 * scores of different forms are not comparable; checks are placed in date order on a shared axis.
 */
export interface TrendChart {
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
  yTicks: Array<{ y: number; label: string }>;
  series: Array<{ formId: string; title: { vi: string; en: string }; color: string; points: Array<{ x: number; y: number } & TrendPoint>; polyline: string }>;
}

// Colours that stay apart for the usual colour-vision deficiencies (Okabe-Ito).
const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

export function trendChart(points: TrendPoint[]): TrendChart | undefined {
  if (points.length === 0) return undefined;
  const width = 640;
  const height = 220;
  const left = 44;
  const right = width - 28; // room for half of the last date label (YYYY-MM, centred on its point)
  const top = 12;
  const bottom = height - 28;
  const step = points.length > 1 ? (right - left) / (points.length - 1) : 0;
  const xOf = (i: number) => Math.round((points.length > 1 ? left + i * step : (left + right) / 2) * 10) / 10;
  const yOf = (score: number) => Math.round((bottom - (Math.max(0, Math.min(100, score)) / 100) * (bottom - top)) * 10) / 10;
  const byForm = new Map<string, TrendChart['series'][number]>();
  points.forEach((p, i) => {
    let s = byForm.get(p.formId);
    if (!s) {
      s = { formId: p.formId, title: p.formTitle, color: palette[byForm.size % palette.length]!, points: [], polyline: '' };
      byForm.set(p.formId, s);
    }
    s.points.push({ ...p, x: xOf(i), y: yOf(p.score) });
  });
  const series = [...byForm.values()].map((s) => ({ ...s, polyline: s.points.map((p) => `${p.x},${p.y}`).join(' ') }));
  const yTicks = [0, 25, 50, 75, 100].map((v) => ({ y: yOf(v), label: `${v}%` }));
  return { width, height, top, bottom, left, right, yTicks, series };
}
