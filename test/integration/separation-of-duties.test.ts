import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { khaiSinhContent, rejectsWith, seedTthc } from '../fixtures/catalog.ts';

const actorOf = async (ctx: Parameters<Parameters<typeof forEachDatabase>[1]>[0], role: 'officer' | 'leader', unit: string, name: string): Promise<Actor> => ({
  user: (await ctx().userWith(role, unit, name)).user,
});

forEachDatabase(
  'separation of duties on a procedure, as deployed (CATALOG_SELF_REVIEW=never)',
  (ctx) => {
    let tthc: Record<string, number>;
    before(async () => {
      await seedTree(ctx());
      tthc = await seedTthc(ctx());
    });
    const l = () => ctx().built.services.catalog.lifecycle;

    it('refuses the drafter’s own review with the reason, even when they are the unit’s only officer, and lets another person sign it', async () => {
      const unitId = await ctx().unitId('DNO-CJ-ND');
      const drafter = await actorOf(ctx, 'officer', 'DNO-CJ-ND', 'canbo.duynhat');
      const p = await ctx().built.services.catalog.procedures.create(drafter, unitId, khaiSinhContent(tthc.khaiSinh!));
      await l().submit(drafter, p.id);
      const err = await rejectsWith(l().review(drafter, p.id), 'PROCEDURE_SELF_REVIEW');
      expect(err.status).to.equal(403);
      const leader = await actorOf(ctx, 'leader', 'DNO-CJ-ND', 'lanhdao.nd');
      await l().review(leader, p.id);
      await l().approve(leader, p.id);
      expect((await l().issue(drafter, p.id)).status).to.equal('issued');
    });

    it('answers the page with the Vietnamese reason and changes nothing', async () => {
      const unitId = await ctx().unitId('DNO-CJ-ND');
      const u = await ctx().userWith('officer', 'DNO-CJ-ND', 'canbo.trang');
      const p = await ctx().built.services.catalog.procedures.create({ user: u.user }, unitId, khaiSinhContent(tthc.ketHon!, { code: 'QT-09/ND-HT' }));
      await l().submit({ user: u.user }, p.id);
      const agent = await ctx().signIn(u.username, u.password);
      const page = await agent.get(`/procedures/${p.id}`);
      expect(page.text, 'the step is shown disabled with its reason').to.match(
        /<button type="button" disabled aria-describedby="self-review-why">Ký xem xét<\/button>/,
      );
      expect(page.text).to.contain('người soạn thảo không tự xem xét');
      expect(page.text).not.to.contain(`action="/procedures/${p.id}/review"`);
      const res = await agent.form(`/procedures/${p.id}/review`, {});
      expect(res.text).to.contain('Người soạn thảo không tự xem xét hay phê duyệt quy trình mình soạn');
      const rev = await ctx().db('procedure_revisions').where('procedure_id', p.id).first('status', 'reviewed_by');
      expect([rev.status, rev.reviewed_by]).to.deep.equal(['in_review', null]);
    });
  },
  { CATALOG_SELF_REVIEW: 'never' },
);

forEachDatabase('separation of duties where the province allows a sole officer to review (CATALOG_SELF_REVIEW=sole-officer)', (ctx) => {
  let tthc: Record<string, number>;
  before(async () => {
    await seedTree(ctx());
    tthc = await seedTthc(ctx());
  });
  const l = () => ctx().built.services.catalog.lifecycle;

  it('lets the only officer review their own draft, never approve it, and refuses the review once a second officer exists', async () => {
    const unitId = await ctx().unitId('DNO-CJ-ND');
    const sole = await actorOf(ctx, 'officer', 'DNO-CJ-ND', 'canbo.motminh');
    const leader = await actorOf(ctx, 'leader', 'DNO-CJ-ND', 'lanhdao.motminh');
    const p = await ctx().built.services.catalog.procedures.create(sole, unitId, khaiSinhContent(tthc.khaiSinh!));
    await l().submit(sole, p.id);
    await l().review(sole, p.id);
    await l().approve(leader, p.id);
    await l().issue(sole, p.id);
    const second = await ctx().built.services.catalog.procedures.create(sole, unitId, khaiSinhContent(tthc.ketHon!, { code: 'QT-02/ND-HT' }));
    await l().submit(sole, second.id);
    await actorOf(ctx, 'officer', 'DNO-CJ-ND', 'canbo.thuhai');
    await rejectsWith(l().review(sole, second.id), 'PROCEDURE_SELF_REVIEW');
  });

  it('never lets a leader approve a revision they drafted', async () => {
    const unitId = await ctx().unitId('LCA-TU-PK');
    const leader = await actorOf(ctx, 'leader', 'LCA-TU-PK', 'lanhdao.pk');
    const officer = await actorOf(ctx, 'officer', 'LCA-TU-PK', 'canbo.pk');
    const p = await ctx().built.services.catalog.procedures.create(officer, unitId, khaiSinhContent(tthc.lcaKhaiSinh!, { code: 'QT-01/PK-HT' }));
    await ctx().db('procedure_revisions').where('procedure_id', p.id).update({ drafted_by: leader.user.id });
    await ctx()
      .db('procedure_revisions')
      .where('procedure_id', p.id)
      .update({ status: 'in_review', reviewed_by: officer.user.id, reviewed_at: '2026-03-02T02:00:00.000Z' });
    await ctx().db('procedures').where('id', p.id).update({ status: 'in_review', pending_status: 'in_review' });
    await rejectsWith(l().approve(leader, p.id), 'PROCEDURE_SELF_REVIEW');
  });
});
