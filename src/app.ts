import path from 'node:path';
import express, { type Express } from 'express';
import session from 'express-session';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Knex } from 'knex';
import { Passport } from 'passport';
import { doubleCsrf } from 'csrf-csrf';
import crypto from 'node:crypto';
import type { AppConfig } from './config/config.ts';
import { buildServices, type Services } from './services.ts';
import type { Clock } from './lib/clock.ts';
import { Translator, type Locale } from './lib/i18n.ts';
import { KnexSessionStore } from './auth/session-store.ts';
import { configurePassport, tokenAuth } from './auth/passport.ts';
import { errorHandler } from './http/error-handler.ts';
import { AppError } from './kernel/errors.ts';
import { viewLocals } from './http/locals.ts';
import { modules } from './modules/index.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { uploadsBeforeCsrf } from './http/uploads.ts';
import { inputRule } from './http/input-rule.ts';
import { useExcelLimits } from './kernel/excel/index.ts';
import { PluginRegistry } from './plugins/registry.ts';
import type { MailSender } from './modules/notifications/email.ts';
import { unreadBadge } from './modules/notifications/unread-badge.ts';

export interface AppDeps {
  config: AppConfig;
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** Shared by every app process (from SESSION_SECRET or stored once in the database). */
  sessionSecret: string;
  translator?: Translator;
  /** The plugins loaded at start (boot's plugins stage); none when absent. */
  plugins?: PluginRegistry;
  /** Replaces the SMTP sender built from the configuration. */
  mailSender?: MailSender;
}

export interface BuiltApp {
  app: Express;
  services: Services;
  sessionStore: KnexSessionStore;
  translator: Translator;
}

const viewsDir = path.resolve(import.meta.dirname, '../views');

/** Builds the Express app. Never listens and never connects by itself: server.ts listens, boot.ts connects. */
export function buildApp(deps: AppDeps): BuiltApp {
  const { config, db, clock, logger } = deps;
  const translator = deps.translator ?? new Translator();
  const plugins = deps.plugins ?? new PluginRegistry();
  // Every Excel import of this process is read within the configured bounds (EXCEL_*).
  useExcelLimits(config.excel);
  const services = buildServices({ config, db, clock, logger, translator, plugins, mailSender: deps.mailSender, secret: deps.sessionSecret });
  const app = express();
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  if (config.env === 'production') app.set('view cache', true);
  app.disable('x-powered-by');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customProps: (req) => ({ user: (req as express.Request).user?.id }),
      serializers: {
        req: (r: { method: string; url: string }) => ({ method: r.method, url: r.url }),
        res: (r: { statusCode: number }) => ({ statusCode: r.statusCode }),
      },
    }),
  );

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // HSTS only makes sense behind HTTPS.
      strictTransportSecurity: config.cookieSecure,
    }),
  );

  app.use('/static', express.static(path.join(viewsDir, 'static'), { maxAge: config.env === 'production' ? '1d' : 0 }));
  app.use(healthRoutes(db));

  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 }));
  app.use(express.json({ limit: '1mb' }));

  const sessionStore = new KnexSessionStore(db, { ttlMs: config.sessionMaxAgeMs, cacheMs: config.authCacheMs });
  services.users.onSessionsEnded = () => sessionStore.forgetCached();
  app.use(
    session({
      name: 'isotrack.sid',
      secret: deps.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, maxAge: config.sessionMaxAgeMs },
    }),
  );
  const passport = new Passport();
  configurePassport(passport, services.users);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(tokenAuth(services.users));

  app.use((req, _res, next) => {
    const cookieLang = req.cookies?.lang as string | undefined;
    req.locale = (req.user?.locale ?? (cookieLang === 'en' || cookieLang === 'vi' ? cookieLang : config.defaultLocale)) as Locale;
    next();
  });

  const csrf = doubleCsrf({
    getSecret: () => deps.sessionSecret,
    // Before sign-in there is no session worth binding to; sign-in regenerates the session, and
    // every page after it is bound to the new id.
    getSessionIdentifier: (req) => (req.user ? req.sessionID : ''),
    cookieName: config.cookieSecure ? '__Host-isotrack.csrf' : 'isotrack.csrf',
    cookieOptions: { sameSite: 'lax', secure: config.cookieSecure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
    // API calls with a bearer token carry no cookie, so a forged cross-site request cannot use them.
    // An API call with no user at all has no ambient authority to abuse either: it goes on to
    // answer 401 (what an API client needs to hear), not a form-expiry 403.
    skipCsrfProtection: (req) => req.authVia === 'token' || (!req.user && req.path.startsWith('/api/')),
    errorConfig: { code: 'CSRF_INVALID', statusCode: 403 },
  });
  // Multipart uploads are read before the CSRF check, which needs their `_csrf` field.
  app.use(uploadsBeforeCsrf(modules.flatMap((m) => m.uploads?.(config) ?? [])));
  // Every text of every request, checked and put in NFC once (body, query, path, file names).
  app.use(inputRule());
  app.use(csrf.doubleCsrfProtection);
  app.use(viewLocals(translator));
  app.use(unreadBadge(services.notifications));

  const env = { config, clock, translator, passport };
  for (const m of modules) for (const r of m.pages?.(services, env) ?? []) app.use(r);
  for (const m of modules) for (const r of m.api?.(services, env) ?? []) app.use('/api/v1', r);
  // Signed in, one starts from what is due.
  app.get('/', (req, res) => res.redirect(req.user ? '/home' : '/login'));

  app.use((_req, _res, next) => next(new AppError('NOT_FOUND')));
  app.use(errorHandler(translator, logger));
  return { app, services, sessionStore, translator };
}
