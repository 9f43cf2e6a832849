import { expect } from 'chai';
import { forEachDatabase, type Agent } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, escapeHtml, viText } from '../fixtures/http.ts';
import { khaiSinhContent, seedTthc } from '../fixtures/catalog.ts';

forEachDatabase('catalog pages for TTHC, scope, templates, quality and search', (ctx) => {
  let coordinator: Agent;
  let officer: Agent;
  const tokens = new Map<Agent, string>();
  let unitId: number;
  let provinceId: number;
  let tthc: Record<string, number>;

  before(async () => {
    await seedTree(ctx());
    tthc = await seedTthc(ctx());
    unitId = await ctx().unitId('DNO-CJ-ND');
    provinceId = await ctx().unitId('DNO');
    const c = await ctx().userWith('coordinator', 'DNO');
    const o = await ctx().userWith('officer', 'DNO-CJ-ND');
    coordinator = await ctx().signIn(c.username, c.password);
    officer = await ctx().signIn(o.username, o.password);
    for (const a of [coordinator, officer]) tokens.set(a, await csrfOfSignedIn(a));
    await ctx().built.services.catalog.procedures.create({ user: o.user }, unitId, khaiSinhContent(tthc.khaiSinh!));
    const et = await ctx().unitId('DNO-CJ-ET');
    await ctx().built.services.catalog.procedures.create(
      ctx().admin,
      et,
      khaiSinhContent(tthc.khaiSinh!, { code: 'QT-01/ET-HT', title: 'Quy trình khai sinh thị trấn' }),
    );
  });

  const post = (a: Agent, url: string, body: Record<string, string>) =>
    a
      .post(url)
      .type('form')
      .send({ ...body, _csrf: tokens.get(a) as string });

  it("shows the province's TTHC list to a commune officer, searchable without diacritics", async () => {
    const page = await officer.get('/tthc?q=chung+thuc');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(viText('common.total', { total: 1 }));
    expect(page.text).to.contain('Chứng thực bản sao từ bản chính');
    expect(page.text).not.to.contain('href="/tthc/new"');
    expect((await officer.get('/tthc/new')).status).to.equal(404);
  });

  it('lets the coordinator add a TTHC by the form, refusing a duplicate code with the form kept', async () => {
    const body = {
      provinceId: String(provinceId),
      code: '1.004837',
      name: 'Cấp bản sao trích lục hộ tịch',
      field: 'Hộ tịch',
      level: 'commune',
      legalDays: '1',
      onlineLevel: 'full',
    };
    const created = await post(coordinator, '/tthc', body);
    expect(created.status).to.equal(302);
    const dup = await post(coordinator, '/tthc', { ...body, name: 'Tên khác' });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain(escapeHtml(viText('v.tthc_code_taken')));
    expect(dup.text).to.contain('value="Tên khác"');
    const show = await coordinator.get(created.headers.location as string);
    expect(show.text).to.contain(viText('catalog.tthc.online_levels.full'));
  });

  it("adopts TTHC into the unit's scope from its page and shows which have no procedure yet", async () => {
    const res = await post(officer, `/units/${unitId}/tthc`, { codes: '1.001193\n1.000894' });
    expect(res.status).to.equal(302);
    const page = await officer.get(`/units/${unitId}/tthc`);
    expect(page.text).to.contain(viText('common.total', { total: 2 }));
    expect(page.text.match(new RegExp(viText('catalog.tthc.no_procedure'), 'g'))).to.have.length(1);
    const bad = await post(officer, `/units/${unitId}/tthc`, { codes: '7.777777' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain(escapeHtml(viText('v.tthc_unknown', { code: '7.777777' })));
    expect(bad.text).to.contain('7.777777</textarea>');
  });

  it("finds procedures of every unit in a coordinator's province from one search", async () => {
    const page = await coordinator.get('/catalog?q=khai+sinh');
    expect(page.text).to.contain(viText('common.total', { total: 2 }));
    expect(page.text).to.contain('Xã Nam Dong');
    expect(page.text).to.contain('Thị trấn Ea T&#39;ling');
  });

  it('renders the templates, quality, import and new-procedure pages for the officer', async () => {
    for (const url of [
      `/units/${unitId}/templates`,
      `/units/${unitId}/quality`,
      `/units/${unitId}/catalog/import`,
      `/units/${unitId}/procedures/new`,
      `/units/${unitId}/catalog?due=1&overtime=1&status=draft&sort=updated&dir=desc`,
    ]) {
      const res = await officer.get(url);
      expect(res.status, url).to.equal(200);
    }
    expect((await officer.get(`/units/${unitId}/procedures/new?template=1`)).status).to.equal(404);
  });

  it('saves the quality policy and an objective from the page, keeping typed values on error', async () => {
    expect((await post(officer, `/units/${unitId}/quality/policy`, { text: 'Phục vụ nhân dân tận tụy', issuedOn: '2026-01-02' })).status).to.equal(302);
    const bad = await post(officer, `/units/${unitId}/quality/objectives`, { year: '2026', objective: 'Giải quyết đúng hạn', target: '' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Giải quyết đúng hạn</textarea>');
    expect((await post(officer, `/units/${unitId}/quality/objectives`, { year: '2026', objective: 'Giải quyết đúng hạn', target: '100%' })).status).to.equal(
      302,
    );
    const page = await officer.get(`/units/${unitId}/quality`);
    expect(page.text).to.contain('Phục vụ nhân dân tận tụy');
    expect(page.text).to.contain(viText('catalog.quality.year', { year: 2026 }));
  });
});
