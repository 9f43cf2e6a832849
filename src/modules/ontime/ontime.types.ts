/** Where a figure came from. */
export const onTimeSources = ['form', 'import', 'api'] as const;
export type OnTimeSource = (typeof onTimeSources)[number];

/** The counts of one period, as entered (QĐ 766/QĐ-TTg). */
export interface OnTimeCounts {
  received: number;
  early: number;
  onTime: number;
  late: number;
  apologies: number;
}

export interface OnTimeFigure extends OnTimeCounts {
  id: number;
  unitId: number;
  periodStart: string;
  periodEnd: string;
  source: OnTimeSource;
  /** (early + on time) / due in percent, one decimal; null when nothing was due. */
  rate: number | null;
  createdAt: string;
}

/** A figure in a unit's trend: its rate against the period before, in percentage points. */
export interface TrendPoint extends OnTimeFigure {
  change: number | null;
}

/**
 * The rate of QĐ 766/QĐ-TTg: dossiers settled early or on time over dossiers due. Here "due" is
 * `received`: a figure counts the dossiers whose deadline fell in the period, each settled early,
 * on time or late, so early + on time + late = received (docs/architecture.md, On-time figures).
 */
export function rateOf(c: Pick<OnTimeCounts, 'received' | 'early' | 'onTime'>): number | null {
  if (!c.received) return null;
  return Math.round(((c.early + c.onTime) / c.received) * 1000) / 10;
}
