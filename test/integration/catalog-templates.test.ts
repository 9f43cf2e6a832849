import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { csrfOfSignedIn, viText } from '../fixtures/http.ts';
import { issueAll, khaiSinhContent, rejectsWith, seedTthc } from '../fixtures/catalog.ts';

forEachDatabase('catalog templates, TTHC scope, quality policy and objectives', (ctx) => {
  let tthc: Record<string, number>;
  let coordinator: Actor;
  let provinceLeader: Actor;
  let officer: Actor;
  let leader: Actor;
  let unitId: number;
  let provinceId: number;
  let templateId: number;

  before(async () => {
    await seedTree(ctx());
    tthc = await seedTthc(ctx());
    unitId = await ctx().unitId('DNO-CJ-ND');
    provinceId = await ctx().unitId('DNO');
    coordinator = { user: (await ctx().userWith('coordinator', 'DNO')).user };
    provinceLeader = { user: (await ctx().userWith('leader', 'DNO')).user };
    officer = { user: (await ctx().userWith('officer', 'DNO-CJ-ND')).user };
    leader = { user: (await ctx().userWith('leader', 'DNO-CJ-ND')).user };
  });

  const c = () => ctx().built.services.catalog;

  it('lets a coordinator publish a template that a commune officer may read but not write', async () => {
    const t = await c().procedures.create(
      coordinator,
      provinceId,
      khaiSinhContent(tthc.khaiSinh!, { code: 'MAU-KS', title: 'Quy trình mẫu đăng ký khai sinh' }),
      { isTemplate: true },
    );
    templateId = t.id;
    await rejectsWith(c().procedures.create(officer, unitId, khaiSinhContent(tthc.khaiSinh!, { code: 'MAU-X' }), { isTemplate: true }), 'NOT_FOUND');
    await issueAll(ctx(), t.id, coordinator, provinceLeader);
    const available = await c().templates.available(officer, unitId);
    expect(available.items.map((i) => [i.template.code, i.template.revisionNo, i.copyId])).to.deep.equal([['MAU-KS', 1, null]]);
    // A template is not part of any unit's scope, and not listed with the province's procedures.
    expect((await c().procedures.list(coordinator, {}, { unitId: provinceId })).total).to.equal(0);
  });

  it('adopts a copy that remembers the template and its revision', async () => {
    const copy = await c().templates.adopt(officer, unitId, templateId, { code: 'QT-01/ND-HT' });
    expect([copy.templateId, copy.templateRevisionNo, copy.code, copy.status]).to.deep.equal([templateId, 1, 'QT-01/ND-HT', 'draft']);
    const { head } = await c().procedures.details(officer, copy.id);
    expect(head.steps).to.have.length(3);
    await rejectsWith(c().templates.adopt(officer, unitId, templateId, {}), 'TEMPLATE_ALREADY_ADOPTED');
    expect((await c().templates.status(officer, copy.id))?.updated).to.equal(false);
  });

  it('says "template updated" with the differences when the template gets a new revision, and takes them', async () => {
    const copy = (await c().procedures.list(officer, { q: 'QT-01/ND-HT' }, { unitId })).items[0]!;
    // The unit words its own purpose; the template later changes its steps only.
    const own = await c().procedures.details(officer, copy.id);
    await c().procedures.saveDraft(
      officer,
      copy.id,
      khaiSinhContent(tthc.khaiSinh!, {
        code: 'QT-01/ND-HT',
        title: 'Quy trình mẫu đăng ký khai sinh',
        purpose: 'Mục đích riêng của xã',
        version: String(own.head.version),
      }),
    );
    await issueAll(ctx(), copy.id, officer, leader);
    const rev = await c().procedures.revise(coordinator, templateId);
    const steps = [{ action: 'Tiếp nhận và trả kết quả trong ngày', responsible: 'Công chức một cửa', days: '1', output: 'Giấy khai sinh' }];
    await c().procedures.saveDraft(
      coordinator,
      templateId,
      khaiSinhContent(tthc.khaiSinh!, {
        code: 'MAU-KS',
        title: 'Quy trình mẫu đăng ký khai sinh',
        steps,
        changeSummary: 'Rút gọn còn một bước',
        version: String(rev.version),
      }),
    );
    await issueAll(ctx(), templateId, coordinator, provinceLeader);

    const st = (await c().templates.status(officer, copy.id))!;
    expect([st.updated, st.fromRevision, st.toRevision]).to.deep.equal([true, 1, 2]);
    expect(st.diff.map((r) => `${r.label}${r.position ?? ''}`)).to.deep.equal(['steps1', 'steps2', 'steps3']);

    await c().templates.take(officer, copy.id);
    const d = await c().procedures.details(officer, copy.id);
    expect(d.procedure.templateRevisionNo).to.equal(2);
    expect(d.head.revisionNo).to.equal(2);
    expect(d.head.status).to.equal('draft');
    expect(d.head.steps.map((s) => s.action)).to.deep.equal(['Tiếp nhận và trả kết quả trong ngày']);
    expect(d.head.purpose).to.equal('Mục đích riêng của xã');
    expect(d.procedure.status).to.equal('issued');
    expect((await c().templates.status(officer, copy.id))?.updated).to.equal(false);
  });

  it('shows "template updated" on the copy\'s page until the changes are taken', async () => {
    const o = await ctx().userWith('officer', 'DNO-CJ-ET');
    const agent = await ctx().signIn(o.username, o.password);
    const et = await ctx().unitId('DNO-CJ-ET');
    const copy = await c().templates.adopt({ user: o.user }, et, templateId, {});
    expect(copy.templateRevisionNo).to.equal(2);
    const page = await agent.get(`/procedures/${copy.id}`);
    expect(page.text).not.to.contain(viText('catalog.templates.updated'));
    const rev = await c().procedures.revise(coordinator, templateId);
    await c().procedures.saveDraft(
      coordinator,
      templateId,
      khaiSinhContent(tthc.khaiSinh!, {
        code: 'MAU-KS',
        title: 'Quy trình mẫu đăng ký khai sinh (2027)',
        changeSummary: 'Đổi tên',
        version: String(rev.version),
      }),
    );
    await issueAll(ctx(), templateId, coordinator, provinceLeader);
    expect((await agent.get(`/procedures/${copy.id}`)).text).to.contain(viText('catalog.templates.updated'));
    const diff = await agent.get(`/procedures/${copy.id}/template`);
    expect(diff.text).to.contain('Quy trình mẫu đăng ký khai sinh (2027)');
    const token = await csrfOfSignedIn(agent);
    expect((await agent.post(`/procedures/${copy.id}/template/take`).type('form').send({ _csrf: token })).status).to.equal(302);
    expect((await c().procedures.get({ user: o.user }, copy.id)).title).to.equal('Quy trình mẫu đăng ký khai sinh (2027)');
  });

  it('flags a declared unit for re-declaration when it adopts or drops a TTHC, with the reason', async () => {
    const units = ctx().built.services.units;
    const pk = await ctx().unitId('DNO-SKHCN');
    await units.setIsoState(ctx().admin, pk, { state: 'declared', standard: '2015', reason: 'Công bố' });
    const dept = { user: (await ctx().userWith('officer', 'DNO-SKHCN')).user };
    expect(await c().tthc.adopt(dept, pk, { codes: '1.001193, 2.000815' })).to.equal(2);
    let unit = await units.get(ctx().admin, pk);
    expect(unit.isoState).to.equal('needs_redeclaration');
    expect(unit.isoStateReason).to.contain('1.001193');
    expect(await c().tthc.adopt(dept, pk, { codes: '1.001193' })).to.equal(0);
    await units.setIsoState(ctx().admin, pk, { state: 'declared', standard: '2015', reason: 'Công bố lại' });
    await c().tthc.drop(dept, pk, tthc.chungThuc!);
    unit = await units.get(ctx().admin, pk);
    expect([unit.isoState, unit.isoStateReason]).to.deep.equal(['needs_redeclaration', 'Thay đổi phạm vi: bỏ TTHC 2.000815']);
    expect((await c().tthc.adopted(dept, pk)).items.map((t) => t.code)).to.deep.equal(['1.001193']);
  });

  it("refuses to adopt a code that is not in the unit's province list", async () => {
    const err = await rejectsWith(c().tthc.adopt(officer, unitId, { codes: '1.001193 9.123456' }), 'VALIDATION_FAILED');
    expect(err.fields?.codes).to.deep.equal({ key: 'v.tthc_unknown', params: { code: '9.123456' } });
    expect((await c().tthc.adopted(officer, unitId)).items).to.have.length(0);
  });

  it('keeps a quality policy and yearly objectives with target, actual and whether achieved', async () => {
    await c().quality.savePolicy(officer, unitId, { text: 'Công khai, minh bạch, đúng hạn.', issuedOn: '2026-01-15' });
    const o = await c().quality.addObjective(officer, unitId, {
      year: '2026',
      objective: 'Giải quyết hồ sơ đúng hạn',
      measure: 'Tỷ lệ hồ sơ đúng hạn',
      target: '≥ 98%',
    });
    await c().quality.updateObjective(officer, unitId, o.id, {
      year: '2026',
      objective: 'Giải quyết hồ sơ đúng hạn',
      measure: 'Tỷ lệ hồ sơ đúng hạn',
      target: '≥ 98%',
      actual: '99,1%',
      achieved: 'yes',
    });
    await rejectsWith(c().quality.addObjective(officer, unitId, { year: 'năm nay', objective: '', target: '' }), 'VALIDATION_FAILED');
    const q = await c().quality.overview(officer, unitId);
    expect(q.policy?.text).to.equal('Công khai, minh bạch, đúng hạn.');
    expect(q.byYear.map((y) => [y.year, y.items.map((i) => [i.actual, i.achieved])])).to.deep.equal([[2026, [['99,1%', true]]]]);
    await rejectsWith(c().quality.savePolicy(leader, unitId, { text: 'x' }), 'NOT_FOUND');
  });
});
