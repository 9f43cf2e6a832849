import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import type { Express, Router } from 'express';
import type { Role } from '../../src/auth/roles.ts';
import { buildApp } from '../../src/app.ts';
import { yesNoItem, type FormDefinition } from '../../src/plugins/contract.ts';
import { PluginRegistry, type PluginRecord } from '../../src/plugins/registry.ts';
import disciplineInspection from '../../plugins/discipline-inspection/index.ts';
import { spotCheckForm } from '../../plugins/discipline-inspection/forms/spot-check.ts';
import { testPassword, type TestContext } from './app.ts';
import { seedTree } from '../fixtures/tree.ts';

/**
 * The examples of docs/api.md, read as data so that a test can run them against the app.
 *
 * In the document, an example is a fenced `http` block (a request: `METHOD /path`, header lines,
 * a blank line, an optional body) followed by a fenced block whose info string is
 * `json status=NNN` (the expected response) or, for a PDF, `pdf status=NNN` (the expected
 * headers). Each example sits under its own heading, which becomes the title of its test. Other
 * fenced blocks (curl, shapes of objects) are prose.
 */

export const apiDocPath = path.resolve(import.meta.dirname, '../../docs/api.md');

export interface ApiExample {
  /** The heading the example sits under. */
  title: string;
  /** 1-based line of the request block in the document, for error messages. */
  line: number;
  method: string;
  /** Path with query string, placeholders not yet filled. */
  target: string;
  headers: Array<[string, string]>;
  body: string;
  status: number;
  /** `json`: a JSON body (or none); `pdf`: a PDF body, the block listing expected headers. */
  format: 'json' | 'pdf';
  /** Expected body (JSON with placeholders; empty when the response has no body), or for a PDF the expected headers. */
  expected: string;
}

interface Fence {
  info: string;
  text: string;
  line: number;
  heading: string;
}

function fencesOf(markdown: string): Fence[] {
  const lines = markdown.split(/\r?\n/);
  const out: Fence[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      heading = h[1] as string;
      continue;
    }
    const open = /^(`{3,})\s*(.*)$/.exec(line);
    if (!open) continue;
    const fence = open[1] as string;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] as string).startsWith(fence)) body.push(lines[j++] as string);
    if (j >= lines.length) throw new Error(`docs/api.md line ${i + 1}: code block never closed`);
    out.push({ info: (open[2] as string).trim(), text: body.join('\n'), line: i + 1, heading });
    i = j;
  }
  return out;
}

/** Parses every example; a request without its response, or two examples under one heading, is an error in the document. */
export function parseApiExamples(markdown: string): ApiExample[] {
  const fences = fencesOf(markdown);
  const examples: ApiExample[] = [];
  const titles = new Set<string>();
  for (let i = 0; i < fences.length; i++) {
    const f = fences[i] as Fence;
    const isResponse = /^(json|pdf)\s+status=/.test(f.info);
    if (f.info !== 'http') {
      if (isResponse) throw new Error(`docs/api.md line ${f.line}: a response without a request before it`);
      continue;
    }
    const next = fences[i + 1];
    const status = next ? /^(json|pdf)\s+status=(\d{3})$/.exec(next.info) : null;
    if (!next || !status) throw new Error(`docs/api.md line ${f.line}: the request is not followed by a \`json status=NNN\` (or \`pdf status=NNN\`) block`);
    if (!f.heading) throw new Error(`docs/api.md line ${f.line}: an example needs a heading`);
    if (titles.has(f.heading)) throw new Error(`docs/api.md line ${f.line}: a second example under "${f.heading}"; give each its own heading`);
    if (next.heading !== f.heading) throw new Error(`docs/api.md line ${next.line}: the response is under another heading than its request`);
    titles.add(f.heading);

    const lines = f.text.split('\n');
    const first = /^([A-Z]+)\s+(\S+)$/.exec((lines[0] ?? '').trim());
    if (!first) throw new Error(`docs/api.md line ${f.line + 1}: expected "METHOD /path", got "${lines[0]}"`);
    const headers: Array<[string, string]> = [];
    let k = 1;
    for (; k < lines.length && (lines[k] as string).trim() !== ''; k++) {
      const h = /^([\w-]+):\s*(.*)$/.exec(lines[k] as string);
      if (!h) throw new Error(`docs/api.md line ${f.line + 1 + k}: expected a header "Name: value", got "${lines[k]}"`);
      headers.push([h[1] as string, (h[2] as string).trim()]);
    }
    examples.push({
      title: f.heading,
      line: f.line,
      method: first[1] as string,
      target: first[2] as string,
      headers,
      body: lines
        .slice(k + 1)
        .join('\n')
        .trim(),
      status: Number(status[2]),
      format: status[1] as 'json' | 'pdf',
      expected: next.text.trim(),
    });
    i++;
  }
  return examples;
}

