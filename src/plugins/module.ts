import { defineModule } from '../modules/module.ts';
import { pluginApi, pluginRoutes } from './routes.ts';

/** The administrator's plugin page: what loaded, what failed, the reminders and their runs. */
export const pluginsModule = defineModule({
  id: 'plugins',
  pages: (s, env) => [pluginRoutes(s, env.clock)],
  api: (s, env) => [pluginApi(s, env.clock)],
});
