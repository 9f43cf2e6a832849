import { checkModules } from './module.ts';
import { setupModule } from './setup/index.ts';
import { accountModule } from './account/index.ts';
import { unitsModule } from './units/index.ts';
import { usersModule } from './users/index.ts';
import { auditModule } from './audit/index.ts';
import { catalogModule } from './catalog/index.ts';
import { pluginsModule } from '../plugins/module.ts';
import { notificationsModule } from './notifications/index.ts';
import { checksModule } from './checks/index.ts';
import { actionsModule } from './actions/index.ts';
import { reviewsModule } from './reviews/index.ts';
import { programmeModule } from './programme/index.ts';
import { documentsModule } from './documents/index.ts';
import { inspectionsModule } from './inspections/index.ts';
import { onTimeModule } from './ontime/index.ts';
import { dashboardModule } from './dashboard/index.ts';
import { mergerModule } from './merger/index.ts';
import { publicModule } from './public/index.ts';

/**
 * The app's areas, in the order their routes are mounted (a page path is matched against the
 * areas in this order). A new area is a folder with an `index.ts` and one line here.
 */
export const modules = checkModules([
  setupModule,
  accountModule,
  unitsModule,
  usersModule,
  auditModule,
  catalogModule,
  pluginsModule,
  notificationsModule,
  checksModule,
  actionsModule,
  reviewsModule,
  programmeModule,
  documentsModule,
  inspectionsModule,
  onTimeModule,
  dashboardModule,
  mergerModule,
  publicModule,
]);
