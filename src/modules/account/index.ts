import { defineModule } from '../module.ts';
import { accountRoutes } from './account.routes.ts';
import { authRoutes } from './auth.routes.ts';

/** Sign-in and sign-out, and the signed-in user's own account (password, language, API tokens). */
export const accountModule = defineModule({
  id: 'account',
  pages: (s, env) => [authRoutes(env.passport, s), accountRoutes(s, env.translator)],
});
