import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { boot } from '../../src/boot.ts';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { createDb } from '../../src/db/knex.ts';

/** `PRAGMA synchronous`: 1 is NORMAL, 2 is FULL, 3 is EXTRA. */
async function synchronousOf(db: ReturnType<typeof createDb>): Promise<number> {
  return ((await db.raw('PRAGMA synchronous')) as Array<{ synchronous: number }>)[0]?.synchronous as number;
}

describe('SQLite durability', function () {
  this.timeout(60_000);
  const file = path.join(os.tmpdir(), `isotrack-durability-${crypto.randomBytes(5).toString('hex')}.sqlite`);
  after(() => {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  });

  it('syncs every commit to disk by default, so an acknowledged save survives a power loss', async () => {
    const db = createDb({ url: `sqlite:${file}` });
    try {
      expect(await synchronousOf(db)).to.equal(2);
      expect(((await db.raw('PRAGMA journal_mode')) as Array<{ journal_mode: string }>)[0]?.journal_mode).to.equal('wal');
    } finally {
      await db.destroy();
    }
  });

  it('starts the app with FULL unless SQLITE_SYNCHRONOUS asks for another level', async () => {
    const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${file}`, PASSWORD_SCRYPT_COST: '1024', PLUGINS: 'none' };
    for (const [setting, level] of [
      [undefined, 2],
      ['NORMAL', 1],
      ['EXTRA', 3],
    ] as const) {
      const write = process.stdout.write;
      process.stdout.write = (() => true) as typeof process.stdout.write; // the first-run setup link
      const app = await boot({ env: setting ? { ...env, SQLITE_SYNCHRONOUS: setting } : env, listen: false }).finally(() => {
        process.stdout.write = write;
      });
      try {
        expect(await synchronousOf(app.db), String(setting)).to.equal(level);
      } finally {
        await app.stop();
      }
    }
  });

  it('refuses a SQLITE_SYNCHRONOUS level that could lose commits, naming the setting', () => {
    expect(loadConfig({}).sqliteSynchronous).to.equal('FULL');
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).to.throw(ConfigError, /SQLITE_SYNCHRONOUS/);
  });
});
