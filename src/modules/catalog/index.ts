import { defineModule } from '../module.ts';
import { catalogApi } from './catalog.api.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { catalogUploadForms } from './upload.ts';

/** The catalog: TTHC lists, procedures and their life cycle, quality policy and objectives. */
export const catalogModule = defineModule({
  id: 'catalog',
  uploads: catalogUploadForms,
  pages: (s, env) => [catalogRoutes(s, env.config.catalog.uploadMaxBytes)],
  api: (s, env) => [catalogApi(s, env.config.catalog.uploadMaxBytes)],
});
