import { insertId, toCount } from '../../db/helpers.ts';
import { rateOf, type OnTimeCounts, type OnTimeFigure, type OnTimeSource } from './ontime.types.ts';
import type { Db } from '../../kernel/db.ts';

const columns = ['id', 'unit_id', 'period_start', 'period_end', 'received', 'early', 'on_time', 'late', 'apologies', 'source', 'created_at'];

export function toFigure(r: Record<string, unknown>): OnTimeFigure {
  const c = { received: Number(r.received), early: Number(r.early), onTime: Number(r.on_time), late: Number(r.late), apologies: Number(r.apologies) };
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    periodStart: String(r.period_start),
    periodEnd: String(r.period_end),
    ...c,
    source: r.source as OnTimeSource,
    rate: rateOf(c),
    createdAt: String(r.created_at),
  };
}

/** A unit's figures, oldest period first (the order of a trend). */
export async function figuresOf(db: Db, unitId: number): Promise<OnTimeFigure[]> {
  const rows = (await db('on_time_figures')
    .where('unit_id', unitId)
    .orderBy([{ column: 'period_start' }, { column: 'id' }])
    .select(columns)) as Array<Record<string, unknown>>;
  return rows.map(toFigure);
}

/** The first figure of the unit whose period shares a day with [start, end] (both included). */
export async function overlapping(db: Db, unitId: number, start: string, end: string): Promise<OnTimeFigure | undefined> {
  const row = (await db('on_time_figures')
    .where('unit_id', unitId)
    .where('period_start', '<=', end)
    .where('period_end', '>=', start)
    .orderBy('period_start')
    .first(columns)) as Record<string, unknown> | undefined;
  return row ? toFigure(row) : undefined;
}

export async function insertFigure(
  db: Db,
  unitId: number,
  c: OnTimeCounts & { periodStart: string; periodEnd: string },
  source: OnTimeSource,
  userId: number,
  at: string,
): Promise<number> {
  return insertId(
    db('on_time_figures').insert({
      unit_id: unitId,
      period_start: c.periodStart,
      period_end: c.periodEnd,
      received: c.received,
      early: c.early,
      on_time: c.onTime,
      late: c.late,
      apologies: c.apologies,
      source,
      created_by: userId,
      created_at: at,
      updated_at: at,
    }),
  );
}

/**
 * The totals of a unit's figures whose periods start within [from, to]: what the yearly report
 * and the management review inputs quote (the figures feed the yearly report and the review).
 */
export async function onTimeSummary(db: Db, unitId: number, from: string, to: string): Promise<OnTimeCounts & { periods: number; rate: number | null }> {
  const row = (await db('on_time_figures')
    .where('unit_id', unitId)
    .where('period_start', '>=', from)
    .where('period_start', '<=', to)
    .first(
      db.raw('count(*) as n'),
      db.raw('sum(received) as received'),
      db.raw('sum(early) as early'),
      db.raw('sum(on_time) as on_time'),
      db.raw('sum(late) as late'),
      db.raw('sum(apologies) as apologies'),
    )) as Record<string, unknown>;
  const c = {
    received: toCount(row.received),
    early: toCount(row.early),
    onTime: toCount(row.on_time),
    late: toCount(row.late),
    apologies: toCount(row.apologies),
  };
  return { ...c, periods: toCount(row.n), rate: rateOf(c) };
}
