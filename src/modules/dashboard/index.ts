import { defineModule } from '../module.ts';
import { dashboardApi } from './dashboard.api.ts';
import { dashboardRoutes } from './dashboard.routes.ts';

/** What is due (home), the province dashboard, the national overview and a unit's readiness. */
export const dashboardModule = defineModule({
  id: 'dashboard',
  pages: (s, env) => [dashboardRoutes(s, env.config.dashboard.cacheMs)],
  api: (s) => [dashboardApi(s)],
});
