import { defineModule } from '../module.ts';
import { inspectionApi } from './inspections.api.ts';
import { inspectionRoutes, inspectionUploadForms } from './inspections.routes.ts';
import { officialRoutes } from './officials.routes.ts';
import { teamRoutes } from './teams.routes.ts';

/** Discipline and ethics spot checks: teams and plans, staff lists, records, conclusions. */
export const inspectionsModule = defineModule({
  id: 'inspections',
  uploads: inspectionUploadForms,
  pages: (s, env) => [inspectionRoutes(s), teamRoutes(s), officialRoutes(s, env.config.catalog.uploadMaxBytes)],
  api: (s) => [inspectionApi(s)],
});