export function readApiExamples(file = apiDocPath): ApiExample[] {
  return parseApiExamples(fs.readFileSync(file, 'utf8'));
}

// --- Placeholders ------------------------------------------------------------------------------

/** `{{kind:argument}}`, e.g. `{{token:officer}}`, `{{unit:DNO-CJ}}`, `{{role:nguyenvana/viewer@DNO}}`. */
const placeholder = /\{\{(\w+):([^}]+)\}\}/g;

export type Resolver = (kind: string, arg: string) => Promise<string>;

export async function fillPlaceholders(text: string, resolve: Resolver): Promise<string> {
  const found = [...text.matchAll(placeholder)];
  const values = await Promise.all(found.map((m) => resolve(m[1] as string, (m[2] as string).trim())));
  let i = 0;
  return text.replace(placeholder, () => values[i++] as string);
}

// --- Fixtures ----------------------------------------------------------------------------------

/** The people the examples act as (docs/api.md, "About the examples"); each has one API token. */
export const exampleUsers: Array<{ key: string; username: string; fullName: string; role: Role; unit: string; locale: 'vi' | 'en' }> = [
  { key: 'coordinator', username: 'dieuphoi.daknong', fullName: 'Trần Thị Hoa', role: 'coordinator', unit: 'DNO', locale: 'vi' },
  { key: 'officer', username: 'canbo.namdong', fullName: 'Nguyễn Văn Bình', role: 'officer', unit: 'DNO-CJ-ND', locale: 'vi' },
  { key: 'leader', username: 'lanhdao.namdong', fullName: 'Lê Văn Tâm', role: 'leader', unit: 'DNO-CJ-ND', locale: 'vi' },
  { key: 'inspector', username: 'kiemtra.daknong', fullName: 'Phạm Quốc Huy', role: 'inspector', unit: 'DNO', locale: 'vi' },
  { key: 'viewer', username: 'xem.laichau', fullName: 'Hoàng Minh Anh', role: 'viewer', unit: 'LCA', locale: 'en' },
];

/** A short checklist for the examples of checks: two mandatory yes/no items and an optional scale. */
export const quickCheckForm: FormDefinition = {
  id: 'quick-check',
  version: 1,
  kind: 'iso-check',
  appliesTo: 'unit',
  title: { vi: 'Kiểm tra nhanh hồ sơ một cửa', en: 'Quick check of one-stop records' },
  sections: [
    {
      id: 'records',
      title: { vi: 'Hồ sơ', en: 'Records' },
      items: [
        yesNoItem('tracking-book', '7.5.3', { vi: 'Sổ theo dõi hồ sơ được cập nhật đầy đủ', en: 'The tracking book is up to date' }, 'major'),
        yesNoItem('control-sheet', '8.5.1', { vi: 'Hồ sơ có Phiếu kiểm soát quá trình giải quyết', en: 'Each dossier has its control sheet' }, 'minor'),
        {
          id: 'satisfaction',
          ref: '9.1.2',
          text: { vi: 'Mức độ hài lòng của người dân', en: "Citizens' satisfaction" },
          answer: { type: 'scale', min: 1, max: 5 },
          mandatory: false,
          weight: 1,
        },
      ],
    },
  ],
};

/**
 * The plugins of the examples' app: the bundled `discipline-inspection` with its form (its reminder
 * left out, so that nothing is sent), and `docs-examples`, which exists only to register
 * `quickCheckForm`. Nothing else is loaded.
 */
