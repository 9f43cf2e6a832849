import { defineModule } from '../module.ts';
import { documentApi } from './documents.api.ts';
import { documentRoutes } from './documents.routes.ts';

/** Printed documents in the NĐ 30/2020 layout: drafts, approval, issue, batch printing. */
export const documentsModule = defineModule({ id: 'documents', pages: (s, env) => [documentRoutes(s, env.clock)], api: (s) => [documentApi(s)] });
