import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createDb } from '../../src/db/knex.ts';
import { verifyPassword } from '../../src/auth/password.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** The operator's CLI, run as a person would, on its own SQLite file. */
describe('operator CLI', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isotrack-cli-'));
  const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.sqlite')}`, LOG_LEVEL: 'silent', PASSWORD_SCRYPT_COST: '1024' };
  const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints a setup link while no user exists', async () => {
    const { stdout } = await cli('setup:link');
    expect(stdout).to.match(/\/setup\?token=[\w-]{20,}/);
  });

  it('creates an administrator whose password then verifies, and closes setup', async () => {
    const { stdout } = await cli('user:create', '--username', 'quantri', '--full-name', 'Quản trị viên', '--admin');
    expect(stdout).to.contain('created user quantri (administrator)');
    const password = /password \(shown once\): (\S+)/.exec(stdout)?.[1];
    expect(password).to.be.a('string');
    const db = createDb({ url: env.DATABASE_URL });
    try {
      const row = (await db('users').where('username', 'quantri').first('password_hash', 'full_name')) as { password_hash: string; full_name: string };
      expect(row.full_name).to.equal('Quản trị viên');
      expect(await verifyPassword(password as string, row.password_hash)).to.equal(true);
    } finally {
      await db.destroy();
    }
    let failed = false;
    try {
      await cli('setup:link');
    } catch (err) {
      failed = true;
      expect((err as { stderr: string }).stderr).to.contain('Setup is closed');
    }
    expect(failed).to.equal(true);
  });

  it('refuses a duplicate user name with a message and a non-zero exit', async () => {
    try {
      await cli('user:create', '--username', 'quantri', '--full-name', 'Người khác', '--password', 'mot-mat-khau-dai');
      expect.fail('expected a refusal');
    } catch (err) {
      expect((err as { code: number }).code).to.equal(1);
      expect((err as { stderr: string }).stderr).to.contain('username');
    }
  });
});
