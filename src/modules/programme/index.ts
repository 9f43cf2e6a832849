import { defineModule } from '../module.ts';
import { programmeRoutes } from './programme.routes.ts';

/** The yearly internal audit programme of a unit or province. */
export const programmeModule = defineModule({ id: 'programme', pages: (s) => [programmeRoutes(s)] });
