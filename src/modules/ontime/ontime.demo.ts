import type { Knex } from 'knex';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { OnTimeService } from './ontime.service.ts';

/**
 * Demo data: four quarters of on-time figures of a commune, entered as an officer
 * would, so that its page shows a trend and the dashboard a rate. The first quarter is the seed
 * figure of DOMAIN.md (454 dossiers, 406 early).
 */
export async function seedOnTimeDemo(db: Knex, clock: Clock, who: { officer: Actor; unitId: number }): Promise<void> {
  const s = new OnTimeService(db, clock);
  const year = Number(new Date(clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 4)) - 1;
  const quarters: Array<[string, string, number, number, number, number, number]> = [
    ['01-01', '03-31', 454, 406, 30, 18, 18],
    ['04-01', '06-30', 380, 300, 70, 10, 10],
    ['07-01', '09-30', 410, 352, 52, 6, 6],
    ['10-01', '12-31', 398, 360, 36, 2, 2],
  ];
  for (const [start, end, received, early, onTime, late, apologies] of quarters) {
    await s.add(who.officer, who.unitId, { periodStart: `${year}-${start}`, periodEnd: `${year}-${end}`, received, early, onTime, late, apologies });
  }
}
