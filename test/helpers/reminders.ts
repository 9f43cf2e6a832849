import type { Knex } from 'knex';
import { pino } from 'pino';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import type { Actor } from '../../src/lib/actor.ts';
import type { ManualClock } from '../../src/lib/clock.ts';
import { Translator } from '../../src/lib/i18n.ts';
import type { ReminderDefinition } from '../../src/plugins/contract.ts';
import { loadPlugins } from '../../src/plugins/loader.ts';
import { PluginRegistry } from '../../src/plugins/registry.ts';
import type { Role } from '../../src/auth/roles.ts';
import { makeAgent, testConfig, testPassword, type Agent } from './app.ts';

/**
 * Apps for the reminder suites: built like boot builds them, with plugins (the bundled ones, or
 * reminders written in the test) and SMTP settings, on a database the test chose, so that two
 * "processes" can share one database.
 */
export interface ReminderAppOptions {
  db: Knex;
  url: string;
  clock: ManualClock;
  /** Bundled plugins when absent. */
  registry?: PluginRegistry;
  translator?: Translator;
  env?: Record<string, string>;
}

export async function bundledPlugins(
  db: Knex,
  clock: ManualClock,
  env: Record<string, string> = {},
): Promise<{ registry: PluginRegistry; translator: Translator }> {
  const translator = new Translator();
  const settingsEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('PLUGIN_')));
  const registry = await loadPlugins({ db, logger: pino({ level: 'silent' }), clock, translator, settingsEnv });
  return { registry, translator };
}

/** A registry of one loaded plugin holding the given reminders (no files, no loader). */
export function registryWith(pluginId: string, reminders: ReminderDefinition[], settings: Record<string, number | string> = {}): PluginRegistry {
  return new PluginRegistry(
    [
      {
        id: pluginId,
        dir: '',
        status: 'loaded',
        settings,
        forms: [],
        reminders,
        documents: [],
        migrationsApplied: [],
        manifest: { id: pluginId, version: '1.0.0', host: '^0.1.0', name: { vi: `Plugin ${pluginId}`, en: `Plugin ${pluginId}` } },
      },
    ],
    '0.1.0',
  );
}

export async function reminderApp(o: ReminderAppOptions): Promise<BuiltApp> {
  const plugins = o.registry ? { registry: o.registry, translator: o.translator ?? new Translator() } : await bundledPlugins(o.db, o.clock, o.env);
  return buildApp({
    config: testConfig(o.url, o.env),
    db: o.db,
    clock: o.clock,
    logger: pino({ level: 'silent' }),
    sessionSecret: 'test-secret-test-secret-test-secret-0123',
    translator: plugins.translator,
    plugins: plugins.registry,
  });
}

/** The SMTP settings of a test mailbox on 127.0.0.1. */
export function smtpEnv(port: number): Record<string, string> {
  return { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'isotrack <nhac-viec@isotrack.test>' };
}

export async function adminOf(built: BuiltApp): Promise<Actor> {
  const user = await built.services.users.create(
    undefined,
    { username: 'root', fullName: 'Quản trị', password: testPassword, email: 'root@isotrack.test' },
    { admin: true },
  );
  return { user };
}

/** A user with one role on a unit (by code), an address, and e-mail on unless said. */
export async function person(
  built: BuiltApp,
  admin: Actor,
  username: string,
  fullName: string,
  role: Role,
  unitCode: string | null,
  opts: { email?: string | null; emailOff?: boolean } = {},
): Promise<number> {
  const users = built.services.users;
  const email = opts.email === undefined ? `${username}@isotrack.test` : opts.email;
  const u = await users.create(admin, { username, fullName, password: testPassword, email: email ?? undefined });
  const unit = unitCode ? (await built.services.units.list(admin, { q: unitCode })).items.find((x) => x.code === unitCode) : undefined;
  if (unitCode && !unit) throw new Error(`no unit ${unitCode}`);
  await users.addRole(admin, u.id, { role, unitId: unit?.id });
  if (opts.emailOff) {
    const actor = { user: (await users.sessionUser(u.id))! };
    await users.updatePreferences(actor, { fullName, email: email ?? '', locale: 'vi', emailNotifications: false });
  }
  return u.id;
}

export async function signInAs(built: BuiltApp, username: string): Promise<Agent> {
  const agent = makeAgent(built);
  const token = await agent.csrf();
  const res = await agent.post('/login').type('form').send({ username, password: testPassword, _csrf: token });
  if (res.status !== 302) throw new Error(`sign-in of ${username} failed with ${res.status}`);
  return agent;
}
