import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.ts';
import type { Clock } from './lib/clock.ts';
import type { Translator } from './lib/i18n.ts';
import type { PluginRegistry } from './plugins/registry.ts';
import { UnitsService } from './modules/units/units.service.ts';
import { UsersService } from './modules/users/users.service.ts';
import { AuditService } from './modules/audit/audit.service.ts';
import { createCatalogServices, type CatalogServices } from './modules/catalog/catalog.build.ts';
import { createReminderServices } from './modules/scheduler/scheduler.build.ts';
import type { Scheduler } from './modules/scheduler/scheduler.ts';
import type { NotificationsService } from './modules/notifications/notifications.service.ts';
import type { ReminderReads } from './modules/notifications/reads.service.ts';
import type { MailSender } from './modules/notifications/email.ts';
import { ChecksService } from './modules/checks/checks.service.ts';
import { ActionsService } from './modules/actions/actions.service.ts';
import { ReviewsService } from './modules/reviews/reviews.service.ts';
import { ProgrammeService } from './modules/programme/programme.service.ts';
import { DocumentsService } from './modules/documents/documents.service.ts';
import { createInspectionServices, type InspectionServices } from './modules/inspections/inspections.build.ts';
import { HandoffsService } from './modules/handoffs/handoffs.service.ts';
import { SetupGuideService } from './modules/setup/guide.service.ts';
import { handOffNotices } from './modules/handoffs/handoffs.notices.ts';
import { MergerService } from './modules/merger/merger.service.ts';
import { PublicService } from './modules/public/public.service.ts';
import { SatisfactionService } from './modules/public/satisfaction.service.ts';
import { dashboardServices, type DashboardService, type HomeService, type OnTimeService } from './modules/dashboard/dashboard.build.ts';

/** What the areas' services are built from. */
export interface ServiceDeps {
  config: AppConfig;
  db: Knex;
  clock: Clock;
  logger: Logger;
  translator: Translator;
  /** The plugins loaded at start (fixed by then). */
  plugins: PluginRegistry;
  /** Replaces the SMTP sender built from the configuration. */
  mailSender?: MailSender;
  /** The secret shared by every process: keys the hash of a survey client's address. */
  secret: string;
}

/** Every area's services, as the routes and the CLI use them. */
export interface Services {
  units: UnitsService;
  users: UsersService;
  audit: AuditService;
  catalog: CatalogServices;
  plugins: PluginRegistry;
  /** Read-only queries for reminder handlers (no actor: reminders look at every unit). */
  reads: ReminderReads;
  notifications: NotificationsService;
  scheduler: Scheduler;
  checks: ChecksService;
  actions: ActionsService;
  reviews: ReviewsService;
  programme: ProgrammeService;
  documents: DocumentsService;
  inspections: InspectionServices;
  onTime: OnTimeService;
  dashboard: DashboardService;
  home: HomeService;
  /** What waits for each user: the steps of others' work they can take. */
  handoffs: HandoffsService;
  /** The administrator's first steps on a new installation. */
  setupGuide: SetupGuideService;
  merger: MergerService;
  /** A unit's public page and its satisfaction survey (no sign-in). */
  publicPages: PublicService;
  satisfaction: SatisfactionService;
}

/**
 * Builds the services in the order they depend on one another, each from what it needs: no
 * service is patched in after the others, and none reaches the whole set.
 */
export function buildServices(d: ServiceDeps): Services {
  const { db, clock, config, logger, plugins } = d;
  const users = new UsersService(db, clock, config);
  // A move rewrites unit paths that cached signed-in users carry in their role assignments.
  const units = new UnitsService(db, clock, () => users.sessionUsers.clear());
  // The hand-off needs the inbox, which needs the actions for its reminders: it is called after both exist.
  const actions = new ActionsService(db, clock, (e) => handOff(e));
  const inspections = createInspectionServices(db, clock, () => plugins, config.inspections.uploadMaxBytes);
  const reminders = createReminderServices({
    db,
    clock,
    config,
    logger,
    translator: d.translator,
    plugins,
    mailSender: d.mailSender,
    due: { actions, corrections: inspections.record },
  });
  const handOff = handOffNotices(reminders.notifications, d.translator, logger);
  // A notice that cannot be delivered is logged; the save it follows has been kept already.
  const checks = new ChecksService(
    db,
    clock,
    () => plugins,
    config.checks.uploadMaxBytes,
    (drafts) =>
      reminders.notifications
        .deliver(drafts, { pluginId: 'checks', source: 'checks/answer-replaced' })
        .catch((err: unknown) => logger.error({ err }, 'the notice of a replaced answer was not delivered')),
    handOff,
  );
  const documents = new DocumentsService(db, clock, () => plugins, handOff);
  const catalog = createCatalogServices(db, clock, config, handOff);
  const publicPages = new PublicService(db, clock, config.publicPages, () => plugins, d.secret);
  return {
    users,
    units,
    publicPages,
    satisfaction: new SatisfactionService(db, clock, () => publicPages.surveyForm()),
    actions,
    inspections,
    checks,
    plugins,
    audit: new AuditService(db),
    catalog,
    merger: new MergerService(db, clock, catalog.procedures),
    reviews: new ReviewsService(db, clock),
    programme: new ProgrammeService(db, clock, () => plugins),
    documents,
    handoffs: new HandoffsService(db, (type) => documents.definition(type)),
    setupGuide: new SetupGuideService(db, plugins),
    ...dashboardServices(db, clock, config.catalog.reviewMonths, config.dashboard.cacheMs),
    ...reminders,
  };
}
