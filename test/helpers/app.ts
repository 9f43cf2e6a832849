import { pino } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { loadConfig, type AppConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import type { Role, SessionUser } from '../../src/auth/roles.ts';
import type { Actor } from '../../src/lib/actor.ts';
import { engines, freshDb, pgProblem, type TestDb } from './databases.ts';

export interface TestContext extends TestDb {
  config: AppConfig;
  clock: ManualClock;
  built: BuiltApp;
  /** An administrator actor for arranging data through the services. */
  admin: Actor;
  /** Creates a user with one role on a unit (by code) and returns its credentials. */
  userWith(role: Role, unitCode: string | null, username?: string): Promise<{ username: string; password: string; user: SessionUser }>;
  /** A supertest agent signed in as that user, with a helper that sends the page's CSRF token. */
  signIn(username: string, password: string): Promise<Agent>;
  unitId(code: string): Promise<number>;
}

export type Agent = TestAgent & { csrf(): Promise<string>; form(url: string, data: Record<string, string>): Promise<request.Response> };

export const testPassword = 'mat-khau-thu-nghiem-1';

/** A CSRF token as the pages carry it. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1] as string;
}

export function makeAgent(built: BuiltApp): Agent {
  const agent = request.agent(built.app) as Agent;
  agent.csrf = async () => csrfOf((await agent.get('/login').redirects(1)).text);
  agent.form = async (url, data) => {
    const page = await agent.get('/account');
    const token = page.status === 200 ? csrfOf(page.text) : await agent.csrf();
    return agent
      .post(url)
      .type('form')
      .send({ ...data, _csrf: token });
  };
  return agent;
}

export function testConfig(url: string, extra: Record<string, string> = {}): AppConfig {
  // Most suites give a unit one ISO officer who drafts and reviews; the separation-of-duties suite
  // runs with the production default (`never`) and with two officers.
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PASSWORD_SCRYPT_COST: '1024', DATABASE_URL: url, CATALOG_SELF_REVIEW: 'sole-officer', ...extra });
}

/**
 * Declares a suite once per database engine. Each gets a fresh migrated database, an app built
 * on it with a manual clock, and an administrator.
 */
export function forEachDatabase(title: string, body: (ctx: () => TestContext) => void, extraEnv: Record<string, string> = {}): void {
  for (const dialect of engines()) {
    describe(`${title} [${dialect}]`, function () {
      let ctx: TestContext | undefined;
      before(async function () {
        this.timeout(60_000);
        const tdb = await freshDb(dialect);
        const config = testConfig(tdb.url, extraEnv);
        const clock = new ManualClock('2026-03-02T02:00:00Z');
        const built = buildApp({ config, db: tdb.db, clock, logger: pino({ level: 'silent' }), sessionSecret: 'test-secret-test-secret-test-secret-0123' });
        const adminUser = await built.services.users.create(undefined, { username: 'root', fullName: 'Quản trị', password: testPassword }, { admin: true });
        const admin: Actor = { user: adminUser };
        let n = 0;
        ctx = {
          ...tdb,
          config,
          clock,
          built,
          admin,
          async userWith(role, unitCode, username) {
            const name = username ?? `${role}${++n}`;
            const u = await built.services.users.create(admin, { username: name, fullName: `Người dùng ${name}`, password: testPassword });
            const unitId = unitCode ? await ctx!.unitId(unitCode) : undefined;
            const withRole = await built.services.users.addRole(admin, u.id, { role, unitId });
            return { username: name, password: testPassword, user: withRole };
          },
          async signIn(username, password) {
            const agent = makeAgent(built);
            const token = await agent.csrf();
            const res = await agent.post('/login').type('form').send({ username, password, _csrf: token });
            if (res.status !== 302) throw new Error(`sign-in of ${username} failed with ${res.status}`);
            return agent;
          },
          async unitId(code) {
            const row = (await tdb.db('units').where('code', code).first('id')) as { id: number } | undefined;
            if (!row) throw new Error(`no unit ${code}`);
            return Number(row.id);
          },
        };
      });
      after(async () => {
        await ctx?.drop();
      });
      body(() => {
        if (!ctx) throw new Error('suite not set up');
        return ctx;
      });
    });
  }
  if (pgProblem && process.env.CI !== 'true') {
    describe(`${title} [postgres]`, () => {
      it('runs on PostgreSQL (pending: PostgreSQL unreachable)');
    });
  }
}
