import { expect } from 'chai';
import request from 'supertest';
import { forEachDatabase, testPassword, type Agent, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';
import { procedureContent } from '../fixtures/catalog-places.ts';
import { insertCheck, insertFinding } from '../fixtures/actions-data.ts';
import { actionBody } from '../fixtures/actions-access.ts';
import { inspectionAccessForm } from '../fixtures/inspections-access.ts';
import { accessPng } from '../fixtures/checks-access.ts';

/**
 * The one input rule at the edge (src/http/input-rule.ts): a NUL byte or another control
 * character in any text of any page or API call is refused with 422 and changes nothing (on
 * PostgreSQL it used to fail the save with 500); text arrives in NFC; keys that could pollute
 * prototypes, numbers past the integer columns, floods of fields and broken or deep JSON get a
 * 4xx, never a 500.
 */

const count = async (ctx: TestContext, table: string, where: Record<string, unknown> = {}): Promise<number> =>
  Number(((await ctx.db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);

const nulMessage = (field: string) => viText('errors.INPUT_CONTROL_CHARS', { field });
const over = 2 ** 31;
const idOf = (row: unknown): number => (typeof row === 'number' ? row : Number((row as { id: number }).id));

forEachDatabase('the input rule at the edge', (ctx) => {
  let agent: Agent;
  let csrf: string;
  let token: string;
  let unitId: number;
  const api = () => request(ctx().built.app);
  const bearer = () => `Bearer ${token}`;

  before(async () => {
    await seedTree(ctx());
    unitId = await ctx().unitId('DNO-CJ');
    agent = await ctx().signIn('root', testPassword);
    csrf = await csrfOfSignedIn(agent);
    token = (await ctx().built.services.users.createToken(ctx().admin, { name: 'Kiểm thử' })).token;
  });

  /** A page form answers 422 with the message naming the field. */
  const expectRefusedPage = (res: request.Response, field: string) => {
    expect(res.status, res.text.slice(0, 300)).to.equal(422);
    expect(res.text).to.include(escapeHtml(nulMessage(field)));
  };
  /** An API call answers 422 with the JSON error body naming the field. */
  const expectRefusedApi = (res: request.Response, field: string) => {
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.body.error.code).to.equal('INPUT_CONTROL_CHARS');
    expect(res.body.error.message).to.equal(nulMessage(field));
    expect(res.body.error.fields).to.have.property(field).that.is.a('string');
  };

  describe('a NUL byte in a text field', () => {
    it('refuses a unit renamed on its page and keeps the old name', async () => {
      const res = await agent.post(`/units/${unitId}/edit`).type('form').send({ code: 'DNO-CJ', name: 'Huyện Cư\u0000Jút', kind: 'district', _csrf: csrf });
      expectRefusedPage(res, 'name');
      expect((await ctx().db('units').where('id', unitId).first('name')).name).to.equal('Huyện Cư Jút');
    });

    it('refuses a user created on the admin page and creates nobody', async () => {
      const res = await agent
        .post('/admin/users')
        .type('form')
        .send({ username: 'nul.user', fullName: 'Nguyễn\u0000Văn A', password: 'mat-khau-dai-1', locale: 'vi', _csrf: csrf });
      expectRefusedPage(res, 'fullName');
      expect(await count(ctx(), 'users', { username: 'nul.user' })).to.equal(0);
    });

    it('refuses a procedure created through the API and stores none', async () => {
      const res = await api()
        .post('/api/v1/procedures')
        .set('Authorization', bearer())
        .send({ unitId, ...procedureContent('QT-NUL', 'Quy trình\u0000lỗi', null) });
      expectRefusedApi(res, 'title');
      expect(await count(ctx(), 'procedures', { code: 'QT-NUL' })).to.equal(0);
    });

    it('refuses a check answer whose note holds a NUL and saves no answer', async () => {
      const checkId = await insertCheck(ctx().db, unitId, { status: 'in_progress' });
      const res = await api().put(`/api/v1/checks/${checkId}/answers/i1`).set('Authorization', bearer()).send({ value: 'yes', note: 'ghi\u0000chú' });
      expectRefusedApi(res, 'note');
      expect(await count(ctx(), 'check_answers', { check_id: checkId })).to.equal(0);
    });

    it('refuses a corrective action through the API and adds none', async () => {
      const findingId = await insertFinding(ctx().db, await insertCheck(ctx().db, unitId), 'minor');
      const res = await api()
        .post(`/api/v1/findings/${findingId}/actions`)
        .set('Authorization', bearer())
        .send({ ...actionBody(), cause: 'Nguyên\u0000nhân' });
      expectRefusedApi(res, 'cause');
      expect(await count(ctx(), 'corrective_actions', { finding_id: findingId })).to.equal(0);
    });

    it('refuses an inspection team formed on its page and forms none', async () => {
      const leader = await ctx().userWith('officer', 'DNO-CJ');
      const res = await agent
        .post('/teams')
        .type('form')
        .send({ unitId: String(await ctx().unitId('DNO')), name: 'Tổ\u0000kiểm tra', year: '2026', leader: leader.username, units: 'DNO-CJ', _csrf: csrf });
      expectRefusedPage(res, 'name');
      expect(await count(ctx(), 'inspection_teams')).to.equal(0);
    });

    it('refuses an inspection answer whose note holds a NUL and saves none', async () => {
      const at = new Date().toISOString();
      const [team] = (await ctx()
        .db('inspection_teams')
        .insert({ unit_id: await ctx().unitId('DNO'), name: 'Tổ thử', year: 2026, created_at: at, updated_at: at })
        .returning('id')) as unknown[];
      const [row] = (await ctx()
        .db('inspections')
        .insert({
          unit_id: unitId,
          team_id: idOf(team),
          kind: 'unannounced',
          form_id: inspectionAccessForm.id,
          form_version: 1,
          form_json: JSON.stringify(inspectionAccessForm),
          status: 'on_site',
          inspection_date: '2026-03-02',
          year: 2026,
          month: 3,
          arrived_at: '2026-03-02T01:00:00.000Z',
          created_at: at,
          updated_at: at,
        })
        .returning('id')) as unknown[];
      const inspectionId = idOf(row);
      const res = await api().put(`/api/v1/inspections/${inspectionId}/answers/i1`).set('Authorization', bearer()).send({ value: 'yes', note: 'a\u0000b' });
      expectRefusedApi(res, 'note');
      expect(await count(ctx(), 'inspection_answers', { inspection_id: inspectionId })).to.equal(0);
    });

    it('refuses an API token named %00 on the account page and issues none', async () => {
      const before = await count(ctx(), 'api_tokens');
      const res = await agent
        .post('/account/tokens')
        .type('form')
        .send(`name=%00&_csrf=${encodeURIComponent(csrf)}`);
      expectRefusedPage(res, 'name');
      expect(await count(ctx(), 'api_tokens')).to.equal(before);
    });

    it("refuses other control characters, a NUL in an upload's text field or file name, but keeps tabs and new lines", async () => {
      const checkId = await insertCheck(ctx().db, unitId, { status: 'in_progress' });
      const bell = await api().put(`/api/v1/checks/${checkId}/answers/i1`).set('Authorization', bearer()).send({ value: 'yes', note: 'chuông\u0007' });
      expectRefusedApi(bell, 'note');
      const upload = (name: string) => agent.post(`/api/v1/checks/${checkId}/items/i1/files`).set('x-csrf-token', csrf).attach('file', accessPng, name);
      // The multipart reader itself refuses a control character in a part header (the file
      // name) as an unreadable body; the rule checks file names again behind it.
      for (const name of ['anh\u0000.png', 'anh\u0007.png']) expect((await upload(name)).status).to.be.oneOf([400, 422]);
      const field = await agent.post(`/checks/${checkId}/findings`).field('_csrf', csrf).field('note', 'ghi\u0000chú').attach('file', accessPng, 'anh.png');
      expectRefusedPage(field, 'note');
      expect(await count(ctx(), 'check_files', { check_id: checkId })).to.equal(0);
      expect(await count(ctx(), 'check_findings', { check_id: checkId })).to.equal(0);
      const ok = await api().put(`/api/v1/checks/${checkId}/answers/i1`).set('Authorization', bearer()).send({ value: 'yes', note: 'dòng 1\n\tdòng 2\r\n' });
      expect(ok.status).to.equal(200);
    });

    it('refuses a NUL in the query string and in the path', async () => {
      const q = await api().get('/api/v1/units?q=%00').set('Authorization', bearer());
      expectRefusedApi(q, 'query.q');
      const p = await api().get('/api/v1/units/1%00').set('Authorization', bearer());
      expect(p.status).to.equal(422);
    });
  });

  describe('Vietnamese typed as decomposed characters (NFD)', () => {
    it('stores a unit renamed through the API in NFC and finds it by an NFD search', async () => {
      const nfd = 'Huyện Cư Jút mới'.normalize('NFD');
      const res = await api().patch(`/api/v1/units/${unitId}`).set('Authorization', bearer()).send({ code: 'DNO-CJ', name: nfd, kind: 'district' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect((await ctx().db('units').where('id', unitId).first('name')).name).to.equal('Huyện Cư Jút mới'.normalize('NFC'));
      const found = await api()
        .get(`/api/v1/units?q=${encodeURIComponent('Cư Jút mới'.normalize('NFD'))}`)
        .set('Authorization', bearer());
      expect(found.body.data.map((u: { code: string }) => u.code)).to.include('DNO-CJ');
    });
  });

  describe('keys that would reach Object.prototype', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      it(`refuses a JSON body with a "${key}" key and changes nothing`, async () => {
        const res = await api()
          .patch(`/api/v1/units/${unitId}`)
          .set('Authorization', bearer())
          .type('json')
          .send(`{"code":"DNO-CJ","name":"Tên bị đổi","kind":"district","${key}":{"isAdmin":true}}`);
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal('BAD_REQUEST');
        expect((await ctx().db('units').where('id', unitId).first('name')).name).to.not.equal('Tên bị đổi');
      });
    }
  });

  describe('numbers past the integer columns', () => {
    let procedureId: number;
    before(async () => {
      procedureId = (await ctx().built.services.catalog.procedures.create(ctx().admin, unitId, procedureContent('QT-SO', 'Quy trình số', null))).id;
    });

    for (const version of [String(over), '9007199254740993', '1e309', '-0', 'NaN']) {
      it(`refuses a draft saved at version ${version} with 422`, async () => {
        const content = JSON.stringify(procedureContent('QT-SO', 'Quy trình số', null)).slice(1);
        const res = await api()
          .put(`/api/v1/procedures/${procedureId}/draft`)
          .set('Authorization', bearer())
          .type('json')
          .send(`{"version":${/^[\d.e-]+$/.test(version) ? version : `"${version}"`},${content}`);
        expect([400, 422], JSON.stringify(res.body)).to.include(res.status);
      });
    }

    for (const id of [String(over), '9007199254740993', '1e309', '-0', 'NaN']) {
      it(`answers 404 for an id ${id} in the URL of the API and pages`, async () => {
        expect((await api().get(`/api/v1/units/${id}`).set('Authorization', bearer())).status).to.equal(404);
        expect((await api().put(`/api/v1/checks/${id}/answers/i1`).set('Authorization', bearer()).send({ value: 'yes' })).status).to.equal(404);
        expect((await agent.get(`/procedures/${id}`)).status).to.equal(404);
      });
    }

    for (const index of [String(over), '99999999999999999999']) {
      it(`answers 404 to a file attached to form number ${index} and keeps the draft`, async () => {
        const before = await ctx().db('procedure_revisions').where('procedure_id', procedureId).first('version');
        const res = await agent
          .post(`/procedures/${procedureId}/forms/${index}/file`)
          .field('_csrf', csrf)
          .field('version', String(before.version))
          .attach('file', accessPng, 'bieu-mau.png');
        expect(res.status).to.equal(404);
        expect((await ctx().db('procedure_revisions').where('procedure_id', procedureId).first('version')).version).to.equal(before.version);
        expect(await count(ctx(), 'catalog_files', { file_name: 'bieu-mau.png' })).to.equal(0);
      });
    }

    for (const provinceId of [String(over), '9007199254740993', '1e309']) {
      it(`refuses a TTHC list imported for province ${provinceId} as an unknown province`, async () => {
        const res = await agent.post('/tthc/import').field('_csrf', csrf).field('provinceId', provinceId).attach('file', Buffer.from('PK\x03\x04'), 'ds.xlsx');
        expect(res.status, res.text.slice(0, 300)).to.equal(422);
      });
    }

    it('keeps a commune inside a province: the administrator cannot move it to the top of the tree', async () => {
      const commune = await ctx().unitId('DNO-CJ-ND');
      const before = await ctx().db('units').where('id', commune).first('path', 'parent_id');
      const res = await api().post(`/api/v1/units/${commune}/move`).set('Authorization', bearer()).send({});
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(await ctx().db('units').where('id', commune).first('path', 'parent_id')).to.deep.equal(before);
    });

    it('refuses a page number or an id in a filter past the range with 422', async () => {
      expect((await api().get(`/api/v1/units?page=${over}`).set('Authorization', bearer())).status).to.equal(422);
      expect((await api().get(`/api/v1/audit?entityId=${over}`).set('Authorization', bearer())).status).to.equal(422);
    });
  });

  describe('bodies the parsers refuse', () => {
    it('answers 413 with the error page to a sign-in form of 2,100 fields, signed out', async () => {
      const body = Array.from({ length: 2100 }, (_, i) => `f${i}=x`).join('&');
      const res = await request(ctx().built.app).post('/login').type('form').send(body);
      expect(res.status).to.equal(413);
      expect(res.text).to.include(escapeHtml(viText('errors.PAYLOAD_TOO_LARGE')));
    });

    it('answers 413 to the API too, in its JSON error body', async () => {
      const body = Array.from({ length: 2100 }, (_, i) => `f${i}=x`).join('&');
      const res = await api().post('/api/v1/units').set('Authorization', bearer()).type('form').send(body);
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    });

    it('answers 400 to malformed JSON', async () => {
      const res = await api().post('/api/v1/units').set('Authorization', bearer()).type('json').send('{"name": "Xã');
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('BAD_REQUEST');
    });

    it('answers 400 to JSON nested 40 deep and to an unknown charset', async () => {
      const deep = `{"code":"X","name":${'['.repeat(40)}"a"${']'.repeat(40)},"kind":"commune"}`;
      const res = await api().post('/api/v1/units').set('Authorization', bearer()).type('json').send(deep);
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.code).to.equal('BAD_REQUEST');
      const charset = await api().post('/api/v1/units').set('Authorization', bearer()).set('Content-Type', 'application/json; charset=klingon').send('{}');
      expect([400, 415]).to.include(charset.status);
    });
  });
});
