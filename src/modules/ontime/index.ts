import { defineModule } from '../module.ts';
import { onTimeApi } from './ontime.api.ts';
import { onTimeRoutes, onTimeUploadForm } from './ontime.routes.ts';

/** On-time figures of dossiers (QĐ 766/QĐ-TTg), entered, imported or pushed. */
export const onTimeModule = defineModule({
  id: 'on-time',
  uploads: (config) => [onTimeUploadForm(config.catalog.uploadMaxBytes)],
  pages: (s, env) => [onTimeRoutes(s, env.config.catalog.uploadMaxBytes)],
  api: (s) => [onTimeApi(s)],
});
