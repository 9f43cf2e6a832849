import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createDb } from '../../src/db/knex.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `src/server.ts` as an operator would; stops it if it is still running after `ms`. */
function startServer(env: NodeJS.ProcessEnv, ms: number): Promise<{ code: number | null; stderr: string; stdout: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout, killed });
    });
  });
}

describe('starting the server', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isotrack-start-'));
  const file = path.join(dir, 'start.sqlite');
  let holder: net.Server;
  let port: number;

  before(async () => {
    holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
    port = (holder.address() as net.AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops with exit code 1 and names the port when another process already listens on it, before any reminder runs', async () => {
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${file}`,
      LOG_LEVEL: 'silent',
      PASSWORD_SCRYPT_COST: '1024',
      SCHEDULER_ENABLED: 'true',
    };
    const run = await startServer(env, 30_000);
    expect(run.killed, 'the second instance kept running').to.equal(false);
    expect(run.code).to.equal(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).to.deep.equal([`isotrack failed to start: port ${port} on 127.0.0.1 is already in use`]);
    expect(run.stdout, 'no setup link for a server that is not there').not.to.contain('/setup?token=');
    const db = createDb({ url: `sqlite:${file}` });
    try {
      expect(await db('scheduler_runs').count({ n: '*' }).first()).to.deep.include({ n: 0 });
    } finally {
      await db.destroy();
    }
  });
});
