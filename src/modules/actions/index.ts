import { defineModule } from '../module.ts';
import { actionApi } from './actions.api.ts';
import { actionRoutes } from './actions.routes.ts';

/** Corrective actions on findings (ISO 9001 clause 10.2). */
export const actionsModule = defineModule({ id: 'actions', pages: (s) => [actionRoutes(s)], api: (s) => [actionApi(s)] });
