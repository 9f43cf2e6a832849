import { z } from 'zod';
import type { ExcelLimits } from '../kernel/excel/limits.ts';

/**
 * Every setting the app reads, in one place. The README's settings table mirrors this list;
 * keep the two together. Values come from the environment; defaults make a fresh clone run.
 */
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const blank = (v: unknown) => (v === '' ? undefined : v);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('sqlite:data/isotrack.sqlite'),
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL', 'EXTRA']).default('FULL'),
  BASE_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(12),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEFAULT_LOCALE: z.enum(['vi', 'en']).default('vi'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  PASSWORD_SCRYPT_COST: z.coerce.number().int().min(1024).default(32768),
  SETUP_TOKEN_HOURS: z.coerce.number().positive().default(24),
  AUTH_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(5),
  CATALOG_REVIEW_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  CATALOG_UPLOAD_MAX_KB: z.coerce.number().int().min(1).max(102400).default(5120),
  CATALOG_SELF_REVIEW: z.enum(['never', 'sole-officer']).default('never'),
  DASHBOARD_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  CHECK_UPLOAD_MAX_KB: z.coerce.number().int().min(1).max(102400).default(10240),
  INSPECTION_UPLOAD_MAX_KB: z.coerce.number().int().min(1).max(102400).default(8192),
  EXCEL_MAX_INFLATED_MB: z.coerce.number().int().min(1).max(1024).default(50),
  EXCEL_MAX_DECLARED_ROWS: z.coerce.number().int().min(1).max(1_048_576).default(100_000),
  EXCEL_MAX_ROWS: z.coerce.number().int().min(1).max(1_048_576).default(20_000),
  EXCEL_MAX_COLUMNS: z.coerce.number().int().min(1).max(16_384).default(100),
  EXCEL_MAX_CELLS: z.coerce.number().int().min(1).default(500_000),
  EXCEL_MAX_EMPTY_ROWS: z.coerce.number().int().min(1).default(50),
  EXCEL_WORKER_MEMORY_MB: z.coerce.number().int().min(32).max(4096).default(256),
  EXCEL_PARSE_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  IMPORT_MAX_REPORTED_PROBLEMS: z.coerce.number().int().min(1).max(10_000).default(200),
  PLUGINS: z.string().default('*'),
  PLUGINS_INIT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SMTP_URL: z.preprocess(
    blank,
    z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
  ),
  SMTP_HOST: z.preprocess(blank, z.string().optional()),
  SMTP_PORT: z.preprocess(blank, z.coerce.number().int().min(1).max(65535).optional()),
  SMTP_SECURE: z.preprocess(blank, bool.optional()),
  SMTP_USER: z.preprocess(blank, z.string().optional()),
  SMTP_PASS: z.preprocess(blank, z.string().optional()),
  SMTP_FROM: z.string().min(3).default('isotrack <no-reply@isotrack.local>'),
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  SCHEDULER_ENABLED: z.preprocess(blank, bool.optional()),
  SCHEDULER_CATCH_UP_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 31)
    .default(24),
  SCHEDULER_RUN_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  SURVEY_MAX_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  SURVEY_MAX_PER_UNIT_PER_HOUR: z.coerce.number().int().min(1).default(300),
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string;
  /** SQLite's PRAGMA synchronous: FULL syncs every commit, so an acknowledged save survives a power loss. */
  sqliteSynchronous: 'NORMAL' | 'FULL' | 'EXTRA';
  baseUrl: string;
  sessionSecret?: string;
  sessionMaxAgeMs: number;
  trustProxy: boolean;
  /** Cookies get `secure` only when the app sits behind an HTTPS proxy (TRUST_PROXY). */
  cookieSecure: boolean;
  logLevel: string;
  defaultLocale: 'vi' | 'en';
  login: { maxPerAccount: number; maxPerAddress: number; windowMs: number };
  scryptCost: number;
  setupTokenMs: number;
  /** How long a process may reuse a session and its user without reading them again. */
  authCacheMs: number;
  catalog: {
    /** An issued procedure not reviewed for this many months is listed as due for review. */
    reviewMonths: number;
    /** Largest accepted upload (Excel import, attached form file), in bytes. */
    uploadMaxBytes: number;
    /**
     * Whether the drafter of a revision may also sign its review: `never`, or `sole-officer` for a
     * unit whose only active ISO officer (a province: coordinator) drafted it (the leader still approves).
     */
    selfReview: 'never' | 'sole-officer';
  };
  /** Largest accepted evidence file or photo of a check, in bytes. */
  checks: { uploadMaxBytes: number };
  /** Largest accepted photo of an inspection or evidence of a correction, in bytes. */
  inspections: { uploadMaxBytes: number };
  /** Bounds of every Excel import (src/kernel/excel). */
  excel: ExcelLimits;
  /** How long a province dashboard or the national overview is reused before its figures are read again (0: never). */
  dashboard: { cacheMs: number };
  /** Enabled plugins (`*`, ids, `-id` to leave one out), init time limit, `PLUGIN_<ID>_<NAME>` settings. */
  plugins: { enabled: string[]; initTimeoutMs: number; settings: Record<string, string> };
  /** E-mail of notifications: without SMTP_URL or SMTP_HOST, notifications stay in the app. */
  mail: {
    smtp?: { url?: string; host?: string; port: number; secure: boolean; user?: string; pass?: string };
    from: string;
    /** Attempts of one e-mail before it is given up (retried with back-off in between). */
    maxAttempts: number;
  };
  /** The public pages: how long a unit's page is reused, and the survey's limits per hour. */
  publicPages: { cacheMs: number; maxPerAddressPerHour: number; maxPerUnitPerHour: number };
  /** Reminders: off in tests, where the suite moves a manual clock and calls `tick` itself. */
  scheduler: { enabled: boolean; catchUpMs: number; runTimeoutMs: number };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.PASSWORD_SCRYPT_COST & (e.PASSWORD_SCRYPT_COST - 1)) !== 0) {
    throw new ConfigError('Invalid configuration:\n  PASSWORD_SCRYPT_COST: must be a power of two');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    baseUrl: (e.BASE_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    sessionSecret: e.SESSION_SECRET,
    sessionMaxAgeMs: e.SESSION_MAX_AGE_HOURS * 3600_000,
    trustProxy: e.TRUST_PROXY,
    cookieSecure: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    login: {
      maxPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
    },
    scryptCost: e.PASSWORD_SCRYPT_COST,
    setupTokenMs: e.SETUP_TOKEN_HOURS * 3600_000,
    authCacheMs: e.AUTH_CACHE_SECONDS * 1000,
    catalog: { reviewMonths: e.CATALOG_REVIEW_MONTHS, uploadMaxBytes: e.CATALOG_UPLOAD_MAX_KB * 1024, selfReview: e.CATALOG_SELF_REVIEW },
    checks: { uploadMaxBytes: e.CHECK_UPLOAD_MAX_KB * 1024 },
    inspections: { uploadMaxBytes: e.INSPECTION_UPLOAD_MAX_KB * 1024 },
    excel: {
      maxInflatedBytes: e.EXCEL_MAX_INFLATED_MB * 1024 * 1024,
      maxDeclaredRows: e.EXCEL_MAX_DECLARED_ROWS,
      maxRows: e.EXCEL_MAX_ROWS,
      maxColumns: e.EXCEL_MAX_COLUMNS,
      maxCells: e.EXCEL_MAX_CELLS,
      maxEmptyRows: e.EXCEL_MAX_EMPTY_ROWS,
      maxProblems: e.IMPORT_MAX_REPORTED_PROBLEMS,
      workerMemoryMb: e.EXCEL_WORKER_MEMORY_MB,
      timeoutMs: e.EXCEL_PARSE_TIMEOUT_MS,
    },
    dashboard: { cacheMs: e.DASHBOARD_CACHE_SECONDS * 1000 },
    publicPages: {
      cacheMs: e.PUBLIC_CACHE_SECONDS * 1000,
      maxPerAddressPerHour: e.SURVEY_MAX_PER_ADDRESS_PER_HOUR,
      maxPerUnitPerHour: e.SURVEY_MAX_PER_UNIT_PER_HOUR,
    },
    plugins: {
      enabled: e.PLUGINS.trim()
        ? e.PLUGINS.split(',')
            .map((p) => p.trim())
            .filter(Boolean)
        : ['*'],
      initTimeoutMs: e.PLUGINS_INIT_TIMEOUT_MS,
      settings: Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[0].startsWith('PLUGIN_') && typeof kv[1] === 'string')),
    },
    mail: {
      smtp:
        e.SMTP_URL || e.SMTP_HOST
          ? {
              url: e.SMTP_URL,
              host: e.SMTP_HOST,
              port: e.SMTP_PORT ?? (e.SMTP_SECURE ? 465 : 587),
              secure: e.SMTP_SECURE ?? false,
              user: e.SMTP_USER,
              pass: e.SMTP_PASS,
            }
          : undefined,
      from: e.SMTP_FROM,
      maxAttempts: e.EMAIL_MAX_ATTEMPTS,
    },
    scheduler: {
      enabled: e.SCHEDULER_ENABLED ?? e.NODE_ENV !== 'test',
      catchUpMs: e.SCHEDULER_CATCH_UP_HOURS * 3600_000,
      runTimeoutMs: e.SCHEDULER_RUN_TIMEOUT_MS,
    },
  };
}