export function examplePlugins(): PluginRegistry {
  const record = (manifest: PluginRecord['manifest'] & object, settings: PluginRecord['settings'], forms: FormDefinition[]): PluginRecord => ({
    id: manifest.id,
    dir: manifest.id,
    status: 'loaded',
    manifest,
    settings,
    forms,
    reminders: [],
    documents: [],
    migrationsApplied: [],
  });
  return new PluginRegistry([
    record(disciplineInspection.manifest, { leadDays: 3 }, [spotCheckForm]),
    record({ id: 'docs-examples', version: '1.0.0', host: '*', name: { vi: 'Ví dụ của tài liệu API', en: 'API reference examples' } }, {}, [quickCheckForm]),
  ]);
}

export interface ApiFixtures {
  /** The app the examples are sent to: the test's database and clock, with `examplePlugins()`. */
  app: Express;
  /** Token by key: `admin` (the administrator `root`), the key of each example user, and `revoked`. */
  tokens: Record<string, string>;
  /** Values captured from earlier responses (`"<id:NAME>"` in an expected body), by name. */
  ids: Record<string, string>;
}

/** The fixture tree, the example users, a token for each, one revoked token of the officer, and the app with its plugins. */
export async function arrangeApiFixtures(ctx: TestContext): Promise<ApiFixtures> {
  await seedTree(ctx);
  const users = ctx.built.services.users;
  const tokens: Record<string, string> = {};
  tokens.admin = (await users.createToken(ctx.admin, { name: 'Hệ thống tỉnh' })).token;
  for (const u of exampleUsers) {
    const created = await users.create(ctx.admin, { username: u.username, fullName: u.fullName, password: testPassword, locale: u.locale });
    const user = await users.addRole(ctx.admin, created.id, { role: u.role, unitId: await ctx.unitId(u.unit) });
    tokens[u.key] = (await users.createToken({ user }, { name: 'Đồng bộ' })).token;
    if (u.key === 'officer') {
      const old = await users.createToken({ user }, { name: 'Mã cũ' });
      await users.revokeToken({ user }, old.id);
      tokens.revoked = old.token;
    }
  }
  const { app } = buildApp({
    config: ctx.config,
    db: ctx.db,
    clock: ctx.clock,
    logger: pino({ level: 'silent' }),
    sessionSecret: 'test-secret-test-secret-test-secret-0123',
    plugins: examplePlugins(),
  });
  return { app, tokens, ids: {} };
}

/** Fills `{{token:KEY}}`, `{{unit:CODE}}`, `{{user:USERNAME}}`, `{{role:USERNAME/ROLE@CODE}}`
 *  (`{{role:USERNAME/admin}}` for a role without unit) and `{{id:NAME}}` (a value captured from an
 *  earlier response), reading the database at the time of the example so that units and users
 *  created by earlier examples can be named. */
export function resolverFor(ctx: TestContext, fx: ApiFixtures): Resolver {
  const db = ctx.db;
  return async (kind, arg) => {
    const fail = (why: string): never => {
      throw new Error(`placeholder {{${kind}:${arg}}}: ${why}`);
    };
    switch (kind) {
      case 'token':
        return fx.tokens[arg] ?? fail(`no such token; known: ${Object.keys(fx.tokens).join(', ')}`);
      case 'unit': {
        const row = (await db('units').where('code', arg).first('id')) as { id: number } | undefined;
        return row ? String(row.id) : fail('no unit with that code');
      }
      case 'user': {
        const row = (await db('users').where('username', arg).first('id')) as { id: number } | undefined;
        return row ? String(row.id) : fail('no user with that name');
      }
      case 'role': {
        const m = /^([^/]+)\/(\w+)(?:@(.+))?$/.exec(arg) ?? fail('expected USERNAME/ROLE@UNITCODE');
        const q = db('user_roles as r')
          .join('users as u', 'u.id', 'r.user_id')
          .leftJoin('units as n', 'n.id', 'r.unit_id')
          .where('u.username', m[1] as string)
          .where('r.role', m[2] as string);
        if (m[3]) q.where('n.code', m[3]);
        else q.whereNull('r.unit_id');
        const row = (await q.first('r.id')) as { id: number } | undefined;
        return row ? String(row.id) : fail('no such role');
      }
      case 'id':
        return fx.ids[arg] ?? fail(`no earlier response captured it (an expected value "<id:${arg}>"); captured: ${Object.keys(fx.ids).join(', ') || 'none'}`);
      default:
        return fail('unknown kind (token, unit, user, role, id)');
    }
  };
}

