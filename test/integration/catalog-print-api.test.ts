import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn } from '../fixtures/http.ts';
import { binaryBody, issueAll, khaiSinhContent, seedTthc } from '../fixtures/catalog.ts';
import { wordFile } from '../fixtures/files.ts';

forEachDatabase('catalog print, PDF, API and attached files', (ctx) => {
  let tthc: Record<string, number>;
  let unitId: number;
  let officer: Actor & { username: string; password: string };
  let leader: Actor;
  let procedureId: number;
  const bearer: Record<string, string> = {};

  before(async () => {
    await seedTree(ctx());
    tthc = await seedTthc(ctx());
    unitId = await ctx().unitId('DNO-CJ-ND');
    const o = await ctx().userWith('officer', 'DNO-CJ-ND');
    officer = { user: o.user, username: o.username, password: o.password };
    leader = { user: (await ctx().userWith('leader', 'DNO-CJ-ND')).user };
    const outsider = { user: (await ctx().userWith('officer', 'LCA-TU-PK')).user };
    for (const [k, a] of Object.entries({ officer, leader, outsider })) bearer[k] = (await ctx().built.services.users.createToken(a, { name: 'api' })).token;
    const p = await ctx().built.services.catalog.procedures.create(officer, unitId, khaiSinhContent(tthc.khaiSinh!));
    procedureId = p.id;
    await issueAll(ctx(), p.id, officer, leader, '2026-03-02');
  });

  const api = (who: string) => ({
    get: (url: string) => request(ctx().built.app).get(url).set('Authorization', `Bearer ${bearer[who]}`),
    post: (url: string, body: object = {}) => request(ctx().built.app).post(url).set('Authorization', `Bearer ${bearer[who]}`).send(body),
    put: (url: string, body: object) => request(ctx().built.app).put(url).set('Authorization', `Bearer ${bearer[who]}`).send(body),
  });

  it('prints the procedure as a page with its header, sign-off table and steps', async () => {
    const agent = await ctx().signIn(officer.username, officer.password);
    const page = await agent.get(`/procedures/${procedureId}/print`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('QUY TRÌNH ĐĂNG KÝ KHAI SINH');
    expect(page.text).to.contain('Mã hiệu: QT-01/ND-HT');
    expect(page.text).to.contain('Lần ban hành: 01');
    expect(page.text).to.contain('Ngày ban hành: 02/03/2026');
    expect(page.text).to.match(/<th>Soạn thảo<\/th><th>Xem xét<\/th><th>Phê duyệt<\/th>/);
    expect(page.text).not.to.match(/<script>(?!<\/script>)/);
  });

  it('writes a PDF whose text, read back with pdftotext, keeps every Vietnamese diacritic', async () => {
    const agent = await ctx().signIn(officer.username, officer.password);
    const res = await agent.get(`/procedures/${procedureId}/pdf`).buffer(true).parse(binaryBody);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    const file = path.join(os.tmpdir(), `isotrack-qt-${process.pid}-${Date.now()}.pdf`);
    fs.writeFileSync(file, res.body as Buffer);
    try {
      // Reading order, with line breaks inside a table cell joined back.
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
      for (const s of [
        'XÃ NAM DONG',
        'HUYỆN CƯ JÚT',
        'QUY TRÌNH',
        'ĐĂNG KÝ KHAI SINH',
        'Mã hiệu: QT-01/ND-HT',
        'Lần ban hành: 01',
        'Ngày ban hành: 02/03/2026',
        'Soạn thảo',
        'Xem xét',
        'Phê duyệt',
        'Tiếp nhận hồ sơ tại Bộ phận một cửa',
        'Thẩm định, trình ký',
        'Công chức Tư pháp - Hộ tịch',
        'Tờ khai đăng ký khai sinh',
        'Vĩnh viễn',
        'Người dùng officer',
      ]) {
        expect(text, s).to.contain(s);
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('lists, reads, creates, revises and issues procedures through the API', async () => {
    const list = await api('officer').get(`/api/v1/procedures?unitId=${unitId}&q=dang+ky+khai+sinh`);
    expect(list.status).to.equal(200);
    expect(list.body.meta.total).to.equal(1);
    const one = await api('officer').get(`/api/v1/procedures/${procedureId}`);
    expect(one.body.data.inForce.steps).to.have.length(3);
    const created = await api('officer').post('/api/v1/procedures', {
      unitId,
      code: 'QT-07/ND',
      title: 'Kiểm soát tài liệu',
      kind: 'document_control',
      steps: [{ action: 'Soạn thảo', responsible: 'Thư ký ISO', days: 2 }],
    });
    expect(created.status).to.equal(201);
    const id = created.body.data.id as number;
    for (const step of ['submit', 'review']) expect((await api('officer').post(`/api/v1/procedures/${id}/${step}`)).status, step).to.equal(200);
    const refused = await api('officer').post(`/api/v1/procedures/${id}/approve`);
    expect([refused.status, refused.body.error.code]).to.deep.equal([403, 'PROCEDURE_APPROVE_LEADER']);
    expect((await api('leader').post(`/api/v1/procedures/${id}/approve`)).status).to.equal(200);
    const issued = await api('officer').post(`/api/v1/procedures/${id}/issue`, { issueDate: '2026-03-05' });
    expect([issued.body.data.status, issued.body.data.revisionNo]).to.deep.equal(['issued', 1]);
    const rev = await api('officer').post(`/api/v1/procedures/${id}/revise`);
    expect([rev.status, rev.body.data.revisionNo, rev.body.data.status]).to.deep.equal([201, 2, 'draft']);
    const body = {
      code: 'QT-07/ND',
      title: 'Kiểm soát tài liệu (sửa)',
      kind: 'document_control',
      changeSummary: 'Sửa tên',
      steps: [{ action: 'Soạn thảo', responsible: 'Thư ký ISO', days: 1 }],
    };
    expect((await api('officer').put(`/api/v1/procedures/${id}/draft`, { ...body, version: rev.body.data.version })).status).to.equal(200);
    const stale = await api('officer').put(`/api/v1/procedures/${id}/draft`, { ...body, version: rev.body.data.version });
    expect([stale.status, stale.body.error.code]).to.deep.equal([409, 'STALE_EDIT']);
  });

  it("answers 404 through the API for what lies outside the caller's scope", async () => {
    expect((await api('outsider').get(`/api/v1/procedures/${procedureId}`)).status).to.equal(404);
    expect((await api('outsider').post(`/api/v1/procedures/${procedureId}/submit`)).status).to.equal(404);
    expect((await api('outsider').post('/api/v1/procedures', { unitId, code: 'X-1', title: 'X', kind: 'other' })).status).to.equal(404);
    expect((await api('outsider').get(`/api/v1/procedures?unitId=${unitId}`)).status).to.equal(404);
    expect((await api('outsider').get(`/api/v1/tthc/${tthc.khaiSinh}`)).status).to.equal(404);
    const lists = await api('officer').get('/api/v1/tthc?q=khai+sinh');
    expect(lists.body.data.map((t: { id: number }) => t.id)).to.deep.equal([tthc.khaiSinh]);
  });

  it("attaches a file to a form of a draft and serves it only within the unit's scope", async () => {
    const c = ctx().built.services.catalog;
    const rev = await c.procedures.revise(officer, procedureId);
    const agent = await ctx().signIn(officer.username, officer.password);
    const token = await csrfOfSignedIn(agent);
    const content = wordFile('Tờ khai đăng ký khai sinh (mẫu)');
    const up = await agent
      .post(`/procedures/${procedureId}/forms/0/file`)
      .field('_csrf', token)
      .field('version', String(rev.version))
      .attach('file', content, 'Tờ khai.docx');
    expect(up.status).to.equal(302);
    const { head } = await c.procedures.details(officer, procedureId);
    const fileId = head.forms[0]?.fileId as number;
    expect(head.forms[0]?.fileName).to.equal('Tờ khai.docx');
    const got = await agent.get(`/catalog/files/${fileId}`).buffer(true).parse(binaryBody);
    expect(Buffer.compare(got.body as Buffer, content)).to.equal(0);
    const stale = await agent
      .post(`/procedures/${procedureId}/forms/0/file`)
      .field('_csrf', token)
      .field('version', String(rev.version))
      .attach('file', content, 'khac.docx');
    expect(stale.status).to.equal(409);
    const outsider = await ctx().userWith('viewer', 'LCA-TU-PK');
    const other = await ctx().signIn(outsider.username, outsider.password);
    expect((await other.get(`/catalog/files/${fileId}`)).status).to.equal(404);
  });
});
