import { defineModule } from '../module.ts';
import { auditApi, auditRoutes } from './audit.routes.ts';

/** The audit log: who changed what, read within one's scope. */
export const auditModule = defineModule({ id: 'audit', pages: (s) => [auditRoutes(s)], api: (s) => [auditApi(s)] });
