import { defineModule } from '../module.ts';
import { auditApi, auditRoutes } from './audit.routes.ts';

/** The audit log: who changed what, read within one's scope, in words, filtered, and in Excel. */
export const auditModule = defineModule({ id: 'audit', pages: (s, env) => [auditRoutes(s, env.translator)], api: (s) => [auditApi(s)] });
