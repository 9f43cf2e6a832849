import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildApp } from '../../../src/app.ts';
import { makeAgent, type Agent, type TestContext } from '../app.ts';
import { csrfOfSignedIn } from '../../fixtures/http.ts';
import type { CastRole, Member } from '../../fixtures/cast.ts';

/** An error the app logged while answering one request (the error handler's `unhandled error`). */
export interface LoggedError {
  msg: string;
  message: string;
  /** The first frame of the stack inside the project (src/ or plugins/), else the first one. */
  frame: string;
}

interface LogLine {
  msg?: string;
  reqId?: string;
  req?: { id?: string };
  err?: { message?: string; stack?: string; type?: string };
}

/** The top frame of a stack that names the project's own code, relative to the project. */
export function topFrame(stack: string | undefined): string {
  const frames = (stack ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '));
  const own = frames.find((l) => /\/(src|plugins)\//.test(l) && !l.includes('node_modules')) ?? frames[0] ?? '(no stack)';
  return own
    .replace(/^at /, '')
    .replace(/\(?file:\/\/|\(/g, '')
    .replace(/\)$/, '')
    .replace(/\S*\/work\/main\//, '');
}

/**
 * The error in a line: an EJS error's message is the template excerpt and then the cause, so
 * the cause and the template line are kept; a PostgreSQL error's message is the statement and
 * then the reason, so the reason comes first and the statement is shortened.
 */
function summarize(err: NonNullable<LogLine['err']>): { message: string; frame: string } {
  const type = err.type ?? 'Error';
  const message = err.message ?? '';
  const template = /^(\S+\.ejs):(\d+)\n[\s\S]*\n\n([\s\S]+)$/.exec(message);
  if (template) return { message: `${type}: ${template[3]!.trim().slice(0, 200)}`, frame: `${template[1]!.replace(/\S*\/work\/main\//, '')}:${template[2]}` };
  const sql = /^((?:select|insert|update|delete) [\s\S]*) - ([^-][\s\S]*)$/i.exec(message);
  if (sql) {
    const table = /\b(?:from|into|update)\s+"?([\w.]+)"?/i.exec(sql[1]!)?.[1] ?? '?';
    return { message: `${type}: ${sql[2]!.slice(0, 200)} (${sql[1]!.split(' ')[0]!.toLowerCase()} on ${table})`, frame: topFrame(err.stack) };
  }
  return { message: `${type}: ${message.slice(0, 300)}`, frame: topFrame(err.stack) };
}

/**
 * The suite's app, built on the test context's database, clock and configuration, but with a
 * logger that keeps every error by request id: a failure can then quote the server's own
 * message and stack frame rather than a bare "500" (the shared test app logs nothing).
 */
export function loggedApp(ctx: TestContext): { ctx: TestContext; errorsOf(reqId: string | undefined): LoggedError[] } {
  const byRequest = new Map<string, LoggedError[]>();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as LogLine;
        const id = entry.reqId ?? entry.req?.id;
        if (!id || !entry.err) continue;
        const list = byRequest.get(id) ?? [];
        list.push({ msg: entry.msg ?? '', ...summarize(entry.err) });
        byRequest.set(id, list);
      }
      done();
    },
  });
  const logger = pino({ level: 'error' }, sink);
  // A database error's stack ends in the driver; knex can keep where the query was built, which
  // is the frame a developer needs (the suite's own database handle, so nothing else changes).
  (ctx.db.client as { config: { asyncStackTraces?: boolean } }).config.asyncStackTraces = true;
  const built = buildApp({ config: ctx.config, db: ctx.db, clock: ctx.clock, logger, sessionSecret: 'fuzz-secret-fuzz-secret-fuzz-secret-0123' });
  const errorsOf = (reqId: string | undefined): LoggedError[] => {
    const all = reqId ? (byRequest.get(reqId) ?? []) : [];
    // pino-http repeats a 5xx as "request errored"; the error handler's entry says more.
    const own = all.filter((e) => e.msg !== 'request errored');
    return own.length ? own : all;
  };
  return { ctx: { ...ctx, built }, errorsOf };
}

/** Signs one person of each role in on the suite's app (as the access suite's cast, fewer roles). */
export async function signInOn(
  ctx: TestContext,
  roles: Record<string, string | null>,
  prefix: string,
  errorsOf?: (reqId: string | undefined) => LoggedError[],
): Promise<Record<string, Member>> {
  const out: Record<string, Member> = {};
  for (const [role, unitCode] of Object.entries(roles)) {
    const { username, password, user } = await ctx.userWith(role as CastRole, unitCode, `${prefix}-${role}`);
    const agent: Agent = makeAgent(ctx.built);
    const token = await agent.csrf();
    const res = await agent.post('/login').type('form').send({ username, password, _csrf: token });
    if (res.status !== 302) {
      const logged = errorsOf?.(res.headers['x-request-id'] as string | undefined)
        .map((e) => `${e.message} at ${e.frame}`)
        .join('; ');
      throw new Error(`sign-in of ${username} failed with ${res.status}: ${logged || '(nothing logged)'}`);
    }
    out[role] = { role: role as CastRole, username, password, userId: user.id, agent, csrf: await csrfOfSignedIn(agent) };
  }
  return out;
}
