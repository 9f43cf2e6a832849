import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { BuiltApp } from '../../src/app.ts';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, viText } from '../fixtures/http.ts';
import { binaryBody, khaiSinhContent, seedTthc } from '../fixtures/catalog.ts';
import { buildChecksApp, pdf, person, png, type Person } from '../fixtures/checks-setup.ts';
import { buildWorld, form, pngBytes } from '../fixtures/inspections-world.ts';

const boundary = '----isotrackTestBoundary7MA4YWxk';

interface Part {
  name: string;
  value?: string;
  filename?: string;
  content?: Buffer;
  type?: string;
}

/** A multipart body written by hand, so that a test can break it the way a bad client would. */
function multipart(parts: Part[], { close = true }: { close?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.filename === undefined ? `form-data; name="${p.name}"` : `form-data; name="${p.name}"; filename="${p.filename}"`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.filename === undefined ? '' : `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n`}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), p.content ?? Buffer.from(p.value ?? '', 'utf8'), Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
const html = Buffer.from('<!doctype html><html><body><script>fetch("/api/v1/users")</script></body></html>');

forEachDatabase('uploads: malformed bodies, attachment types and file names', (ctx) => {
  let officer: Actor & { username: string; password: string };
  let procedureId: number;
  let agent: Agent;
  let token: string;
  let bearer: string;
  let checks: BuiltApp;
  let checker: Person;
  let checkId: number;

  const version = async () => (await ctx().built.services.catalog.procedures.details(officer, procedureId)).head.version;
  const count = async (table: string) => Number(((await ctx().db(table).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n);
  const attachUrl = () => `/procedures/${procedureId}/forms/0/file`;
  const raw = (url: string, body: Buffer, contentType = `multipart/form-data; boundary=${boundary}`) =>
    agent.post(url).set('Content-Type', contentType).send(body);
  const attach = async (name: string, content: Buffer, type = 'application/pdf') =>
    agent
      .post(attachUrl())
      .field('_csrf', token)
      .field('version', String(await version()))
      .attach('file', content, { filename: name, contentType: type });

  before(async function () {
    this.timeout(60_000);
    const c = ctx();
    await seedTree(c);
    const tthc = await seedTthc(c);
    const unitId = await c.unitId('DNO-CJ-ND');
    const o = await c.userWith('officer', 'DNO-CJ-ND');
    officer = { user: o.user, username: o.username, password: o.password };
    procedureId = (await c.built.services.catalog.procedures.create(officer, unitId, khaiSinhContent(tthc.khaiSinh!))).id;
    agent = await c.signIn(o.username, o.password);
    token = await csrfOfSignedIn(agent);
    bearer = (await c.built.services.users.createToken(officer, { name: 'api' })).token;

    checks = buildChecksApp(c);
    checker = await person(c, checks, 'officer', 'DNO-CJ-ND');
    const planned = await checker.agent
      .post(`/api/v1/units/${unitId}/checks`)
      .set('x-csrf-token', checker.token)
      .send({ formId: 'kiem-tra-chu-ky', formVersion: 1, checkDate: '2026-03-02' });
    expect(planned.status, planned.text).to.equal(201);
    checkId = (planned.body as { data: { id: number } }).data.id;
  });

  describe('a broken multipart body', () => {
    const message = () => viText('errors.UPLOAD_MALFORMED');
    const fields = () => [
      { name: '_csrf', value: token },
      { name: 'version', value: '1' },
    ];
    const cases: Array<[string, () => Buffer, string?]> = [
      ['a NUL in the file name', () => multipart([...fields(), { name: 'file', filename: 'to-khai\u0000.pdf', content: pdf }])],
      [
        'a part header that is not a header',
        () =>
          Buffer.concat([
            multipart(fields(), { close: false }),
            Buffer.from(`--${boundary}\r\nthis is not a header at all\r\n\r\n%PDF-1.4\r\n--${boundary}--\r\n`),
          ]),
      ],
      ['a body cut off before its last boundary', () => multipart([...fields(), { name: 'file', filename: 'to-khai.pdf', content: pdf }], { close: false })],
      [
        'two files in the one file field',
        () => multipart([...fields(), { name: 'file', filename: 'a.pdf', content: pdf }, { name: 'file', filename: 'b.pdf', content: pdf }]),
      ],
      ['no boundary in its content type', () => multipart([...fields(), { name: 'file', filename: 'to-khai.pdf', content: pdf }]), 'multipart/form-data'],
    ];

    for (const [what, body, type] of cases) {
      it(`answers ${what} with 400 and a Vietnamese message, and stores nothing`, async () => {
        const before = await count('catalog_files');
        const res = await raw(attachUrl(), body(), type);
        expect(res.status, res.text.slice(0, 300)).to.equal(400);
        expect(res.text).to.contain(message().replace(/"/g, '&#34;'));
        expect(await count('catalog_files')).to.equal(before);
      });
    }

    it('answers the API with its JSON error, code UPLOAD_MALFORMED', async () => {
      const before = await count('check_files');
      const res = await checker.agent
        .post(`/api/v1/checks/${checkId}/items/q1/files`)
        .set('Authorization', `Bearer ${bearer}`)
        .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
        .send(multipart([{ name: 'file', filename: 'anh.png', content: png }], { close: false }));
      expect(res.status).to.equal(400);
      expect(res.body.error).to.include({ code: 'UPLOAD_MALFORMED', message: message() });
      expect(await count('check_files')).to.equal(before);
    });

    it('keeps nothing of an upload whose client goes away half-way, and goes on serving', async function () {
      this.timeout(20_000);
      const before = await count('check_files');
      const server = checks.app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      try {
        const { port } = server.address() as AddressInfo;
        const body = multipart([{ name: 'file', filename: 'anh.png', content: Buffer.concat([png, Buffer.alloc(64 * 1024)]) }]);
        await new Promise<void>((resolve) => {
          const req = http.request({
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/api/v1/checks/${checkId}/items/q1/files`,
            headers: {
              Authorization: `Bearer ${bearer}`,
              'Content-Type': `multipart/form-data; boundary=${boundary}`,
              'Content-Length': String(body.length),
            },
          });
          req.on('error', () => resolve());
          req.on('close', () => resolve());
          req.write(body.subarray(0, 20_000), () => setTimeout(() => req.destroy(), 200));
        });
        await new Promise((r) => setTimeout(r, 300));
        expect(await count('check_files')).to.equal(before);
        const ok = await checker.agent.post(`/api/v1/checks/${checkId}/items/q1/files`).set('Authorization', `Bearer ${bearer}`).attach('file', png, 'anh.png');
        expect(ok.status, ok.text).to.equal(201);
        expect(await count('check_files')).to.equal(before + 1);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('a file attached to a form of a procedure', () => {
    for (const [what, name, content, type] of [
      ['an HTML page', 'to-khai.html', html, 'text/html'],
      ['an SVG drawing', 'so-do.svg', svg, 'image/svg+xml'],
      ['an HTML page named .pdf', 'to-khai.pdf', html, 'application/pdf'],
      ['an SVG drawing named .png', 'so-do.png', svg, 'image/png'],
    ] as Array<[string, string, Buffer, string]>) {
      it(`refuses ${what} with 422 and a Vietnamese message, and stores nothing`, async () => {
        const before = await count('catalog_files');
        const v = await version();
        const res = await attach(name, content, type);
        expect(res.status).to.equal(422);
        expect(res.text).to.match(/PDF/);
        expect(res.text).to.contain(viText('errors.UPLOAD_FILE_TYPE'));
        expect(await count('catalog_files')).to.equal(before);
        expect(await version(), 'the draft is not touched').to.equal(v);
      });
    }

    it('accepts a real PDF and serves it back as a PDF download the browser must not sniff', async () => {
      const res = await attach('to-khai.pdf', pdf, 'text/html');
      expect(res.status, res.text.slice(0, 300)).to.equal(302);
      const { head } = await ctx().built.services.catalog.procedures.details(officer, procedureId);
      const got = await agent.get(`/catalog/files/${head.forms[0]!.fileId}`).buffer(true).parse(binaryBody);
      expect(got.status).to.equal(200);
      expect(got.headers['content-type']).to.equal('application/pdf');
      expect(got.headers['x-content-type-options']).to.equal('nosniff');
      expect(got.headers['content-disposition']).to.match(/^attachment;/);
      expect(Buffer.compare(got.body as Buffer, pdf)).to.equal(0);
    });

    it('stores a file name without its direction marks and control characters', async () => {
      // A tab is the one C0 control a multipart header can carry; the others make the body malformed.
      const res = await attach(`to-khai\u202efdp.exe${bidi.join('')}\t.pdf`, pdf);
      expect(res.status, res.text.slice(0, 300)).to.equal(302);
      const { head } = await ctx().built.services.catalog.procedures.details(officer, procedureId);
      expect(head.forms[0]!.fileName).to.equal('to-khaifdp.exe.pdf');
      const got = await agent.get(`/catalog/files/${head.forms[0]!.fileId}`);
      expect(got.headers['content-disposition']).not.to.match(/%E2%80%AE/i);
    });
  });

  it('stores a check evidence file name without its direction marks', async () => {
    const res = await checker.agent.post(`/checks/${checkId}/items/q1/files`).field('_csrf', checker.token).attach('file', png, `anh\u202egnp.exe\u2066.png`);
    expect(res.status, res.text.slice(0, 300)).to.equal(302);
    const row = (await ctx().db('check_files').where('check_id', checkId).orderBy('id', 'desc').first('file_name')) as { file_name: string };
    expect(row.file_name).to.equal('anhgnp.exe.png');
  });
});

forEachDatabase('uploads: the names of inspection photos', (ctx) => {
  it('stores a photo taken on site under its name without direction marks', async function () {
    this.timeout(60_000);
    const w = await buildWorld(ctx());
    const opened = await form(w.inspector, '/inspections', { unitCode: 'DNO-CJ-ND' });
    expect(opened.status, opened.text.slice(0, 300)).to.equal(302);
    const id = Number(/\/inspections\/(\d+)/.exec(String(opened.headers.location))![1]);
    // The mark after ".png" would hide the extension if the name were checked before it is cleaned.
    const res = await w.inspector.agent
      .post(`/inspections/${id}/files`)
      .field('_csrf', w.inspector.token)
      .attach('file', pngBytes, 'cua\u202egnp.exe.png\u200f');
    expect(res.status, res.text.slice(0, 300)).to.equal(302);
    const row = (await ctx().db('inspection_files').where('inspection_id', id).first('file_name')) as { file_name: string };
    expect(row.file_name).to.equal('cuagnp.exe.png');
  });
});
