import { z } from 'zod';

/**
 * Every setting the app reads, in one place. The README's settings table mirrors this list;
 * keep the two together. Values come from the environment; defaults make a fresh clone run.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('sqlite:data/isotrack.sqlite'),
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
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string;
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
  };
}
