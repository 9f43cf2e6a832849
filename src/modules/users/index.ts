import { defineModule } from '../module.ts';
import { userApi } from './users.api.ts';
import { userRoutes } from './users.routes.ts';

/** Users and the roles they hold on units. */
export const usersModule = defineModule({ id: 'users', pages: (s) => [userRoutes(s)], api: (s) => [userApi(s)] });
