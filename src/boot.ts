import http, { type RequestListener, type Server } from 'node:http';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { loadConfig, type AppConfig } from './config/config.ts';
import { createDb, dialectOf } from './db/knex.ts';
import { migrateCore } from './db/migrator.ts';
import { buildApp, type BuiltApp } from './app.ts';
import { createLogger } from './lib/logger.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { randomToken } from './auth/password.ts';
import { iso } from './lib/time.ts';
import { Translator } from './lib/i18n.ts';
import { loaderOptions, loadPlugins } from './plugins/loader.ts';
import { coreDefinitions } from './modules/documents/documents.registry.ts';

/**
 * The staged start, each stage named so a failure says where it happened:
 * config -> database -> core migrations -> plugins -> http app -> listen -> scheduler.
 */
export interface Booted {
  config: AppConfig;
  db: Knex;
  logger: Logger;
  built: BuiltApp;
  server?: Server;
  stop(): Promise<void>;
}

/** The session secret: SESSION_SECRET if set, otherwise made once and kept in the database, so
 *  every app process on the same database signs cookies alike. */
export async function sessionSecretFor(db: Knex, config: AppConfig, clock: Clock): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  await db('app_settings')
    .insert({ key: 'session_secret', value: randomToken(48), updated_at: iso(clock.now()) })
    .onConflict('key')
    .ignore();
  const row = (await db('app_settings').where('key', 'session_secret').first('value')) as { value: string };
  return row.value;
}

/**
 * Listens on host:port, or fails with a one-line reason. Express 5's `app.listen` hands a listen
 * error to its callback as if it were success, so a second instance on a taken port would log
 * "listening" with no address and serve nothing: the server is made here and its error awaited.
 */
export function listen(app: RequestListener, port: number, host: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = http.createServer(app);
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new Error(`port ${port} on ${host} is already in use`, { cause: err }));
      else if (err.code === 'EACCES') reject(new Error(`port ${port} on ${host} needs privileges this process does not have`, { cause: err }));
      else if (err.code === 'EADDRNOTAVAIL') reject(new Error(`address ${host} is not one of this machine's (port ${port})`, { cause: err }));
      else reject(new Error(`cannot listen on port ${port} on ${host}: ${err.message}`, { cause: err }));
    });
    server.listen(port, host, () => resolve(server));
  });
}

export async function boot(opts: { env?: NodeJS.ProcessEnv; listen?: boolean; clock?: Clock } = {}): Promise<Booted> {
  const config = loadConfig(opts.env);
  const logger = createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const stage = (name: string) => logger.info({ stage: name }, `boot: ${name}`);

  stage('database');
  const db = createDb({ url: config.databaseUrl, synchronous: config.sqliteSynchronous });
  try {
    await db.raw('select 1');
  } catch (err) {
    await db.destroy();
    throw new Error(`Cannot reach the database (${dialectOf(config.databaseUrl)}): ${(err as Error).message}`, { cause: err });
  }
  stage('migrate core');
  const applied = await migrateCore(db);
  if (applied.length) logger.info({ applied }, 'core migrations applied');

  stage('plugins');
  // A failing plugin is recorded and logged by the loader; the app starts without it.
  const translator = new Translator();
  const reservedDocumentIds = coreDefinitions.map((d) => d.id);
  const plugins = await loadPlugins({ db, logger, clock, translator, reservedDocumentIds, ...loaderOptions(config) });

  stage('http');
  const built = buildApp({ config, db, clock, logger, translator, plugins, sessionSecret: await sessionSecretFor(db, config, clock) });

  const pruneTimer = setInterval(() => {
    built.sessionStore.prune().catch((err: unknown) => logger.warn({ err }, 'session prune failed'));
  }, 3600_000);
  pruneTimer.unref();

  let server: Server | undefined;
  if (opts.listen !== false) {
    stage('listen');
    try {
      server = await listen(built.app, config.port, config.host);
    } catch (err) {
      // Nothing may run on a port this process does not hold: no scheduler, no open database.
      clearInterval(pruneTimer);
      await db.destroy();
      throw err;
    }
    const addr = server.address();
    // PORT=0 lets the OS pick a free port; the link and the log must show the one it picked.
    if (config.port === 0 && addr && typeof addr === 'object') {
      config.port = addr.port;
      config.baseUrl = config.baseUrl.replace(/:0$/, `:${addr.port}`);
    }
    logger.info({ address: addr }, `isotrack listening on ${config.baseUrl}`);
  }

  // Reminders start last, once the app can serve the links they send (off in tests: SCHEDULER_ENABLED).
  if (config.scheduler.enabled) {
    stage('scheduler');
    built.services.scheduler.start();
  }

  const token = await built.services.users.issueSetupToken();
  if (token) {
    // Printed on the console only: the operator who started the app opens it to create the
    // first administrator. There is no default password.
    const link = `${config.baseUrl}/setup?token=${token}`;
    process.stdout.write(`\n  isotrack has no user yet. Open this one-time link to create the administrator:\n\n    ${link}\n\n`);
  }

  return {
    config,
    db,
    logger,
    built,
    server,
    async stop() {
      clearInterval(pruneTimer);
      await built.services.scheduler.stop();
      if (server) {
        await new Promise<void>((resolve) => {
          server?.close(() => resolve());
          server?.closeIdleConnections();
        });
      }
      await db.destroy();
    },
  };
}
