import type { Knex } from 'knex';
import type { Clock } from '../../lib/clock.ts';
import { OnTimeService } from '../ontime/ontime.service.ts';
import { DashboardService } from './dashboard.service.ts';
import { HomeService } from './home.service.ts';

export { DashboardService, HomeService, OnTimeService };

/** The dashboard, home and on-time services, built together because the home page reads the dashboard's figures. */
export function dashboardServices(
  db: Knex,
  clock: Clock,
  reviewMonths: number,
  cacheMs: number,
): { onTime: OnTimeService; dashboard: DashboardService; home: HomeService } {
  const dashboard = new DashboardService(db, clock, reviewMonths, cacheMs);
  return { onTime: new OnTimeService(db, clock), dashboard, home: new HomeService(db, dashboard) };
}
