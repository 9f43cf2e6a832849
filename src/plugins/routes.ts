import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../services.ts';
import { actorOf } from '../http/context.ts';
import { AppError } from '../kernel/errors.ts';
import { requireAdmin, requireApiUser, requireUser } from '../http/guards.ts';
import { parseId } from '../kernel/validation.ts';
import type { Clock } from '../lib/clock.ts';
import type { Locale } from '../lib/i18n.ts';
import type { RunView } from '../modules/scheduler/scheduler.types.ts';
import type { LocalizedText } from './contract.ts';
import type { PluginRecord, PluginSummary } from './registry.ts';
import { cronWords } from './cron-words.ts';

/** Picks the reader's language from a LocalizedText (Vietnamese when the other is missing). */
export function localizer(locale: Locale): (text: LocalizedText | undefined) => string {
  return (text) => (text ? text[locale] || text.vi : '');
}

/**
 * Inside `/p/<id>`: `res.render('name')` renders the plugin's own `views/name.ejs`, includes fall
 * back to the core views (so `include('partials/header')` works), and `pt(key)` reads the plugin's
 * locale files.
 */
function pluginLocals(record: PluginRecord) {
  const viewsDir = path.join(record.dir, 'views');
  return (req: Request, res: Response, next: NextFunction): void => {
    const t = res.locals.t as (key: string, params?: Record<string, string | number>) => string;
    res.locals.pt = (key: string, params?: Record<string, string | number>) => t(`p.${record.id}.${key}`, params);
    res.locals.lt = localizer(req.locale);
    res.locals.pluginId = record.id;
    const coreViews = ([] as string[]).concat(req.app.get('views') as string | string[]);
    type Done = (err: Error, html: string) => void;
    const render = res.render.bind(res) as (view: string, options?: object, cb?: Done) => void;
    res.render = ((view: string, options?: object | Done, cb?: Done) => {
      const opts = typeof options === 'function' ? {} : (options ?? {});
      const callback = typeof options === 'function' ? (options as Done) : cb;
      const file = path.isAbsolute(view) ? view : path.join(viewsDir, view);
      render(file, { ...opts, settings: { ...(req.app.settings as object), views: [viewsDir, ...coreViews] } }, callback);
    }) as Response['render'];
    next();
  };
}

/** What the registry describes, with each reminder's latest runs from the scheduler's ledger. */
async function describeWithRuns(
  s: Pick<Services, 'plugins' | 'scheduler'>,
  clock: Clock,
): Promise<Array<PluginSummary & { reminders: Array<PluginSummary['reminders'][number] & { lastRuns: RunView[] }> }>> {
  const runs = await s.scheduler.recentRuns(5);
  return s.plugins.describe(clock.now()).map((p) => ({
    ...p,
    reminders: p.reminders.map((m) => ({ ...m, lastRuns: runs.get(`${p.id}/${m.id}`) ?? [] })),
  }));
}

/** A run started by hand: the reminder must belong to a loaded plugin (404 otherwise). */
function runNow(s: Pick<Services, 'scheduler'>, req: Request): Promise<RunView> {
  const { pluginId, reminderId } = req.params as Record<string, string>;
  if (!s.scheduler.job(pluginId ?? '', reminderId ?? '')) throw new AppError('NOT_FOUND');
  return s.scheduler.runNow(pluginId as string, reminderId as string, actorOf(req));
}

/** The admin page (with the reminders' runs, "run now" and the e-mail queue) and the routes of the loaded plugins. */
export function pluginRoutes(s: Pick<Services, 'plugins' | 'scheduler'>, clock: Clock): Router {
  const registry = s.plugins;
  const r = Router();
  r.get('/admin/plugins', requireUser, requireAdmin, async (req, res) => {
    const ranId = typeof req.query.ran === 'string' && /^\d{1,10}$/.test(req.query.ran) ? parseId(req.query.ran) : undefined;
    const [plugins, mail, ran] = await Promise.all([
      describeWithRuns(s, clock),
      s.scheduler.mailOverview(),
      ranId ? s.scheduler.findRun(ranId) : Promise.resolve(undefined),
    ]);
    res.render('plugins/index', { plugins, mail, ran, hostVersion: registry.hostVersion, lt: localizer(req.locale), cronWords });
  });
  r.post('/admin/plugins/:pluginId/reminders/:reminderId/run', requireUser, requireAdmin, async (req, res) => {
    const run = await runNow(s, req);
    res.redirect(`/admin/plugins?ran=${run.id}#reminder-${run.jobId.replace('/', '-')}`);
  });
  for (const record of registry.loaded()) {
    if (record.router) r.use(`/p/${record.id}`, requireUser, pluginLocals(record), record.router);
  }
  return r;
}

/** `/api/v1/plugins`: what the admin page shows, for administrators; and "run now". */
export function pluginApi(s: Pick<Services, 'plugins' | 'scheduler'>, clock: Clock): Router {
  const r = Router();
  r.get('/plugins', requireApiUser, requireAdmin, async (_req, res) => {
    const [data, mail] = await Promise.all([describeWithRuns(s, clock), s.scheduler.mailOverview()]);
    res.json({ hostVersion: s.plugins.hostVersion, data, mail });
  });
  r.post('/plugins/:pluginId/reminders/:reminderId/run', requireApiUser, requireAdmin, async (req, res) => {
    res.status(201).json({ data: await runNow(s, req) });
  });
  return r;
}
