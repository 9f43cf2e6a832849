import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Router } from 'express';
import { forEachDatabase } from '../helpers/app.ts';
import {
  arrangeApiFixtures,
  captures,
  exampleCalls,
  mismatches,
  parseApiExamples,
  pdfMismatches,
  readApiExamples,
  routesOf,
  runExample,
  type ApiFixtures,
} from '../helpers/api-examples.ts';
import type { Services } from '../../src/services.ts';
import { unitApi } from '../../src/modules/units/units.api.ts';
import { userApi } from '../../src/modules/users/users.api.ts';
import { auditApi } from '../../src/modules/audit/audit.routes.ts';
import { pluginApi } from '../../src/plugins/routes.ts';
import { notificationApi } from '../../src/modules/notifications/notifications.api.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { onTimeApi } from '../../src/modules/ontime/ontime.api.ts';
import { dashboardApi } from '../../src/modules/dashboard/dashboard.api.ts';
import { catalogApi } from '../../src/modules/catalog/catalog.api.ts';
import { checkApi } from '../../src/modules/checks/checks.api.ts';
import { actionApi } from '../../src/modules/actions/actions.api.ts';
import { inspectionApi } from '../../src/modules/inspections/inspections.api.ts';
import { documentApi } from '../../src/modules/documents/documents.api.ts';
import { satisfactionApi } from '../../src/modules/public/satisfaction.api.ts';

/**
 * docs/api.md is the API's reference, and every example in it is a test: each request is sent to
 * the app, in document order, on one database, and its answer must match the documented one.
 */
const examples = readApiExamples();

describe('the API reference (docs/api.md)', () => {
  it('has an example for every route of /api/v1', () => {
    // The routers are only declared, never run: their handlers are not called here.
    const stub = {} as Services;
    const routers: Router[] = [
      unitApi(stub),
      userApi(stub),
      auditApi(stub),
      catalogApi(stub),
      pluginApi(stub, {} as Clock),
      notificationApi(stub),
      checkApi(stub),
      actionApi(stub),
      inspectionApi(stub),
      documentApi(stub),
      onTimeApi(stub),
      dashboardApi(stub),
      satisfactionApi(stub),
    ];
    const routes = routers.flatMap((r) => routesOf(r, '/api/v1'));
    expect(routes).to.include('GET /api/v1/units/:id');
    const undocumented = routes.filter((route) => !examples.some((ex) => exampleCalls(ex, route)));
    expect(undocumented, 'routes without an example in docs/api.md').to.deep.equal([]);
  });

  it('shows by example the errors every client must handle', () => {
    const shown = new Set(examples.map((ex) => `${ex.status} ${/"code":\s*"(\w+)"/.exec(ex.expected)?.[1] ?? ''}`.trim()));
    for (const e of ['401 UNAUTHENTICATED', '401 TOKEN_INVALID', '404 NOT_FOUND', '422 VALIDATION_FAILED', '422 UNIT_CODE_TAKEN']) {
      expect([...shown], `an example answering ${e}`).to.include(e);
    }
  });

  it('refuses a request that is not followed by its expected response', () => {
    const doc = '## X\n\n```http\nGET /api/v1/me\n```\n\nno response here\n';
    expect(() => parseApiExamples(doc)).to.throw(/not followed by/);
  });

  it('refuses two examples under one heading, so that every test has its own title', () => {
    const one = '```http\nGET /api/v1/me\n```\n```json status=200\n{}\n```\n';
    expect(() => parseApiExamples(`## Me\n${one}${one}`)).to.throw(/second example/);
  });

  it('matches objects as subsets, arrays by length and position, and scalars exactly', () => {
    const body = {
      data: [
        { code: 'DNO', depth: 0 },
        { code: 'LCA', depth: 0 },
      ],
      meta: { total: 2 },
    };
    expect(mismatches(body, { data: [{ code: 'DNO' }, '...'] })).to.deep.equal([]);
    expect(mismatches(body, { data: ['<any>', '<any>'], meta: { total: 2 }, error: '<absent>' })).to.deep.equal([]);
    expect(mismatches(body, { data: [{ code: 'DNO' }] })).to.have.length(1);
    expect(mismatches(body, { data: [{ code: 'LCA' }, '...'] })).to.deep.equal(['body.data[0].code: expected "LCA", got "DNO"']);
    expect(mismatches(body, { meta: { total: '2' } })).to.have.length(1);
    expect(mismatches(body, { meta: { pages: '<any>' } })).to.deep.equal(['body.meta.pages: missing']);
    expect(mismatches(body, { meta: '<absent>' })).to.have.length(1);
  });

  it('keeps the values an expected body marks "<id:NAME>", which match like "<any>"', () => {
    const body = { data: { id: 7, findings: [{ id: 12 }, { id: 13 }] } };
    const expected = { data: { id: '<id:check>', findings: ['<any>', { id: '<id:finding>' }] } };
    expect(mismatches(body, expected)).to.deep.equal([]);
    expect(captures(body, expected)).to.deep.equal({ check: '7', finding: '13' });
    expect(mismatches({ data: {} }, { data: { id: '<id:check>' } })).to.deep.equal(['body.data.id: missing']);
  });

  it('checks a PDF by its first bytes, the headers shown and its stated SHA-256', () => {
    const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
    const headers = { 'content-type': 'application/pdf', 'x-content-sha256': crypto.createHash('sha256').update(pdf).digest('hex') };
    expect(pdfMismatches({ body: pdf, headers }, 'Content-Type: application/pdf\nX-Content-SHA256: <any>')).to.deep.equal([]);
    expect(pdfMismatches({ body: Buffer.from('<html>'), headers: { 'content-type': 'text/html' } }, 'Content-Type: application/pdf')).to.have.length(2);
    expect(pdfMismatches({ body: Buffer.from('%PDF-1.7 other'), headers }, '')).to.have.length(1);
    expect(parseApiExamples('## P\n```http\nGET /x\n```\n```pdf status=200\n```\n')[0]).to.include({ format: 'pdf', status: 200 });
  });
});

forEachDatabase('the examples of docs/api.md', (ctx) => {
  let fx: ApiFixtures;
  before(async () => {
    fx = await arrangeApiFixtures(ctx());
  });

  for (const ex of examples) {
    it(ex.title, async () => {
      const { response, problems } = await runExample(ctx(), fx, ex);
      const where = `docs/api.md line ${ex.line}: ${ex.method} ${ex.target}`;
      // A PDF is read as bytes: it has no text to show.
      const shown =
        typeof response.text === 'string' ? response.text.slice(0, 1500) : `${String(response.headers['content-type'])}, ${JSON.stringify(response.headers)}`;
      expect(problems, `${where}\nactual ${response.status}: ${shown}`).to.deep.equal([]);
    });
  }
});
