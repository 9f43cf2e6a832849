import { spawn } from 'node:child_process';

/** A backup or restore refused or failed, with a message an operator can act on. */
export class BackupError extends Error {}

/**
 * The connection of a `postgres://` URL for libpq's tools. The password goes in PGPASSWORD, not
 * on the command line, where any user of the machine could read it in the process list.
 */
export function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password !== undefined) env.PGPASSWORD = password;
  return { dbname: u.toString(), env };
}

/** Runs one PostgreSQL client tool; its standard output is returned, its errors are kept for the message. */
export function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new BackupError(
              `${tool} not found: install the PostgreSQL client tools of the server's major version (Debian/Ubuntu: apt-get install postgresql-client)`,
            )
          : new BackupError(`${tool} could not start: ${e.message}`),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new BackupError(`${tool} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim().slice(0, 2000)}`));
    });
  });
}
