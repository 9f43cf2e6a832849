import { expect } from 'chai';
import type request from 'supertest';
import { forEachDatabase, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import type { Member } from '../fixtures/cast.ts';
import type { Made } from '../fixtures/catalog-places.ts';
import { accessWorld, fillPath, type Fixture } from '../fixtures/access-world.ts';
import { routeKey, routes } from '../fixtures/access-table.ts';
import type { Row } from '../fixtures/access-rows.ts';
import { loggedApp, signInOn, type LoggedError } from '../helpers/fuzz/logged-app.ts';
import { fuzzCases, idsFor, casesPerRole, baseSeed, type FuzzCase } from '../helpers/fuzz/fuzz-cases.ts';
import { answerProblem, jsonText, queryFields, sendFuzz, type Channel, type Fields, type FuzzRequest } from '../helpers/fuzz/fuzz-request.ts';
import { hostileIds, scriptPayloads, showValue } from '../helpers/fuzz/hostile-values.ts';
import { findingLine, writeFindings, type Finding } from '../helpers/fuzz/findings.ts';

/**
 * Every page form and API route of the access table (test/fixtures/access-table.ts), as an
 * administrator, a province coordinator and a commune officer, with hostile values in the
 * fields each route reads and hostile ids in its URL. Whatever arrives, the answer is a clear
 * refusal or the page, never a server error, and never a script written back unescaped.
 * FUZZ_FINDINGS=<file> writes the failures grouped by cause, with the server's logged error.
 */

const roles = { admin: null, coordinator: 'DNO', officer: 'DNO-CJ-ND' } as const;
type FuzzRole = keyof typeof roles;
const roleNames = Object.keys(roles) as FuzzRole[];

/**
 * The public page forms, which the access table leaves to their own suites: fuzzed here as
 * well, signed in (sign-out is left out, or the role's later requests would be anonymous).
 */
const publicForms: Row[] = [
  { method: 'GET', path: '/', may: 'everyone', ok: 302 },
  { method: 'GET', path: '/healthz', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/login?next=/home', may: 'everyone', ok: 302 },
  { method: 'POST', path: '/login', body: () => ({ username: 'khong-co-ai', password: 'sai-mat-khau', next: '/home' }), may: 'everyone', ok: 401 },
  { method: 'POST', path: '/lang', body: () => ({ lang: 'vi', back: '/home' }), may: 'everyone', ok: 302 },
  { method: 'GET', path: '/setup?token=khong-hop-le', may: 'everyone', ok: 404 },
  {
    method: 'POST',
    path: '/setup',
    body: () => ({ token: 'khong-hop-le', username: 'moi', fullName: 'Người mới', password: 'mat-khau-moi-123' }),
    may: 'everyone',
    ok: 404,
  },
  // A unit's public page, and its survey (this suite loads no plugin, so there is no survey form).
  { method: 'GET', path: '/cong-khai/DNO-CJ-ND', may: 'everyone', ok: 200 },
  {
    method: 'POST',
    path: '/cong-khai/DNO-CJ-ND/khao-sat',
    body: () => ({ dossierCode: 'H01.2026.1', a_courteous: '5', comment: 'Tốt' }),
    may: 'everyone',
    ok: 404,
  },
];
const fuzzRows = [...routes, ...publicForms];

const findings: Finding[] = [];
const timings: string[] = [];

// Placeholders made anew when a request went through: the record may have moved on.
const renewable = /:(fresh[A-Za-z]+|ownToken|roleId|tthcId|templateId|oid|notification)\b/;

const channelOf = (row: Row): Channel => (row.method === 'GET' ? 'query' : row.file ? 'multipart' : row.path.startsWith('/api/') ? 'json' : 'form');

interface Target {
  url: string;
  base: Fields;
}
/** One request: where, with what, and how a failure names the field and the value. */
interface Probe {
  url: string;
  fields: Fields;
  raw?: FuzzRequest['raw'];
  field: string;
  value: string;
  valueName: string;
}

/**
 * Bodies no real client sends, once per route (as the administrator, who gets furthest): more
 * fields than the parser's limit, and a body cut short in the channel's own format. Neither
 * carries the route's valid fields, so neither can change the records later rows stand on.
 */
function structuralCases(channel: Channel): Array<{ field: string; value: string; fields?: Fields; raw?: FuzzRequest['raw'] }> {
  const many: Fields = Array.from({ length: 2_500 }, (_v, i): Fields[number] => [`f${i}`, { plain: 'x' }]);
  const cut =
    channel === 'json'
      ? { type: 'application/json', body: '{"name": "chưa hết' }
      : channel === 'multipart'
        ? { type: 'multipart/form-data; boundary=fuzzfuzz', body: '--fuzzfuzz\r\nContent-Disposition: form-data; name="name"\r\n\r\nchưa hết' }
        : { type: 'application/x-www-form-urlencoded; charset=koi9-x', body: 'name=%E0%A4%A' };
  return [
    { field: '2,500 fields', value: 'f0…f2499 = "x"', fields: many },
    { field: 'the whole body', value: `cut short (${cut.type})`, raw: cut },
  ];
}

async function target(row: Row, f: Fixture, m: Member): Promise<Target> {
  const { url, made }: { url: string; made: Made } = await fillPath(row, f.inside, f, m);
  const body = (await row.body?.(f.inside, f, made)) ?? {};
  return { url, base: Object.entries(body).map(([k, v]) => [k, { plain: v }]) };
}

/** The valid body with the case's fields put in (replacing the valid value, or added). */
function withCase(base: Fields, c: FuzzCase): Fields {
  const hostile = new Map(c.fields);
  const kept: Fields = base.map(([k, v]) => [k, hostile.has(k) ? { hostile: hostile.get(k)! } : v]);
  return [...kept, ...c.fields.filter(([k]) => !base.some(([b]) => b === k)).map(([k, v]): Fields[number] => [k, { hostile: v }])];
}

/** The positions of the path that hold a record's id (the others are words of the route). */
function idPositions(row: Row, url: string): number[] {
  const shape = row.path.split('?')[0]!.split('/');
  const sent = url.split('?')[0]!.split('/');
  return shape.flatMap((s, i) => (s.startsWith(':') && /^\d+$/.test(sent[i] ?? '') ? [i] : []));
}

forEachDatabase('fuzz: every route as three roles, hostile values in every field', (ctx) => {
  let app: TestContext;
  let errorsOf: (reqId: string | undefined) => LoggedError[];
  let cast: Record<string, Member>;
  let f: Fixture;
  let requests = 0;
  let started = 0;

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    ({ ctx: app, errorsOf } = loggedApp(ctx()));
    cast = await signInOn(app, roles, 'fuzz', errorsOf);
    f = await accessWorld(app);
    started = Date.now();
  });

  // A move that names no parent is taken as a move to the top (the empty move form does that):
  // put the unit back, or the rows after it would stand on a unit without a province.
  afterEach(async () => {
    const parent = (await app.db('units as u').join('units as p', 'p.id', 'u.parent_id').where('u.id', f.inside.id).first('p.code')) as
      { code: string } | undefined;
    if (parent?.code !== f.inside.parentCode) await app.built.services.units.move(app.admin, f.inside.id, { parentCode: f.inside.parentCode });
  });

  after(() => {
    const s = ((Date.now() - started) / 1000).toFixed(1);
    timings.push(
      `${ctx().dialect}: ${fuzzRows.length} rows × ${roleNames.length} roles, ${casesPerRole} drawn cases per role (seed ${baseSeed}), ${requests} requests in ${s} s`,
    );
    writeFindings(process.env.FUZZ_FINDINGS, findings, timings);
  });

  /** Sends one request and records what is wrong with its answer. */
  async function probe(row: Row, role: FuzzRole, p: Probe, silent = false): Promise<{ res: request.Response; finding?: Finding }> {
    const { url, fields } = p;
    const m = cast[role]!;
    requests++;
    const res = await sendFuzz(m.agent, { method: row.method, url, channel: channelOf(row), fields, raw: p.raw, csrf: m.csrf, file: row.file?.(f.inside) });
    let problem = answerProblem(res);
    if (!problem) return { res };
    const sentScript = fields.some(([, v]) => 'hostile' in v && scriptPayloads.some((p) => v.hostile.json.includes(p.replace(/"/g, '\\"'))));
    if (!problem.startsWith('answered 5') && !sentScript) problem += ' (written by an earlier request: stored, not reflected)';
    const finding: Finding = {
      engine: ctx().dialect,
      role,
      method: row.method,
      route: row.path,
      url,
      field: p.field,
      value: p.value,
      valueName: p.valueName,
      status: res.status,
      problem,
      logged: errorsOf(res.headers['x-request-id'] as string | undefined),
    };
    if (!silent) findings.push(finding);
    return { res, finding };
  }

  async function fuzzAsRole(row: Row, role: FuzzRole, roleIndex: number): Promise<Finding[]> {
    const key = routeKey(row);
    const channel = channelOf(row);
    const out: Finding[] = [];
    let t = await target(row, f, cast[role]!);
    const known = channel === 'query' ? queryFields(t.url).fields.map(([k]) => k) : t.base.map(([k]) => k);
    const renew = async (res: request.Response) => {
      if (res.status < 400 && renewable.test(row.path)) t = await target(row, f, cast[role]!);
    };
    for (const c of fuzzCases(key, role, roleIndex, channel, known)) {
      const fields = channel === 'query' ? c.fields.map(([k, v]): Fields[number] => [k, { hostile: v }]) : withCase(t.base, c);
      const [k, v] = c.fields[0]!;
      const said = c.all
        ? { field: 'every field at once', value: 'each a different hostile value', valueName: 'all at once' }
        : { field: k, value: showValue(v), valueName: v.name };
      const { res, finding } = await probe(row, role, { url: t.url, fields, ...said }, c.all);
      await renew(res);
      if (!finding) continue;
      if (!c.all) {
        out.push(finding);
        continue;
      }
      // Every field at once went wrong: send each alone to name the field that does it.
      const culprits: Finding[] = [];
      for (const one of c.fields) {
        const fields1: Fields = channel === 'query' ? [[one[0], { hostile: one[1] }]] : withCase(t.base, { fields: [one] });
        const alone = await probe(row, role, { url: t.url, fields: fields1, field: one[0], value: showValue(one[1]), valueName: one[1].name });
        await renew(alone.res);
        if (alone.finding) culprits.push(alone.finding);
      }
      if (!culprits.length) findings.push(finding);
      out.push(...(culprits.length ? culprits : [finding]));
    }
    if (roleIndex === 0 && channel !== 'query') {
      for (const s of structuralCases(channel)) {
        const { finding } = await probe(row, role, { url: t.url, fields: s.fields ?? [], raw: s.raw, field: s.field, value: s.value, valueName: s.value });
        if (finding) out.push(finding);
      }
    }
    for (const at of idPositions(row, t.url)) {
      for (const id of idsFor(key, at, roleIndex, roleNames.length)) {
        const parts = t.url.split('?');
        const segs = parts[0]!.split('/');
        segs[at] = id;
        const url = [segs.join('/'), ...parts.slice(1)].join('?');
        const { finding } = await probe(row, role, {
          url,
          fields: channel === 'query' ? [] : t.base,
          field: `URL id ${row.path.split('/')[at]}`,
          value: id,
          valueName: `id ${id}`,
        });
        if (finding) out.push(finding);
      }
    }
    return out;
  }

  describe('hostile values in every field the route reads, and hostile ids in its URL', () => {
    for (const row of fuzzRows) {
      it(`${row.method} ${row.path}: no hostile value gets a server error or an unescaped script back`, async function () {
        this.timeout(120_000);
        const problems: Finding[] = [];
        for (const [i, role] of roleNames.entries()) problems.push(...(await fuzzAsRole(row, role, i)));
        const lines = problems.map(findingLine);
        expect(lines, `${lines.length} failing requests:\n${lines.join('\n')}`).to.deep.equal([]);
      });
    }
  });
});

describe('the fuzz suite itself', () => {
  const answer = (status: number, type: string, text: string) => ({ status, headers: { 'content-type': type }, text }) as unknown as request.Response;

  it('catches a server error and a script written back unescaped, and lets the escaped script pass', () => {
    expect(answerProblem(answer(500, 'application/json', '{}'))).to.equal('answered 500');
    expect(answerProblem(answer(422, 'text/html; charset=utf-8', '<p><script>alert(1)</script></p>'))).to.include('unescaped');
    expect(answerProblem(answer(422, 'text/html', '<input value=""><img src=x onerror=alert(1)>">'))).to.include('onerror=alert(1)>');
    expect(answerProblem(answer(422, 'text/html', '<p>&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt;</p>'))).to.equal(
      undefined,
    );
    expect(answerProblem(answer(200, 'application/json', '{"name":"<script>alert(1)</script>"}'))).to.equal(undefined);
  });

  it('draws the same cases on every run, and the three roles share out every hostile id', () => {
    expect(fuzzCases('POST /units', 'admin', 0, 'form', ['code', 'name'])).to.deep.equal(fuzzCases('POST /units', 'admin', 0, 'form', ['code', 'name']));
    const ids = roleNames.flatMap((_r, i) => idsFor('GET /units/:id', 2, i, roleNames.length));
    expect([...ids].sort()).to.deep.equal([...hostileIds].sort());
  });

  it('sends a __proto__ key as a key of the JSON body, and numbers as written', () => {
    const body = jsonText([
      ['__proto__', { plain: { isAdmin: true } }],
      ['year', { hostile: { name: 'number 1e309', json: '1e309' } }],
    ]);
    expect(body).to.equal('{"__proto__":{"isAdmin":true},"year":1e309}');
  });
});
