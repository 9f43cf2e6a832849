import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { khaiSinhContent } from '../fixtures/catalog.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';

/** What reminder handlers read through `services.reads`: every unit, no user scope, no writes. */
forEachDatabase('reads for reminder handlers', (ctx) => {
  let officer: Actor;
  let leader: Actor;
  const issued: Array<[code: string, day: string]> = [
    ['QT-05', '2025-04-01'],
    ['QT-01', '2024-12-20'],
    ['QT-03', '2025-02-10'],
    ['QT-02', '2025-02-10'],
    ['QT-04', '2026-01-15'],
  ];

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    const s = ctx().built.services;
    officer = { user: (await ctx().userWith('officer', 'DNO-CJ-ND', 'can-bo-nd')).user };
    leader = { user: (await ctx().userWith('leader', 'DNO-CJ-ND', 'lanh-dao-nd')).user };
    await ctx().userWith('officer', 'DNO-CJ', 'can-bo-cj');
    const nd = await ctx().unitId('DNO-CJ-ND');
    await s.units.setIsoState(ctx().admin, nd, { state: 'applying', standard: '2015', reason: 'Áp dụng' });
    await s.units.setIsoState(ctx().admin, await ctx().unitId('LCA-TU-PK'), { state: 'declared', standard: '2015', reason: 'Công bố' });
    const tthc = await s.catalog.tthc.create(ctx().admin, {
      provinceId: String(await ctx().unitId('DNO')),
      level: 'commune',
      code: '1.001193',
      name: 'Đăng ký khai sinh',
      field: 'Hộ tịch',
      legalDays: '3',
    });
    for (const [code, day] of issued) {
      const p = await s.catalog.procedures.create(officer, nd, khaiSinhContent(tthc.id, { code, title: `Quy trình ${code}` }));
      await s.catalog.lifecycle.submit(officer, p.id);
      await s.catalog.lifecycle.review(officer, p.id);
      await s.catalog.lifecycle.approve(leader, p.id);
      await s.catalog.lifecycle.issue(officer, p.id, { issueDate: day });
    }
    await s.catalog.procedures.create(officer, nd, khaiSinhContent(tthc.id, { code: 'QT-99', title: 'Dự thảo chưa ban hành' }));
  });

  it('lists the units active on a day, by kind and ISO state, each with its province', async () => {
    const reads = ctx().built.services.reads;
    const communes = await reads.activeUnits({ on: '2026-06-01', kinds: ['commune', 'town'] });
    expect(communes.map((u) => [u.code, u.provinceCode, u.isoState])).to.deep.equal([
      ['DNO-CJ-ND', 'DNO', 'applying'],
      ['DNO-CJ-ET', 'DNO', 'not_started'],
      ['LCA-TU-PK', 'LCA', 'declared'],
    ]);
    expect((await reads.activeUnits({ on: '2026-06-01', isoStates: ['declared'] })).map((u) => [u.code, u.isoStateReason])).to.deep.equal([
      ['LCA-TU-PK', 'Công bố'],
    ]);
    await ctx().built.services.units.update(ctx().admin, await ctx().unitId('DNO-CJ-ET'), {
      code: 'DNO-CJ-ET',
      name: "Thị trấn Ea T'ling",
      kind: 'town',
      activeTo: '2026-05-01',
    });
    expect(
      (await reads.activeUnits({ on: '2026-06-01', kinds: ['town'] })).map((u) => u.code),
      'ended on 1 May',
    ).to.deep.equal([]);
    expect((await reads.activeUnits({ on: '2026-04-30', kinds: ['town'] })).map((u) => u.code)).to.deep.equal(['DNO-CJ-ET']);
    expect(reads.dayOf(new Date('2026-05-31T17:00:00Z')), 'midnight in Ha Noi').to.equal('2026-06-01');
  });

  it('names the active holders of a role on each unit', async () => {
    const reads = ctx().built.services.reads;
    const nd = await ctx().unitId('DNO-CJ-ND');
    const cj = await ctx().unitId('DNO-CJ');
    const held = await reads.holders('officer', [nd, cj]);
    expect([held.get(nd)?.map((u) => u.fullName), held.get(cj)?.map((u) => u.fullName)]).to.deep.equal([['Người dùng can-bo-nd'], ['Người dùng can-bo-cj']]);
  });

  it('finds, by unit, the issued procedures not reviewed for 12 months, longest waiting first, with when each fell due', async () => {
    const reads = ctx().built.services.reads;
    const [unit, ...others] = await reads.proceduresDueForReview('2026-02-15', 3);
    expect(others).to.deep.equal([]);
    expect([unit?.unitName, unit?.count, unit?.oldestReviewedOn, unit?.oldestDueOn, unit?.reviewMonths]).to.deep.equal([
      'Xã Nam Dong',
      3,
      '2024-12-20',
      '2025-12-20',
      12,
    ]);
    expect(unit?.first.map((p) => [p.code, p.lastReviewedOn, p.dueOn, p.revisionNo])).to.deep.equal([
      ['QT-01', '2024-12-20', '2025-12-20', 1],
      ['QT-02', '2025-02-10', '2026-02-10', 1],
      ['QT-03', '2025-02-10', '2026-02-10', 1],
    ]);
    expect((await reads.proceduresDueForReview('2026-02-15', 1))[0]?.first.map((p) => p.code)).to.deep.equal(['QT-01']);
    expect((await reads.proceduresDueForReview('2026-04-01', 10))[0]?.count, 'QT-05 joins on 1 April').to.equal(4);
    expect(await reads.proceduresDueForReview('2025-12-19', 3), 'nothing due yet').to.deep.equal([]);
  });
});