// --- Running and matching ----------------------------------------------------------------------

export interface ExampleOutcome {
  response: request.Response;
  expectedBody: unknown;
  /** Empty when the response agrees with the example. */
  problems: string[];
}

/** Sends the example's request to the app (no cookies: only what the example shows) and compares. */
export async function runExample(ctx: TestContext, fx: ApiFixtures, ex: ApiExample): Promise<ExampleOutcome> {
  const resolve = resolverFor(ctx, fx);
  const target = await fillPlaceholders(ex.target, resolve);
  const method = ex.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = request(fx.app)[method](target);
  const multipart = ex.headers.some(([name, value]) => name.toLowerCase() === 'content-type' && value.startsWith('multipart/form-data'));
  for (const [name, value] of ex.headers) {
    // A multipart body gets its boundary from the request builder.
    if (!(multipart && name.toLowerCase() === 'content-type')) req = req.set(name, await fillPlaceholders(value, resolve));
  }
  if (multipart) {
    // One `name=value` field or `name=@file.ext` file a line; the file's bytes are a sample of its type.
    for (const line of (await fillPlaceholders(ex.body, resolve)).split('\n').filter((l) => l.trim())) {
      const [name, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)];
      req = value.startsWith('@') ? req.attach(name, sampleFile(value.slice(1)), value.slice(1)) : req.field(name, value);
    }
  } else if (ex.body) req = req.send(await fillPlaceholders(ex.body, resolve));
  if (ex.format === 'pdf') req = req.buffer(true).parse(binary);
  const response = await req;

  const problems: string[] = [];
  if (response.status !== ex.status) problems.push(`status: expected ${ex.status}, got ${response.status}`);
  let expectedBody: unknown;
  if (ex.format === 'pdf') {
    problems.push(...pdfMismatches(response, await fillPlaceholders(ex.expected, resolve)));
  } else if (ex.expected === '') {
    if (response.text) problems.push(`body: expected none, got ${response.text.slice(0, 200)}`);
  } else {
    const filled = await fillPlaceholders(ex.expected, resolve);
    try {
      expectedBody = JSON.parse(filled);
    } catch (err) {
      throw new Error(`docs/api.md line ${ex.line}: the expected response is not JSON (${(err as Error).message})`, { cause: err });
    }
    if (!/^application\/json/.test(String(response.headers['content-type']))) {
      problems.push(`content-type: expected JSON, got ${response.headers['content-type']}`);
    } else {
      problems.push(...mismatches(response.body, expectedBody));
      Object.assign(fx.ids, captures(response.body, expectedBody));
    }
  }
  return { response, expectedBody, problems };
}

/** The bytes of `@name.ext` in a multipart example: a tiny PNG, a minimal PDF, or else a line of text. */
export function sampleFile(name: string): Buffer {
  if (name.endsWith('.png')) return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  if (name.endsWith('.pdf')) return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  return Buffer.from('Không phải ảnh, chỉ là một dòng chữ.\n');
}

/** Collects a response body as bytes, whatever its type. */
function binary(response: unknown, done: (err: Error | null, body: Buffer) => void): void {
  const res = response as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => done(err, Buffer.alloc(0)));
}

/**
 * A PDF response: the body must start with `%PDF-`, and each `Name: value` line of the expected
 * block must be a header of the response with that value (`<any>`: present, whatever its value).
 * When the response states the SHA-256 of its content (`X-Content-SHA256`), the bytes must have it.
 */
export function pdfMismatches(response: Pick<request.Response, 'body' | 'headers'>, expected: string): string[] {
  const problems: string[] = [];
  const body = response.body as unknown;
  if (!Buffer.isBuffer(body) || body.subarray(0, 5).toString('latin1') !== '%PDF-') {
    const start = Buffer.isBuffer(body) ? body.subarray(0, 200).toString('utf8') : JSON.stringify(body ?? null).slice(0, 200);
    problems.push(`body: expected a PDF, got ${JSON.stringify(start)}`);
  }
  const sha = response.headers['x-content-sha256'] as string | undefined;
  if (sha && Buffer.isBuffer(body) && crypto.createHash('sha256').update(body).digest('hex') !== sha) {
    problems.push(`body: its SHA-256 is not the X-Content-SHA256 header ${sha}`);
  }
  for (const line of expected
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const h = /^([\w-]+):\s*(.*)$/.exec(line);
    if (!h) throw new Error(`expected a header "Name: value" in a pdf block, got "${line}"`);
    const actual = response.headers[(h[1] as string).toLowerCase()] as string | undefined;
    if (actual === undefined) problems.push(`header ${h[1]}: missing`);
    else if (h[2] !== anyValue && actual !== h[2]) problems.push(`header ${h[1]}: expected ${JSON.stringify(h[2])}, got ${JSON.stringify(actual)}`);
  }
  return problems;
}

