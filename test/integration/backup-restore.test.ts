import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import knexFactory from 'knex';
import { pino } from 'pino';
import { buildApp } from '../../src/app.ts';
import { createDb } from '../../src/db/knex.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { engines, pgUrl } from '../helpers/databases.ts';
import { makeAgent, testConfig, testPassword } from '../helpers/app.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

interface Target {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database the CLI is pointed at through DATABASE_URL, as an operator would: a file on SQLite,
 * a database of its own on PostgreSQL (pg_dump and pg_restore work on whole databases).
 */
async function newTarget(dialect: 'sqlite' | 'postgres', dir: string, name: string): Promise<Target> {
  if (dialect === 'sqlite') return { url: `sqlite:${path.join(dir, `${name}.sqlite`)}`, drop: async () => undefined };
  const dbName = `isotrack_bk_${crypto.randomBytes(4).toString('hex')}_${name}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${dbName}`);
  await admin.destroy();
  const url = new URL(pgUrl);
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    async drop() {
      const k = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
      await k.raw(`drop database if exists ${dbName} with (force)`);
      await k.destroy();
    },
  };
}

async function refusal(p: Promise<unknown>): Promise<{ code: number; stderr: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: number; stderr: string };
  }
  return expect.fail('expected the command to refuse');
}

async function userCount(url: string): Promise<number> {
  const db = createDb({ url });
  try {
    return Number(((await db('users').count({ n: '*' })) as Array<{ n: number | string }>)[0]?.n);
  } finally {
    await db.destroy();
  }
}

for (const dialect of engines()) {
  describe(`backup and restore from the CLI [${dialect}]`, function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isotrack-backup-'));
    const backups = path.join(dir, 'backups');
    const ext = dialect === 'sqlite' ? '.sqlite' : '.dump';
    const targets: Target[] = [];
    let source: Target;
    let restored: Target;
    const written: string[] = [];
    const cli = (url: string, args: string[], extraEnv: Record<string, string> = {}) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', PASSWORD_SCRYPT_COST: '1024', ...extraEnv },
      });
    const target = async (name: string) => {
      const t = await newTarget(dialect, dir, name);
      targets.push(t);
      return t;
    };

    before(async () => {
      source = await target('source');
      restored = await target('restored');
      await cli(source.url, ['user:create', '--username', 'kiemtra', '--full-name', 'Cán bộ kiểm tra', '--password', testPassword]);
    });
    after(async () => {
      for (const t of targets) await t.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('writes timestamped backups into a folder and keeps only the newest, leaving other files alone', async () => {
      fs.mkdirSync(backups, { recursive: true });
      fs.writeFileSync(path.join(backups, 'ghi-chu.txt'), 'sổ ghi chép của quản trị viên');
      fs.writeFileSync(path.join(backups, `isotrack-ban-thu-cong${ext}`), 'bản sao chép tay');
      for (let i = 0; i < 3; i++) {
        const { stdout } = await cli(source.url, ['db:backup', '--dir', backups, '--keep', '2']);
        const file = /backup written to (\S+)/.exec(stdout)?.[1];
        expect(file, stdout).to.be.a('string');
        written.push(file as string);
      }
      expect(fs.existsSync(written[0] as string), 'the oldest backup is removed').to.equal(false);
      expect(fs.existsSync(written[1] as string)).to.equal(true);
      expect(fs.existsSync(written[2] as string)).to.equal(true);
      expect(fs.readdirSync(backups).sort()).to.deep.equal(
        ['ghi-chu.txt', `isotrack-ban-thu-cong${ext}`, path.basename(written[1] as string), path.basename(written[2] as string)].sort(),
      );
      expect(fs.statSync(written[2] as string).mode & 0o077, 'only the owner may read a backup').to.equal(0);
    });

    it('restores a backup into a fresh database on which the app starts and the user signs in', async () => {
      const { stdout } = await cli(restored.url, ['db:restore', '--from', written[2] as string]);
      expect(stdout).to.contain('restored from');
      const db = createDb({ url: restored.url });
      try {
        const built = buildApp({
          config: testConfig(restored.url),
          db,
          clock: new ManualClock('2026-03-02T02:00:00Z'),
          logger: pino({ level: 'silent' }),
          sessionSecret: 'test-secret-test-secret-test-secret-0123',
        });
        const agent = makeAgent(built);
        const token = await agent.csrf();
        const res = await agent.post('/login').type('form').send({ username: 'kiemtra', password: testPassword, _csrf: token });
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.not.contain('/login');
        const account = await agent.get('/account');
        expect(account.status).to.equal(200);
        expect(account.text).to.contain('Cán bộ kiểm tra');
      } finally {
        await db.destroy();
      }
    });

    it('refuses to restore while the database is open elsewhere, and leaves it as it was', async () => {
      const inUse = createDb({ url: restored.url });
      try {
        await inUse.raw('select 1');
        const err = await refusal(cli(restored.url, ['db:restore', '--from', written[1] as string]));
        expect(err.code).to.equal(1);
        expect(err.stderr).to.match(/in use.*stop the app/);
      } finally {
        await inUse.destroy();
      }
      expect(await userCount(restored.url)).to.equal(1);
    });

    it('refuses a file that is not an isotrack backup, and leaves the database as it was', async () => {
      const garbage = path.join(dir, `khong-phai-ban-sao${ext}`);
      fs.writeFileSync(garbage, 'đây không phải là một bản sao lưu');
      const err = await refusal(cli(restored.url, ['db:restore', '--from', garbage]));
      expect(err.code).to.equal(1);
      expect(err.stderr).to.match(/is not a (SQLite database|pg_dump archive)/);

      // A sound database of the engine, but not isotrack's: no migration ledger in it.
      const other = await target('other');
      const db = createDb({ url: other.url });
      await db.schema.createTable('ghi_chu', (t) => t.increments('id'));
      await db.destroy();
      const foreign = path.join(dir, `co-so-du-lieu-khac${ext}`);
      await cli(other.url, ['db:backup', '--out', foreign]);
      const err2 = await refusal(cli(restored.url, ['db:restore', '--from', foreign]));
      expect(err2.code).to.equal(1);
      expect(err2.stderr).to.contain('is not an isotrack database');

      expect(await userCount(restored.url)).to.equal(1);
      if (dialect === 'sqlite') expect(fs.readdirSync(dir).filter((f) => f.includes('.restoring'))).to.deep.equal([]);
    });

    it('refuses to overwrite an existing file given with --out', async () => {
      const existing = written[2] as string;
      const before = fs.readFileSync(existing);
      const err = await refusal(cli(source.url, ['db:backup', '--out', existing]));
      expect(err.code).to.equal(1);
      expect(err.stderr).to.contain('exists already');
      expect(fs.readFileSync(existing).equals(before)).to.equal(true);
    });

    if (dialect === 'postgres') {
      it('says the PostgreSQL client tools are missing instead of failing obscurely', async () => {
        const empty = fs.mkdtempSync(path.join(dir, 'path-'));
        const err = await refusal(cli(source.url, ['db:backup', '--dir', backups], { PATH: empty }));
        expect(err.code).to.equal(1);
        expect(err.stderr).to.match(/pg_dump not found.*postgresql-client/);
        expect(fs.readdirSync(backups).filter((f) => f.endsWith('.partial'))).to.deep.equal([]);
      });
    }
  });
}
