import { defineModule } from '../module.ts';
import { unitApi } from './units.api.ts';
import { unitRoutes } from './units.routes.ts';

/** The unit tree: provinces, communes, departments, mergers and moves. */
export const unitsModule = defineModule({ id: 'units', pages: (s) => [unitRoutes(s)], api: (s) => [unitApi(s)] });
