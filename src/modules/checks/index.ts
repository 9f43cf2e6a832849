import { defineModule } from '../module.ts';
import { checkApi } from './checks.api.ts';
import { checkRoutes } from './checks.routes.ts';
import { checkUploadForms } from './upload.ts';

/** Compliance checks and internal audits: planning, answers, evidence, findings, sign-off. */
export const checksModule = defineModule({ id: 'checks', uploads: checkUploadForms, pages: (s) => [checkRoutes(s)], api: (s) => [checkApi(s)] });
