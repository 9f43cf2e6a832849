import { defineModule } from '../module.ts';
import { setupRoutes } from './setup.routes.ts';

/** The first-run page that creates the administrator. */
export const setupModule = defineModule({ id: 'setup', pages: (s) => [setupRoutes(s)] });
