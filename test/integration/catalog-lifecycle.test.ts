import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { issueAll, khaiSinhContent, rejectsWith, seedTthc } from '../fixtures/catalog.ts';

forEachDatabase('catalog: document control of a procedure', (ctx) => {
  let tthc: Record<string, number>;
  let officer: Actor;
  let leader: Actor;
  let unitId: number;

  before(async () => {
    await seedTree(ctx());
    tthc = await seedTthc(ctx());
    officer = { user: (await ctx().userWith('officer', 'DNO-CJ-ND')).user };
    leader = { user: (await ctx().userWith('leader', 'DNO-CJ-ND')).user };
    unitId = await ctx().unitId('DNO-CJ-ND');
    await ctx().built.services.units.setIsoState(ctx().admin, unitId, { state: 'declared', standard: '2015', reason: 'Công bố HTQLCL' });
  });

  const c = () => ctx().built.services.catalog;

  it("takes a procedure from draft through review and a leader's approval to issued, with who signed and when", async () => {
    const p = await c().procedures.create(officer, unitId, khaiSinhContent(tthc.khaiSinh!));
    expect(p.status).to.equal('draft');
    await c().lifecycle.submit(officer, p.id);
    await c().lifecycle.review(officer, p.id);
    await rejectsWith(c().lifecycle.approve(officer, p.id), 'PROCEDURE_APPROVE_LEADER');
    expect((await c().procedures.get(officer, p.id)).pendingStatus).to.equal('in_review');
    await c().lifecycle.approve(leader, p.id);
    const issued = await c().lifecycle.issue(officer, p.id, { issueDate: '2026-03-02' });
    expect(issued.status).to.equal('issued');
    expect(issued.revisionNo).to.equal(1);
    expect(issued.issueDate).to.equal('2026-03-02');
    const d = await c().procedures.details(officer, p.id);
    expect(d.head.drafted.userId).to.equal(officer.user.id);
    expect(d.head.reviewed.userId).to.equal(officer.user.id);
    expect(d.head.approved.userId).to.equal(leader.user.id);
    expect(d.head.approved.at).to.equal(ctx().clock.now().toISOString());
    expect(d.head.steps.map((s) => s.days)).to.deep.equal([0.5, 2, 0.5]);
  });

  it('moves a declared unit to "needs re-declaration" with the reason when a procedure is issued', async () => {
    const unit = await ctx().built.services.units.get(ctx().admin, unitId);
    expect(unit.isoState).to.equal('needs_redeclaration');
    expect(unit.isoStateReason).to.contain('QT-01/ND-HT');
    const log = await ctx().db('audit_log').where({ entity: 'unit', entity_id: unitId, action: 'iso_state' }).orderBy('id', 'desc').first();
    expect(JSON.parse(log.after).isoState).to.equal('needs_redeclaration');
  });

  it('finds the procedure by its name typed without diacritics, with the count', async () => {
    const page = await c().procedures.list(officer, { q: 'dang ky khai sinh' }, { unitId });
    expect(page.total).to.equal(1);
    expect(page.items[0]?.title).to.equal('Quy trình đăng ký khai sinh');
  });

  it('keeps the issued revision in force while its next revision is written, then supersedes it', async () => {
    const p = (await c().procedures.list(officer, { q: 'QT-01/ND-HT' }, { unitId })).items[0]!;
    const rev2 = await c().procedures.revise(officer, p.id);
    expect(rev2.revisionNo).to.equal(2);
    expect(rev2.status).to.equal('draft');
    let now = await c().procedures.get(officer, p.id);
    expect(now.status).to.equal('issued');
    expect(now.revisionNo).to.equal(1);
    await rejectsWith(c().lifecycle.submit(officer, p.id), 'PROCEDURE_CHANGE_SUMMARY');
    const steps = (khaiSinhContent(tthc.khaiSinh!).steps as Array<Record<string, string>>).map((s, i) => (i === 1 ? { ...s, days: '1.5' } : s));
    await c().procedures.saveDraft(
      officer,
      p.id,
      khaiSinhContent(tthc.khaiSinh!, { steps, changeSummary: 'Rút ngắn thời gian thẩm định', version: String(rev2.version) }),
    );
    await issueAll(ctx(), p.id, officer, leader, '2026-04-01');
    now = await c().procedures.get(officer, p.id);
    expect(now.revisionNo).to.equal(2);
    expect(now.issueDate).to.equal('2026-04-01');
    const d = await c().procedures.details(officer, p.id);
    expect(d.revisions.map((r) => [r.revisionNo, r.status])).to.deep.equal([
      [2, 'issued'],
      [1, 'superseded'],
    ]);
    const { revision: old } = await c().procedures.revision(officer, p.id, 1);
    expect(old.steps[1]?.days).to.equal(2);
  });

  it('withdraws a procedure with its reason, keeps every revision, and flags the scope change', async () => {
    const p = (await c().procedures.list(officer, { q: 'QT-01/ND-HT' }, { unitId })).items[0]!;
    await rejectsWith(c().lifecycle.withdraw(officer, p.id, { reason: '' }), 'VALIDATION_FAILED');
    const w = await c().lifecycle.withdraw(officer, p.id, { reason: 'TTHC chuyển lên cấp tỉnh' });
    expect(w.status).to.equal('withdrawn');
    const d = await c().procedures.details(officer, p.id);
    expect(d.head.withdrawReason).to.equal('TTHC chuyển lên cấp tỉnh');
    expect(d.revisions).to.have.length(2);
    await rejectsWith(c().procedures.discard(officer, p.id), 'PROCEDURE_WRONG_STATE');
    const unit = await ctx().built.services.units.get(ctx().admin, unitId);
    expect(unit.isoStateReason).to.contain('TTHC chuyển lên cấp tỉnh');
    const withdrawn = await c().procedures.list(officer, { status: 'withdrawn' }, { unitId });
    expect(withdrawn.items.map((x) => x.code)).to.include('QT-01/ND-HT');
  });

  it('refuses to issue a procedure with no steps, saying so', async () => {
    const p = await c().procedures.create(officer, unitId, khaiSinhContent(tthc.ketHon!, { code: 'QT-02/ND-HT', title: 'Đăng ký kết hôn', steps: [] }));
    await rejectsWith(c().lifecycle.submit(officer, p.id), 'PROCEDURE_NO_STEPS');
    await rejectsWith(c().lifecycle.issue(officer, p.id), 'PROCEDURE_NO_STEPS');
    expect((await c().procedures.get(officer, p.id)).status).to.equal('draft');
  });

  it('refuses to submit while a step has nobody responsible or a record no retention period', async () => {
    const p = await c().procedures.create(
      officer,
      unitId,
      khaiSinhContent(tthc.chungThuc!, {
        code: 'QT-03/ND-CT',
        title: 'Chứng thực bản sao',
        steps: [{ action: 'Tiếp nhận', responsible: '', days: '0.5' }],
        records: [{ name: 'Sổ chứng thực', retention: '' }],
      }),
    );
    const err = await rejectsWith(c().lifecycle.submit(officer, p.id), 'PROCEDURE_INCOMPLETE');
    expect(err.params).to.deep.equal({ steps: '1', records: '1' });
    const d = await c().procedures.details(officer, p.id);
    expect(d.checks.stepsWithoutResponsible).to.deep.equal([1]);
    expect(d.checks.recordsWithoutRetention).to.deep.equal([1]);
  });

  it('refuses a missing or duplicate code, a negative or non-numeric step time, and a TTHC of another province', async () => {
    const base = khaiSinhContent(tthc.khaiSinh!, { code: 'QT-09/ND' });
    const before = await ctx().db('procedures').count({ n: '*' });
    expect((await rejectsWith(c().procedures.create(officer, unitId, { ...base, code: '' }), 'VALIDATION_FAILED')).fields?.code?.key).to.equal('v.required');
    expect((await rejectsWith(c().procedures.create(officer, unitId, { ...base, code: 'QT-02/ND-HT' }), 'PROCEDURE_CODE_TAKEN')).fields?.code?.key).to.equal(
      'v.procedure_code_taken',
    );
    const neg = await rejectsWith(
      c().procedures.create(officer, unitId, { ...base, steps: [{ action: 'A', responsible: 'B', days: '-1' }] }),
      'VALIDATION_FAILED',
    );
    expect(neg.fields?.['steps.0.days']?.key).to.equal('v.days_negative');
    const nan = await rejectsWith(
      c().procedures.create(officer, unitId, { ...base, steps: [{ action: 'A', responsible: 'B', days: 'hai ngày' }] }),
      'VALIDATION_FAILED',
    );
    expect(nan.fields?.['steps.0.days']?.key).to.equal('v.days_number');
    const other = await rejectsWith(c().procedures.create(officer, unitId, { ...base, tthcId: String(tthc.lcaKhaiSinh) }), 'TTHC_OTHER_PROVINCE');
    expect(other.fields?.tthcId?.key).to.equal('v.tthc_other_province');
    expect(await ctx().db('procedures').count({ n: '*' })).to.deep.equal(before);
  });

  it('tells the second of two people saving the same draft that it changed, and keeps the first save', async () => {
    const p = await c().procedures.create(officer, unitId, khaiSinhContent(tthc.ketHon!, { code: 'QT-04/ND-HT', title: 'Kết hôn (bản A)' }));
    const { head } = await c().procedures.details(officer, p.id);
    const other = { user: (await ctx().userWith('officer', 'DNO-CJ-ND')).user };
    await c().procedures.saveDraft(
      other,
      p.id,
      khaiSinhContent(tthc.ketHon!, { code: 'QT-04/ND-HT', title: 'Kết hôn (bản B)', version: String(head.version) }),
    );
    const err = await rejectsWith(
      c().procedures.saveDraft(officer, p.id, khaiSinhContent(tthc.ketHon!, { code: 'QT-04/ND-HT', title: 'Kết hôn (bản C)', version: String(head.version) })),
      'STALE_EDIT',
    );
    expect(err.status).to.equal(409);
    expect((await c().procedures.get(officer, p.id)).title).to.equal('Kết hôn (bản B)');
  });

  it('flags a procedure whose steps take longer than the TTHC allows, as a warning and a list filter', async () => {
    const steps = [
      { action: 'Tiếp nhận', responsible: 'Một cửa', days: '1' },
      { action: 'Xử lý', responsible: 'Tư pháp', days: '1.5' },
    ];
    const p = await c().procedures.create(officer, unitId, khaiSinhContent(tthc.chungThuc!, { code: 'QT-05/ND-CT', title: 'Chứng thực chữ ký', steps }));
    const d = await c().procedures.details(officer, p.id);
    expect(d.checks.overTime).to.equal(true);
    expect([d.checks.totalDays, d.checks.legalDays]).to.deep.equal([2.5, 1]);
    const flagged = await c().procedures.list(officer, { overtime: '1' }, { unitId });
    expect(flagged.items.map((x) => x.code)).to.deep.equal(['QT-05/ND-CT']);
    expect(flagged.items[0]?.overTime).to.equal(true);
  });

  it('lists an issued procedure as due for review after the configured months, until it is reviewed', async () => {
    const p = await c().procedures.create(officer, unitId, khaiSinhContent(tthc.khaiSinh!, { code: 'QT-06/ND-HT', title: 'Khai sinh có yếu tố nước ngoài' }));
    await issueAll(ctx(), p.id, officer, leader, '2026-03-02');
    expect((await c().procedures.list(officer, { due: '1' }, { unitId })).total).to.equal(0);
    ctx().clock.advance(400 * 86_400_000);
    const due = await c().procedures.list(officer, { due: '1' }, { unitId });
    expect(due.items.map((x) => [x.code, x.dueForReview])).to.deep.equal([['QT-06/ND-HT', true]]);
    await c().lifecycle.markReviewed(officer, p.id);
    expect((await c().procedures.list(officer, { due: '1' }, { unitId })).total).to.equal(0);
  });

  it("does not show a procedure to anyone outside the unit's scope", async () => {
    const outsider = { user: (await ctx().userWith('officer', 'LCA-TU-PK')).user };
    const any = (await c().procedures.list(officer, {}, { unitId })).items[0]!;
    await rejectsWith(c().procedures.get(outsider, any.id), 'NOT_FOUND');
    await rejectsWith(c().lifecycle.submit(outsider, any.id), 'NOT_FOUND');
    await rejectsWith(c().procedures.list(outsider, {}, { unitId }), 'NOT_FOUND');
    expect((await c().procedures.list(outsider, { q: 'khai sinh' })).total).to.equal(0);
  });
});
