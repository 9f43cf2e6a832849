import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';
import { issueAll, khaiSinhContent, seedTthc } from '../fixtures/catalog.ts';

/** The form fields of a procedure as a browser posts them (rows as `steps.N.field`). */
function formBody(content: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(content)) {
    if (Array.isArray(v))
      v.forEach((row: Record<string, string>, i) =>
        Object.entries(row).forEach(([f, x]) => {
          out[`${k}.${i}.${f}`] = x;
        }),
      );
    else out[k] = String(v ?? '');
  }
  return { ...out, ...extra };
}

const valueOf = (html: string, name: string) => new RegExp(`name="${name.replace(/\./g, '\\.')}"[^>]*value="([^"]*)"`).exec(html)?.[1];
const textareaOf = (html: string, name: string) => new RegExp(`name="${name.replace(/\./g, '\\.')}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];

forEachDatabase('catalog pages', (ctx) => {
  let tthc: Record<string, number>;
  let unitId: number;
  let officer: Agent;
  let csrf: string;
  let officerActor: Actor;
  let leaderActor: Actor;

  const countProcedures = async () => Number(((await ctx().db('procedures').count({ n: '*' }).first()) as { n: unknown }).n);

  before(async () => {
    await seedTree(ctx());
    tthc = await seedTthc(ctx());
    unitId = await ctx().unitId('DNO-CJ-ND');
    const o = await ctx().userWith('officer', 'DNO-CJ-ND', 'canbo-iso');
    officerActor = { user: o.user };
    leaderActor = { user: (await ctx().userWith('leader', 'DNO-CJ-ND')).user };
    officer = await ctx().signIn(o.username, o.password);
    csrf = await csrfOfSignedIn(officer);
  });

  it("links the unit page to the unit's catalog", async () => {
    const page = await officer.get(`/units/${unitId}`);
    expect(page.text).to.contain(`href="/units/${unitId}/catalog"`);
  });

  it('adds, moves and removes steps without JavaScript, keeping everything typed', async () => {
    const content = khaiSinhContent(tthc.khaiSinh!, { title: 'Khai sinh <thử> "nháp"' });
    const added = await officer
      .post(`/units/${unitId}/procedures`)
      .type('form')
      .send(formBody(content, { _csrf: csrf, op: 'add:steps' }));
    expect(added.status).to.equal(200);
    expect(valueOf(added.text, 'title')).to.equal(escapeHtml('Khai sinh <thử> "nháp"'));
    expect(added.text).to.contain('name="steps.3.action"');
    expect(textareaOf(added.text, 'steps.2.action')).to.equal('Ký, trả kết quả');
    const moved = await officer
      .post(`/units/${unitId}/procedures`)
      .type('form')
      .send(formBody(content, { _csrf: csrf, op: 'up:steps:2' }));
    expect(textareaOf(moved.text, 'steps.1.action')).to.equal('Ký, trả kết quả');
    expect(textareaOf(moved.text, 'steps.2.action')).to.equal('Thẩm định, trình ký');
    const removed = await officer
      .post(`/units/${unitId}/procedures`)
      .type('form')
      .send(formBody(content, { _csrf: csrf, op: 'remove:steps:0' }));
    expect(textareaOf(removed.text, 'steps.0.action')).to.equal('Thẩm định, trình ký');
    expect(removed.text).not.to.contain('name="steps.2.action"');
    expect(await countProcedures()).to.equal(0);
  });

  it('re-shows the form with the typed values and a message on a bad step time', async () => {
    const content = khaiSinhContent(tthc.khaiSinh!);
    const body = formBody(content, { _csrf: csrf, 'steps.1.days': '-2' });
    const res = await officer.post(`/units/${unitId}/procedures`).type('form').send(body);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain(escapeHtml(viText('v.days_negative')));
    expect(valueOf(res.text, 'steps.1.days')).to.equal('-2');
    expect(valueOf(res.text, 'code')).to.equal('QT-01/ND-HT');
  });

  it('creates the procedure from the form and shows it with its steps', async () => {
    const res = await officer
      .post(`/units/${unitId}/procedures`)
      .type('form')
      .send(formBody(khaiSinhContent(tthc.khaiSinh!), { _csrf: csrf }));
    expect(res.status).to.equal(302);
    const page = await officer.get(res.headers.location as string);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Thẩm định, trình ký');
    expect(page.text).to.contain(viText('catalog.actions.submit'));
  });

  it('tells the second editor of a draft that it changed, keeping what they typed (409)', async () => {
    const p = (await ctx().built.services.catalog.procedures.list(officerActor, { q: 'QT-01/ND-HT' }, { unitId })).items[0]!;
    const form = await officer.get(`/procedures/${p.id}/edit`);
    const version = valueOf(form.text, 'version') as string;
    const first = await officer
      .post(`/procedures/${p.id}/edit`)
      .type('form')
      .send(formBody(khaiSinhContent(tthc.khaiSinh!, { title: 'Bản của người thứ nhất' }), { _csrf: csrf, version }));
    expect(first.status).to.equal(302);
    const second = await officer
      .post(`/procedures/${p.id}/edit`)
      .type('form')
      .send(formBody(khaiSinhContent(tthc.khaiSinh!, { title: 'Bản của người thứ hai' }), { _csrf: csrf, version }));
    expect(second.status).to.equal(409);
    expect(valueOf(second.text, 'title')).to.equal('Bản của người thứ hai');
    expect(Number(valueOf(second.text, 'version'))).to.equal(Number(version) + 1);
    expect((await ctx().built.services.catalog.procedures.get(officerActor, p.id)).title).to.equal('Bản của người thứ nhất');
  });

  it('refuses approval by an officer with the reason, then lets the leader approve', async () => {
    const p = (await ctx().built.services.catalog.procedures.list(officerActor, { q: 'QT-01/ND-HT' }, { unitId })).items[0]!;
    expect((await officer.post(`/procedures/${p.id}/submit`).type('form').send({ _csrf: csrf })).status).to.equal(302);
    expect((await officer.post(`/procedures/${p.id}/review`).type('form').send({ _csrf: csrf })).status).to.equal(302);
    const refused = await officer.post(`/procedures/${p.id}/approve`).type('form').send({ _csrf: csrf });
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain(escapeHtml(viText('errors.PROCEDURE_APPROVE_LEADER')));
    await ctx().built.services.catalog.lifecycle.approve(leaderActor, p.id);
    expect((await officer.post(`/procedures/${p.id}/issue`).type('form').send({ _csrf: csrf, issueDate: '2026-03-02' })).status).to.equal(302);
    const page = await officer.get(`/procedures/${p.id}`);
    expect(page.text).to.contain(viText('catalog.revision_in_force', { no: 1 }));
  });

  it('lists the catalog with search without diacritics, filters, sorting and the count', async () => {
    const other = await ctx().built.services.catalog.procedures.create(
      officerActor,
      unitId,
      khaiSinhContent(tthc.ketHon!, { code: 'QT-02/ND-HT', title: 'Quy trình đăng ký kết hôn' }),
    );
    await issueAll(ctx(), other.id, officerActor, leaderActor);
    const found = await officer.get(`/units/${unitId}/catalog?q=dang+ky+khai+sinh`);
    expect(found.text).to.contain(viText('common.total', { total: 1 }));
    const byField = await officer.get(`/units/${unitId}/catalog?field=${encodeURIComponent('Hộ tịch')}&sort=code&dir=desc`);
    expect(byField.text).to.contain(viText('common.total', { total: 2 }));
    expect(byField.text.indexOf('QT-02/ND-HT')).to.be.lessThan(byField.text.indexOf('QT-01/ND-HT'));
    const none = await officer.get(`/units/${unitId}/catalog?kind=internal_audit`);
    expect(none.text).to.contain(viText('catalog.no_results'));
  });

  it('compares two revisions side by side, field by field', async () => {
    const p = (await ctx().built.services.catalog.procedures.list(officerActor, { q: 'QT-01/ND-HT' }, { unitId })).items[0]!;
    const rev = await ctx().built.services.catalog.procedures.revise(officerActor, p.id);
    await ctx().built.services.catalog.procedures.saveDraft(
      officerActor,
      p.id,
      khaiSinhContent(tthc.khaiSinh!, {
        title: 'Bản của người thứ nhất',
        purpose: 'Mục đích đã sửa',
        changeSummary: 'Sửa mục đích',
        version: String(rev.version),
      }),
    );
    const page = await officer.get(`/procedures/${p.id}/compare?a=1&b=2`);
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/<tr class="changed">\s*<th>Mục đích/);
    expect(page.text).to.contain('Mục đích đã sửa');
    expect(page.text).to.match(/<tr class="same">\s*<th>Tên quy trình/);
  });

  it('answers 404 to an officer of another province for the catalog, a procedure and its actions', async () => {
    const out = await ctx().userWith('officer', 'LCA-TU-PK');
    const agent = await ctx().signIn(out.username, out.password);
    const token = await csrfOfSignedIn(agent);
    const p = (await ctx().built.services.catalog.procedures.list(officerActor, {}, { unitId })).items[0]!;
    const gets = [
      '/units/:u/catalog',
      '/units/:u/catalog/export.xlsx',
      '/units/:u/catalog/import',
      '/units/:u/procedures/new',
      '/units/:u/tthc',
      '/units/:u/templates',
      '/units/:u/quality',
      '/procedures/:p',
      '/procedures/:p/edit',
      '/procedures/:p/print',
      '/procedures/:p/pdf',
      '/procedures/:p/revisions/1',
      '/procedures/:p/compare?a=1&b=1',
      '/procedures/:p/template',
      `/tthc/${tthc.khaiSinh}`,
      `/tthc/${tthc.khaiSinh}/edit`,
    ];
    const posts = [
      '/units/:u/procedures',
      '/units/:u/tthc',
      `/units/:u/tthc/${tthc.khaiSinh}/drop`,
      '/units/:u/quality/policy',
      '/units/:u/quality/objectives',
      '/procedures/:p/edit',
      '/procedures/:p/revise',
      '/procedures/:p/discard',
      '/procedures/:p/submit',
      '/procedures/:p/review',
      '/procedures/:p/approve',
      '/procedures/:p/issue',
      '/procedures/:p/send-back',
      '/procedures/:p/withdraw',
      '/procedures/:p/reviewed',
      '/procedures/:p/template/take',
      `/tthc/${tthc.khaiSinh}/edit`,
    ];
    const fill = (u: string) => u.replace(':u', String(unitId)).replace(':p', String(p.id));
    for (const url of gets.map(fill)) {
      const res = await agent.get(url);
      expect(res.status, url).to.equal(404);
      expect(res.text, url).not.to.contain('Xã Nam Dong');
    }
    const before = await ctx().db('audit_log').count({ n: '*' });
    for (const url of posts.map(fill)) {
      expect(
        (await agent.post(url).type('form').send({ _csrf: token, reason: 'x', codes: '1.001193', text: 'x', year: '2026', objective: 'x', target: 'x' }))
          .status,
        url,
      ).to.equal(404);
    }
    expect(await ctx().db('audit_log').count({ n: '*' })).to.deep.equal(before);
    expect((await agent.get('/catalog?q=khai+sinh')).text).to.contain(viText('common.total', { total: 0 }));
  });
});
