import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Child processes of the harness (the app, the baseline server). Every child started here is
 * killed when the harness exits for any reason: normal end, an error, Ctrl-C or SIGTERM.
 */

export const repoRoot = path.resolve(import.meta.dirname, '..');

const live = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // 'exit' handlers must be synchronous: SIGKILL is the only stop that needs no waiting.
  process.on('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping child processes\n`);
      for (const c of live) c.kill('SIGTERM');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export interface Child {
  name: string;
  proc: ChildProcess;
  /** The last few kilobytes the child wrote to stderr, to explain a failed start. */
  stderrTail(): string;
  /** Resolves with the first line the child writes to stdout. */
  firstLine(timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script>` from the repository root with the given environment. */
export function startNode(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Child {
  hookExit();
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: repoRoot,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(proc);
  let err = '';
  let out = '';
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      live.delete(proc);
      resolve();
    }),
  );
  proc.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  proc.stdout?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-4000);
  });

  return {
    name,
    proc,
    stderrTail: () => err.trim(),
    firstLine(timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${name} wrote nothing within ${timeoutMs} ms: ${err.trim()}`)), timeoutMs);
        const onData = () => {
          const nl = out.indexOf('\n');
          if (nl >= 0) done(undefined, out.slice(0, nl));
        };
        const onExit = () => done(new Error(`${name} exited before it was ready: ${err.trim()}`));
        const done = (e?: Error, line?: string) => {
          clearTimeout(timer);
          proc.stdout?.off('data', onData);
          proc.off('exit', onExit);
          if (e) reject(e);
          else resolve(line as string);
        };
        proc.stdout?.on('data', onData);
        proc.once('exit', onExit);
        onData();
      });
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.stdin?.end();
      proc.kill('SIGTERM');
      const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitForOk(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited (code ${child.proc.exitCode}): ${child.stderrTail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} not ready at ${url} after ${timeoutMs} ms (${last}): ${child.stderrTail()}`);
}

/**
 * CPU time (ms) a process has used so far, split into its main thread (JavaScript) and its
 * other threads (libuv's pool, where the sqlite3 driver runs every statement; V8's helpers).
 * Read from /proc, so Linux only; undefined elsewhere or when the process is gone.
 */
export function threadCpuMs(pid: number): { main: number; others: number } | undefined {
  try {
    let main = 0;
    let others = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * 10; // USER_HZ is 100 on Linux
      if (tid === String(pid)) main += ms;
      else others += ms;
    }
    return { main, others };
  } catch {
    return undefined;
  }
}
