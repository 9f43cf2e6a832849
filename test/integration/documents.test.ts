import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../src/lib/actor.ts';
import { DocumentRefusal, type DocumentDefinition } from '../../src/plugins/contract.ts';
import { PluginRegistry } from '../../src/plugins/registry.ts';
import { DocumentsService } from '../../src/modules/documents/documents.service.ts';
import { forEachDatabase, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { binaryBody, rejectsWith } from '../fixtures/catalog.ts';
import { csrfOfSignedIn, escapeHtml } from '../fixtures/http.ts';
import { readyToDeclare } from '../fixtures/declaration-ready.ts';
import { docText as viText, issuedProcedures, pdfPages, pdfPlain } from '../fixtures/documents-data.ts';

/** The life cycle of a document: draft, approval, issue, the stored bytes; numbers; refusals; the API; plugin types. */
forEachDatabase('documents: life cycle, numbers, refusals and the API', (ctx) => {
  let officer: Actor & { username: string; password: string };
  let leader: Actor & { username: string; password: string };
  let outsider: Actor;
  let nd: number;
  const bearer: Record<string, string> = {};

  const svc = () => ctx().built.services.documents;
  const fieldsOf = (d: Awaited<ReturnType<DocumentsService['get']>>, over: Record<string, unknown> = {}) => ({
    numberSeq: d.numberSeq,
    numberSuffix: d.numberSuffix,
    issueDate: d.issueDate,
    subject: d.fields.subject,
    authority: d.fields.authority,
    legalBases: d.fields.legalBases,
    articles: d.fields.articles,
    signerOnBehalf: d.fields.signerOnBehalf,
    signerTitle: d.fields.signerTitle,
    signerName: 'Trần Văn Bình',
    recipients: d.fields.recipients,
    parts: d.fields.parts,
    ...over,
  });

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    nd = await ctx().unitId('DNO-CJ-ND');
    const o = await ctx().userWith('officer', 'DNO-CJ-ND');
    officer = { user: o.user, username: o.username, password: o.password };
    const l = await ctx().userWith('leader', 'DNO-CJ-ND');
    leader = { user: l.user, username: l.username, password: l.password };
    outsider = { user: (await ctx().userWith('coordinator', 'LCA')).user };
    for (const [k, a] of Object.entries({ officer, leader, outsider })) bearer[k] = (await ctx().built.services.users.createToken(a, { name: 'api' })).token;
    await issuedProcedures(ctx(), 'DNO-CJ-ND', [
      { code: 'QT-01/ND-HT', title: 'Quy trình đăng ký khai sinh', tthcCode: '1.001193' },
      { code: 'QT-02/ND-HT', title: 'Quy trình đăng ký kết hôn', tthcCode: '1.000894' },
    ]);
  });

  const api = (who: string) => ({
    get: (url: string) => request(ctx().built.app).get(url).set('Authorization', `Bearer ${bearer[who]}`),
    pdf: (url: string) => request(ctx().built.app).get(url).set('Authorization', `Bearer ${bearer[who]}`).buffer(true).parse(binaryBody),
    post: (url: string, body: object = {}) => request(ctx().built.app).post(url).set('Authorization', `Bearer ${bearer[who]}`).send(body),
    put: (url: string, body: object) => request(ctx().built.app).put(url).set('Authorization', `Bearer ${bearer[who]}`).send(body),
  });

  it('proposes the next number per unit, year and type, and refuses a number already used (422, nothing changed)', async () => {
    const a = await svc().prepare(officer, nd, { type: 'declaration' });
    const b = await svc().prepare(officer, nd, { type: 'declaration' });
    const report = await svc().prepare(officer, nd, { type: 'yearly-report' });
    expect([a.numberText, b.numberText, report.numberText]).to.deep.equal(['01/QĐ-UBND', '02/QĐ-UBND', '01/BC-UBND']);
    const before = await ctx().db('documents').where('id', b.id).first();
    const err = await rejectsWith(svc().update(officer, b.id, fieldsOf(b, { numberSeq: 1 })), 'DOCUMENT_NUMBER_TAKEN');
    expect(err.status).to.equal(422);
    expect(err.fields).to.deep.equal({ numberSeq: { key: 'v.doc_number_taken' } });
    expect(await ctx().db('documents').where('id', b.id).first()).to.deep.equal(before);
    // Edited to a free number: kept, printed.
    const moved = await svc().update(officer, b.id, fieldsOf(b, { numberSeq: 15, numberSuffix: 'QĐ-UBND' }));
    expect(moved.numberText).to.equal('15/QĐ-UBND');
    expect(pdfPlain((await svc().preview(officer, b.id)).pdf)).to.contain('Số: 15/QĐ-UBND');
  });

  it('shows the draft form again with the typed values when the number is taken (page, 422)', async () => {
    const agent = await ctx().signIn(officer.username, officer.password);
    const d = await svc().prepare(officer, nd, { type: 'declaration' });
    const page = await agent.get(`/documents/${d.id}`);
    expect(page.status).to.equal(200);
    const csrf = await csrfOfSignedIn(agent);
    const typed = {
      _csrf: csrf,
      numberSeq: '1',
      numberSuffix: 'QĐ-UBND',
      issueDate: '2026-03-05',
      subject: 'Trích yếu đã sửa lại',
      authority: '',
      legalBases: 'Căn cứ A;',
      articles: 'Điều một',
      signerOnBehalf: '',
      signerTitle: 'Chủ tịch',
      signerName: 'Lê Thị Hoa',
      recipients: 'Như trên;',
    };
    const res = await agent.post(`/documents/${d.id}`).type('form').send(typed);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain(escapeHtml(viText('v.doc_number_taken')));
    expect(res.text).to.contain('Trích yếu đã sửa lại');
    expect(res.text).to.contain('Lê Thị Hoa');
    expect((await svc().get(officer, d.id)).fields.subject).not.to.equal('Trích yếu đã sửa lại');
  });

  it('refuses text the font cannot print, naming the characters, and stores nothing', async () => {
    const d = await svc().prepare(officer, nd, { type: 'declaration' });
    const err = await rejectsWith(
      svc().update(officer, d.id, fieldsOf(d, { subject: 'Về việc công bố 😀 HTQLCL', signerName: 'Nguyễn 漢' })),
      'VALIDATION_FAILED',
    );
    expect(err.fields?.subject).to.deep.equal({ key: 'v.doc_glyphs', params: { chars: '😀 (U+1F600)' } });
    expect(err.fields?.signerName).to.deep.equal({ key: 'v.doc_glyphs', params: { chars: '漢 (U+6F22)' } });
    expect((await svc().get(officer, d.id)).fields.subject).to.equal(d.fields.subject);
    // Text from the data that the font cannot print is refused at preview, not drawn as boxes.
    await ctx().db('procedures').where('code', 'QT-02/ND-HT').update({ title: 'Quy trình đăng ký kết hôn ✅' });
    try {
      const e2 = await rejectsWith(svc().preview(officer, d.id), 'DOCUMENT_GLYPHS');
      expect(e2.params.chars).to.equal('✅ (U+2705)');
    } finally {
      await ctx().db('procedures').where('code', 'QT-02/ND-HT').update({ title: 'Quy trình đăng ký kết hôn' });
    }
  });

  it('keeps the words in NFC: a title typed decomposed prints the same as one typed composed', async () => {
    const d = await svc().prepare(officer, nd, { type: 'declaration' });
    const saved = await svc().update(officer, d.id, fieldsOf(d, { subject: 'Về việc công bố Hệ thống quản lý chất lượng'.normalize('NFD') }));
    expect(saved.fields.subject).to.equal('Về việc công bố Hệ thống quản lý chất lượng'.normalize('NFC'));
  });

  it("refuses to issue without the leader's approval (409), then issues once and serves the same bytes forever", async () => {
    await ctx().db('units').where('id', nd).update({ iso_state: 'needs_redeclaration' });
    const d = await svc().prepare(officer, nd, { type: 'declaration' });
    await svc().update(officer, d.id, fieldsOf(d, { issueDate: '2026-03-04' }));
    const err = await rejectsWith(svc().issue(officer, d.id), 'DOCUMENT_NOT_APPROVED');
    expect(err.status).to.equal(409);
    // The officer may not approve: the approval does not exist for them.
    await rejectsWith(svc().approve(officer, d.id), 'NOT_FOUND');
    await svc().approve(leader, d.id);
    await rejectsWith(svc().approve(leader, d.id), 'DOCUMENT_WRONG_STATE');
    await readyToDeclare(ctx(), 'DNO-CJ-ND');
    const issued = await svc().issue(officer, d.id);
    expect(issued.status).to.equal('issued');
    expect(issued.issuedBy).to.equal(officer.user.id);
    const first = await svc().download(officer, d.id);
    expect(crypto.createHash('sha256').update(first.pdf).digest('hex')).to.equal(issued.sha256);
    expect(pdfPlain(first.pdf)).to.contain('Nam Dong, ngày 04 tháng 3 năm 2026');
    // The data changes and time passes: the issued bytes do not.
    await issuedProcedures(ctx(), 'DNO-CJ-ND', [{ code: 'QT-09/ND-MOI', title: 'Quy trình mới sau ban hành', tthcCode: null }]);
    ctx().clock.advance(86_400_000);
    const again = await svc().download(leader, d.id);
    expect(Buffer.compare(again.pdf, first.pdf)).to.equal(0);
    expect(Buffer.compare((await svc().preview(officer, d.id)).pdf, first.pdf)).to.equal(0);
    expect(pdfPages(again.pdf).join('')).not.to.contain('QT-09/ND-MOI');
    // The unit is declared with the number and date; "needs re-declaration" is cleared.
    const unit = (await ctx()
      .db('units')
      .where('id', nd)
      .first('iso_state', 'iso_declared_on', 'iso_declaration_number', 'iso_declared_document_id')) as Record<string, unknown>;
    expect(unit).to.deep.equal({
      iso_state: 'declared',
      iso_declared_on: '2026-03-04',
      iso_declaration_number: issued.numberText,
      iso_declared_document_id: d.id,
    });
    // Never changed again, and every step is in the audit log.
    await rejectsWith(svc().update(officer, d.id, fieldsOf(d)), 'DOCUMENT_WRONG_STATE');
    await rejectsWith(svc().issue(officer, d.id), 'DOCUMENT_WRONG_STATE');
    const log = (await ctx().db('audit_log').where({ entity: 'document', entity_id: d.id }).orderBy('id').select('action')) as Array<{ action: string }>;
    expect(log.map((r) => r.action)).to.deep.equal(['create', 'update', 'approve', 'issue']);
    expect(await ctx().db('audit_log').where({ entity: 'unit', entity_id: nd, action: 'iso_state' }).count({ n: '*' })).to.deep.equal([
      { n: ctx().dialect === 'postgres' ? '1' : 1 },
    ]);
  });

  it('refuses to issue a declaration whose procedures were all withdrawn meanwhile, and leaves everything as it was', async () => {
    const et = await ctx().unitId('DNO-CJ-ET');
    await issuedProcedures(ctx(), 'DNO-CJ-ET', [{ code: 'QT-01/ET', title: 'Quy trình chứng thực chữ ký', tthcCode: '2.000884' }]);
    const d = await svc().prepare(ctx().admin, et, { type: 'declaration' });
    await svc().approve(ctx().admin, d.id);
    await ctx().db('procedures').where({ unit_id: et }).update({ status: 'withdrawn' });
    const unitBefore = await ctx().db('units').where('id', et).first('iso_state', 'iso_declaration_number');
    const err = await rejectsWith(svc().issue(ctx().admin, d.id), 'DOCUMENT_REFUSED');
    expect(err.status).to.equal(422);
    const after = await svc().get(ctx().admin, d.id);
    expect([after.status, after.sha256, after.issuedAt]).to.deep.equal(['approved', null, null]);
    expect(await ctx().db('units').where('id', et).first('iso_state', 'iso_declaration_number')).to.deep.equal(unitBefore);
    expect(await ctx().db('audit_log').where({ entity: 'document', entity_id: d.id, action: 'issue' }).count({ n: '*' })).to.deep.equal([
      { n: ctx().dialect === 'postgres' ? '0' : 0 },
    ]);
  });

  it('renders a draft to the same bytes for the same data and time', async () => {
    const d = await svc().prepare(officer, nd, { type: 'document-set-decision' });
    const a = await svc().preview(officer, d.id);
    const b = await svc().preview(officer, d.id);
    expect(Buffer.compare(a.pdf, b.pdf)).to.equal(0);
  });

  it('an edit after approval sends the document back to draft', async () => {
    const d = await svc().prepare(officer, nd, { type: 'yearly-report' });
    await svc().approve(leader, d.id);
    const edited = await svc().update(officer, d.id, fieldsOf(d, { subject: 'Báo cáo đã sửa sau khi duyệt' }));
    expect(edited.status).to.equal('draft');
    expect(edited.approvedAt).to.equal(null);
    await rejectsWith(svc().issue(officer, d.id), 'DOCUMENT_NOT_APPROVED');
  });

  it('refuses a declaration of a unit with no issued procedure in scope (422) and stores nothing', async () => {
    const et = await ctx().unitId('DNO-CJ-ET');
    const before = await ctx().db('documents').count({ n: '*' });
    const err = await rejectsWith(svc().prepare(ctx().admin, et, { type: 'declaration' }), 'DOCUMENT_REFUSED');
    expect(err.status).to.equal(422);
    expect(viText('errors.DOCUMENT_REFUSED', err.params)).to.equal('Đơn vị chưa có quy trình nào đã ban hành trong phạm vi áp dụng: chưa thể công bố.');
    expect(await ctx().db('documents').count({ n: '*' })).to.deep.equal(before);
    // Through the API, the message in the caller's words.
    const res = await api('officer').post(`/api/v1/units/${nd}/documents`, { type: 'no-such-type' });
    expect(res.status).to.equal(422);
    expect(res.body.error.fields.type).to.be.a('string');
  });

  it("a document of a unit outside one's scope does not exist (404) on pages and in the API", async () => {
    const d = await svc().prepare(officer, nd, { type: 'yearly-report' });
    await rejectsWith(svc().get(outsider, d.id), 'NOT_FOUND');
    await rejectsWith(svc().prepare(outsider, nd, { type: 'yearly-report' }), 'NOT_FOUND');
    for (const url of [`/api/v1/documents/${d.id}`, `/api/v1/documents/${d.id}/preview`]) {
      const res = await api('outsider').get(url);
      expect(res.status, url).to.equal(404);
    }
    const list = await api('outsider').get('/api/v1/documents');
    expect(list.body.data).to.deep.equal([]);
  });

  it('lists, prepares, previews, approves, issues and downloads through the API', async () => {
    const prepared = await api('officer').post(`/api/v1/units/${nd}/documents`, { type: 'document-set-decision', year: 2026 });
    expect(prepared.status, prepared.text).to.equal(201);
    const id = prepared.body.data.id as number;
    expect(prepared.body.data.fields.articles).to.have.length(3);
    const preview = await api('officer').pdf(`/api/v1/documents/${id}/preview`);
    expect(preview.status).to.equal(200);
    expect(preview.headers['content-type']).to.equal('application/pdf');
    expect(pdfPlain(preview.body as Buffer)).to.contain('QT-01/ND-HT');
    const notYet = await api('officer').post(`/api/v1/documents/${id}/issue`);
    expect(notYet.status).to.equal(409);
    expect(notYet.body.error.code).to.equal('DOCUMENT_NOT_APPROVED');
    expect((await api('officer').pdf(`/api/v1/documents/${id}/download`)).status).to.equal(409);
    const put = await api('officer').put(`/api/v1/documents/${id}`, { ...fieldsOf(await svc().get(officer, id)), signerName: 'Phạm Minh Đức' });
    expect(put.status, put.text).to.equal(200);
    expect((await api('leader').post(`/api/v1/documents/${id}/approve`)).status).to.equal(200);
    const issued = await api('officer').post(`/api/v1/documents/${id}/issue`);
    expect(issued.status).to.equal(200);
    expect(issued.body.data.sha256).to.match(/^[0-9a-f]{64}$/);
    const dl = await api('leader').pdf(`/api/v1/documents/${id}/download`);
    expect(dl.status).to.equal(200);
    expect(dl.headers['x-content-sha256']).to.equal(issued.body.data.sha256);
    expect(
      crypto
        .createHash('sha256')
        .update(dl.body as Buffer)
        .digest('hex'),
    ).to.equal(issued.body.data.sha256);
    const list = await api('leader').get('/api/v1/documents?type=document-set-decision&status=issued');
    expect(list.body.data.map((d: { id: number }) => d.id)).to.include(id);
    expect(list.body.data[0]).not.to.have.property('pdf');
  });

  it('walks the pages: prepare from the unit, preview, approve as leader, issue, download', async () => {
    const officerAgent: Agent = await ctx().signIn(officer.username, officer.password);
    const unitPage = await officerAgent.get(`/units/${nd}/documents`);
    expect(unitPage.status).to.equal(200);
    expect(unitPage.text).to.contain(viText('documents.prepare'));
    let csrf = await csrfOfSignedIn(officerAgent);
    const made = await officerAgent.post(`/units/${nd}/documents`).type('form').send({ _csrf: csrf, type: 'yearly-report', year: '2026' });
    expect(made.status, made.text.slice(0, 2000)).to.equal(302);
    const id = Number(/\/documents\/(\d+)/.exec(made.headers.location as string)![1]);
    const preview = await officerAgent.get(`/documents/${id}/preview.pdf`).buffer(true).parse(binaryBody);
    expect(preview.status).to.equal(200);
    expect(pdfPlain(preview.body as Buffer)).to.contain('BÁO CÁO');
    const refused = await officerAgent.post(`/documents/${id}/issue`).type('form').send({ _csrf: csrf });
    expect(refused.status).to.equal(409);
    expect(refused.text).to.contain(escapeHtml(viText('errors.DOCUMENT_NOT_APPROVED')));
    const leaderAgent = await ctx().signIn(leader.username, leader.password);
    const leaderCsrf = await csrfOfSignedIn(leaderAgent);
    const approved = await leaderAgent.post(`/documents/${id}/approve`).type('form').send({ _csrf: leaderCsrf });
    expect(approved.status, approved.text.slice(0, 3000)).to.equal(302);
    csrf = await csrfOfSignedIn(officerAgent);
    const issuedRes = await officerAgent.post(`/documents/${id}/issue`).type('form').send({ _csrf: csrf });
    expect(issuedRes.status, issuedRes.text.slice(0, 3000)).to.equal(302);
    const dl = await officerAgent.get(`/documents/${id}/download`).buffer(true).parse(binaryBody);
    expect(dl.status).to.equal(200);
    expect(dl.headers['content-disposition']).to.match(/^attachment; filename="yearly-report-Xa-Nam-Dong-2026-\d+-BC-UBND\.pdf"$/);
    const list = await officerAgent.get('/documents?type=yearly-report');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain(`/documents/${id}`);
  });

  it('takes document types from plugins through the registrar, and their refusals', async () => {
    const citizenLetter: DocumentDefinition<{ count: number }> = {
      id: 'citizen-letter-notice',
      title: { vi: 'Thông báo kết quả tiếp nhận góp ý', en: 'Notice of feedback received' },
      form: 'notice',
      appliesTo: 'unit',
      async gather(c) {
        const n = Number(((await c.db('procedures').where('unit_id', c.unit.id).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n);
        if (c.year < 2020) throw new DocumentRefusal({ vi: 'Không có dữ liệu trước năm 2020.', en: 'No data before 2020.' });
        return { count: n };
      },
      defaults: () => ({ subject: 'Kết quả tiếp nhận góp ý của người dân', signerTitle: 'Chủ tịch', recipients: ['Lưu: VT.'] }),
      build: ({ facts, fields }) => ({
        typeTitle: 'THÔNG BÁO',
        subject: fields.subject,
        body: [{ kind: 'paragraph', text: `Đơn vị có ${facts.count} quy trình đang áp dụng.` }],
        signer: { title: fields.signerTitle, name: fields.signerName },
        recipients: fields.recipients,
      }),
    };
    // A type that would replace the core's declaration is left out (a malformed one fails its plugin at load: plugins.test.ts).
    const impostor = { ...citizenLetter, id: 'declaration' } as DocumentDefinition;
    const registry = new PluginRegistry([
      {
        id: 'citizen-feedback',
        dir: '',
        status: 'loaded',
        settings: {},
        forms: [],
        reminders: [],
        documents: [citizenLetter as DocumentDefinition, impostor],
        migrationsApplied: [],
      },
    ]);
    const withPlugin = new DocumentsService(ctx().db, ctx().clock, () => registry);
    const ids = withPlugin.definitions().map((d) => d.id);
    expect(ids.filter((id) => id === 'citizen-letter-notice')).to.deep.equal(['citizen-letter-notice']);
    expect(ids.filter((id) => id === 'declaration')).to.have.length(1);
    expect(withPlugin.definition('declaration')!.title.vi).to.equal('Quyết định công bố Hệ thống quản lý chất lượng');
    const d = await withPlugin.prepare(officer, nd, { type: 'citizen-letter-notice' });
    expect(d.numberText).to.equal('01/TB-UBND');
    const text = pdfPlain((await withPlugin.preview(officer, d.id)).pdf);
    expect(text).to.contain('THÔNG BÁO');
    expect(text).to.match(/Đơn vị có \d+ quy trình đang áp dụng\./);
    const err = await rejectsWith(withPlugin.prepare(officer, nd, { type: 'citizen-letter-notice', year: 2019 }), 'DOCUMENT_REFUSED');
    expect(err.params.reasonEn).to.equal('No data before 2020.');
  });
});