/** Matches anything, but the key must be there (ids, times, request ids). */
export const anyValue = '<any>';
/** The key must not be there at all. */
export const absentValue = '<absent>';
/** As the last element of an expected array: more elements may follow. */
export const moreItems = '...';
/** `"<id:NAME>"`: matches like `<any>`, and the value is kept for `{{id:NAME}}` in later examples. */
const captureMarker = /^<id:([\w.-]+)>$/;

/**
 * Compares a response body with an expected one (docs/api.md, "Reading the examples"):
 * objects are matched as subsets (keys not shown are not checked), arrays by position and
 * length (a trailing "..." allows more elements), scalars by strict equality; "<any>" matches
 * any value that is present (so does "<id:NAME>", which also captures it) and "<absent>"
 * requires the key to be missing. Returns one line per disagreement.
 */
export function mismatches(actual: unknown, expected: unknown, at = 'body'): string[] {
  const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
  if (expected === anyValue || (typeof expected === 'string' && captureMarker.test(expected))) return actual === undefined ? [`${at}: missing`] : [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${show(actual)}`];
    const open = expected.length > 0 && expected[expected.length - 1] === moreItems;
    const items = open ? expected.slice(0, -1) : expected;
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return [`${at}: expected ${open ? 'at least ' : ''}${items.length} item(s), got ${actual.length}: ${show(actual).slice(0, 300)}`];
    }
    return items.flatMap((e, i) => mismatches(actual[i], e, `${at}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: expected an object, got ${show(actual)}`];
    const obj = actual as Record<string, unknown>;
    return Object.entries(expected).flatMap(([k, e]) => {
      if (e === absentValue) return k in obj ? [`${at}.${k}: expected absent, got ${show(obj[k])}`] : [];
      if (!(k in obj)) return [`${at}.${k}: missing`];
      return mismatches(obj[k], e, `${at}.${k}`);
    });
  }
  return Object.is(actual, expected) ? [] : [`${at}: expected ${show(expected)}, got ${show(actual)}`];
}

/** The values found where the expected body shows `"<id:NAME>"`, walked as `mismatches` walks it. */
export function captures(actual: unknown, expected: unknown, out: Record<string, string> = {}): Record<string, string> {
  const m = typeof expected === 'string' ? captureMarker.exec(expected) : null;
  if (m) {
    if (actual !== undefined && actual !== null) out[m[1] as string] = String(actual);
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    expected.forEach((e, i) => captures(actual[i], e, out));
  } else if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    for (const [k, e] of Object.entries(expected)) captures((actual as Record<string, unknown>)[k], e, out);
  }
  return out;
}

// --- Coverage ----------------------------------------------------------------------------------

/** "METHOD /path/:param" of every route a router declares (Express 5 keeps them in `stack`). */
export function routesOf(router: Router, prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of router.stack as unknown as Array<{ route?: { path: string; methods: Record<string, boolean> } }>) {
    if (!layer.route) continue;
    for (const m of Object.keys(layer.route.methods)) {
      if (m !== '_all') out.push(`${m.toUpperCase()} ${prefix}${layer.route.path}`);
    }
  }
  return out;
}

/** Whether an example's request is a call of a route ("GET /api/v1/units/:id"). */
export function exampleCalls(ex: ApiExample, route: string): boolean {
  const [method, pattern] = route.split(' ') as [string, string];
  if (ex.method !== method) return false;
  const re = new RegExp(
    `^${pattern
      .split('/')
      .map((p) => (p.startsWith(':') ? '[^/?]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}$`,
  );
  // Placeholders may hold a slash (`{{role:user/viewer@DNO}}`): each stands for one path segment.
  return re.test(ex.target.replace(placeholder, '0').split('?')[0] as string);
}
