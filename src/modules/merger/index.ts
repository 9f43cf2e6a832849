import { defineModule } from '../module.ts';
import { mergerApi } from './merger.api.ts';
import { mergerRoutes } from './merger.routes.ts';

/** The 2025 merger as an ISO event: carrying the predecessors' scopes and procedures over. */
export const mergerModule = defineModule({ id: 'merger', pages: (s) => [mergerRoutes(s)], api: (s) => [mergerApi(s)] });
