import { defineModule } from '../module.ts';
import { publicRoutes } from './public.routes.ts';
import { satisfactionApi } from './satisfaction.api.ts';
import { satisfactionRoutes } from './satisfaction.routes.ts';

/**
 * The public pages (a unit's page and its satisfaction survey, open without sign-in) and the
 * survey's results for the unit's people.
 */
export const publicModule = defineModule({
  id: 'public',
  pages: (s, env) => [publicRoutes(s), satisfactionRoutes(s, env.config.baseUrl, env.translator)],
  api: (s) => [satisfactionApi(s)],
});
