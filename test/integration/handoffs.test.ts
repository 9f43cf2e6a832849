import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { readyToDeclare } from '../fixtures/declaration-ready.ts';
import { khaiSinhContent, seedTthc } from '../fixtures/catalog.ts';
import { findingsForm, insertAction, insertCheck, insertFinding } from '../fixtures/actions-data.ts';

/** The "Chờ tôi xử lý" block of a home page, or '' when the page has none. */
function waitingBlock(html: string): string {
  const start = html.indexOf('id="waiting-for-me"');
  return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start));
}

forEachDatabase('hand-offs: what waits for whom on the home page', (ctx) => {
  let unitId: number;
  let drafter: { username: string; password: string; actor: Actor };
  let colleague: { username: string; password: string; actor: Actor };
  let leader: { username: string; password: string; actor: Actor };
  let procedureId: number;
  /** The finding raised by the check submitted below, whose action is then recorded. */
  let submittedFinding: number;

  const person = async (role: 'officer' | 'leader', username: string) => {
    const u = await ctx().userWith(role, 'DNO-CJ-ND', username);
    return { username: u.username, password: u.password, actor: { user: u.user } };
  };
  const home = async (p: { username: string; password: string }) => waitingBlock((await (await ctx().signIn(p.username, p.password)).get('/home')).text);
  const lifecycle = () => ctx().built.services.catalog.lifecycle;
  /** The user's inbox notices about hand-offs, oldest first: title, link, read or not. */
  const notices = async (p: { actor: Actor }) =>
    (
      (await ctx()
        .db('notifications')
        .where('user_id', p.actor.user.id)
        .where('source', 'like', 'handoffs/%')
        .orderBy('id')
        .select('title_vi', 'link', 'read_at')) as Array<{
        title_vi: string;
        link: string;
        read_at: string | null;
      }>
    ).map((n) => ({ title: n.title_vi, link: n.link, unread: n.read_at === null }));

  before(async () => {
    await seedTree(ctx());
    const tthc = await seedTthc(ctx());
    unitId = await ctx().unitId('DNO-CJ-ND');
    drafter = await person('officer', 'canbo.soanthao');
    colleague = await person('officer', 'canbo.xemxet');
    leader = await person('leader', 'lanhdao.namdong');
    procedureId = (await ctx().built.services.catalog.procedures.create(drafter.actor, unitId, khaiSinhContent(tthc.khaiSinh!))).id;
  });

  it('shows no block while nothing waits', async () => {
    expect(await home(colleague)).to.equal('');
    expect(await home(leader)).to.equal('');
  });

  it('offers a procedure sent for review to the other officer, never to its drafter, with a link to it', async () => {
    await lifecycle().submit(drafter.actor, procedureId);
    const block = await home(colleague);
    expect(block).to.contain('Chờ tôi xử lý (1)');
    expect(block).to.contain('Xem xét quy trình: QT-01/ND-HT Quy trình đăng ký khai sinh (lần 1)');
    expect(block).to.contain(`href="/procedures/${procedureId}"`);
    expect(block).to.contain('Xã Nam Dong');
    expect(await home(drafter)).to.equal('');
    expect(await home(leader), 'the leader approves after the review, not before').to.equal('');
  });

  it('moves the step to the leader once reviewed, and gives the approved revision back to the officers to issue', async () => {
    await lifecycle().review(colleague.actor, procedureId);
    expect(await home(colleague)).to.equal('');
    expect(await home(leader)).to.contain('Phê duyệt quy trình: QT-01/ND-HT');
    await lifecycle().approve(leader.actor, procedureId);
    expect(await home(leader)).to.equal('');
    expect(await home(drafter)).to.contain('Ban hành quy trình đã duyệt: QT-01/ND-HT');
    expect(await home(colleague)).to.contain('Ban hành quy trình đã duyệt: QT-01/ND-HT');
  });

  it('tells the people each step waits for in their inbox, and settles the notice for everyone once the step is taken', async () => {
    const c = await notices(colleague);
    expect(c[0]).to.deep.equal({
      title: 'Xem xét quy trình: QT-01/ND-HT Quy trình đăng ký khai sinh (lần 1) · Xã Nam Dong',
      link: `/procedures/${procedureId}`,
      unread: false,
    });
    expect(c[1]).to.include({ title: 'Ban hành quy trình đã duyệt: QT-01/ND-HT Quy trình đăng ký khai sinh (lần 1) · Xã Nam Dong', unread: true });
    const l = await notices(leader);
    expect(l.map((n) => n.title)).to.deep.equal(['Phê duyệt quy trình: QT-01/ND-HT Quy trình đăng ký khai sinh (lần 1) · Xã Nam Dong']);
    expect(l[0]!.unread, 'settled once the leader approved').to.equal(false);
    expect(
      (await notices(drafter)).map((n) => n.title),
      'the drafter is told only of what waits for them',
    ).to.deep.equal(['Ban hành quy trình đã duyệt: QT-01/ND-HT Quy trình đăng ký khai sinh (lần 1) · Xã Nam Dong']);
  });

  it('clears the step from every list once anyone has taken it', async () => {
    await lifecycle().issue(colleague.actor, procedureId, { issueDate: '2026-03-02' });
    for (const p of [drafter, colleague, leader]) expect(await home(p)).to.equal('');
    for (const p of [drafter, colleague, leader]) expect((await notices(p)).filter((n) => n.unread)).to.deep.equal([]);
  });

  it('keeps what waits in one unit from the people of another', async () => {
    const other = await ctx().userWith('officer', 'LCA-TU-PK', 'canbo.phuckhoa');
    const p = await ctx().built.services.catalog.procedures.create(
      drafter.actor,
      unitId,
      khaiSinhContent((await seedTthcIds()).khaiSinh, { code: 'QT-02/ND-HT' }),
    );
    await lifecycle().submit(drafter.actor, p.id);
    expect(await home(colleague)).to.contain('QT-02/ND-HT');
    expect(await home(other)).to.equal('');
  });

  it('asks the leader to sign off a submitted check and the officers to act on its finding, until each is done', async () => {
    const checkId = await insertCheck(ctx().db, unitId);
    const findingId = await insertFinding(ctx().db, checkId, 'major');
    expect(await home(leader)).to.contain(`Ký xác nhận kết quả đánh giá: Đánh giá nội bộ thử`);
    expect(await home(leader)).to.contain(`href="/checks/${checkId}"`);
    const officerBlock = await home(colleague);
    expect(officerBlock).to.contain(`Lập hành động khắc phục cho điểm không phù hợp: #${findingId} 7.5.3`);
    expect(officerBlock).to.contain(`href="/findings/${findingId}"`);
    const actionId = await insertAction(ctx().db, findingId, drafter.actor.user.id, { status: 'done' });
    await ctx().db('corrective_actions').where('id', actionId).update({ done_at: '2026-03-10T02:00:00.000Z' });
    expect(await home(colleague)).not.to.contain('Lập hành động khắc phục');
    expect(await home(colleague)).to.contain('Kiểm tra hiệu lực hành động khắc phục: Phân công và lập danh mục hồ sơ');
    expect(await home(drafter), 'the owner never verifies their own action').not.to.contain('Kiểm tra hiệu lực');
    await ctx().db('checks').where('id', checkId).update({ signed_off_at: '2026-03-11T02:00:00.000Z', signed_off_by: leader.actor.user.id });
    await ctx().db('corrective_actions').where('id', actionId).update({ status: 'verified' });
    expect(await home(leader)).not.to.contain('Ký xác nhận');
    expect(await home(colleague)).not.to.contain('Kiểm tra hiệu lực');
  });

  it('asks the leader to approve a document draft, then the officers to issue it', async () => {
    const at = '2026-03-12T02:00:00.000Z';
    const [row] = (await ctx()
      .db('documents')
      .insert({
        unit_id: unitId,
        type: 'declaration',
        year: 2026,
        number_seq: 7,
        number_text: '07/QĐ-UBND',
        status: 'draft',
        data_json: '{}',
        created_at: at,
        updated_at: at,
      })
      .returning('id')) as Array<{ id: number } | number>;
    const id = typeof row === 'number' ? row : Number(row!.id);
    expect(await home(leader)).to.contain('Duyệt văn bản: Quyết định công bố');
    expect(await home(leader)).to.contain('07/QĐ-UBND');
    expect(await home(colleague)).not.to.contain('07/QĐ-UBND');
    await ctx().db('documents').where('id', id).update({ status: 'approved', approved_by: leader.actor.user.id, approved_at: at });
    expect(await home(leader)).not.to.contain('07/QĐ-UBND');
    expect(await home(colleague)).to.contain(`Ban hành văn bản đã duyệt: Quyết định công bố`);
    expect(await home(colleague)).to.contain(`href="/documents/${id}"`);
  });

  /** The unread hand-off notices of a user that lead to one page, by title. */
  const waitingAt = async (p: { actor: Actor }, link: string) => (await notices(p)).filter((n) => n.link === link && n.unread).map((n) => n.title);

  it('tells the leader of a prepared document, then the officers once approved, and settles everything once issued', async () => {
    const docs = ctx().built.services.documents;
    const d = await docs.prepare(drafter.actor, unitId, { type: 'declaration' });
    const link = `/documents/${d.id}`;
    const title = `Duyệt văn bản: Quyết định công bố Hệ thống quản lý chất lượng ${d.numberText} · Xã Nam Dong`;
    expect(await waitingAt(leader, link)).to.deep.equal([title]);
    expect(await waitingAt(drafter, link), 'the drafter is not asked to approve their own draft').to.deep.equal([]);
    expect(await waitingAt(colleague, link), 'officers do not approve').to.deep.equal([]);
    expect(await home(leader), 'the home block says the same').to.contain(`Duyệt văn bản: Quyết định công bố Hệ thống quản lý chất lượng ${d.numberText}`);
    await docs.approve(leader.actor, d.id);
    expect(await waitingAt(leader, link), 'settled once approved').to.deep.equal([]);
    expect(await waitingAt(drafter, link)).to.deep.equal([
      `Ban hành văn bản đã duyệt: Quyết định công bố Hệ thống quản lý chất lượng ${d.numberText} · Xã Nam Dong`,
    ]);
    expect(await waitingAt(colleague, link)).to.deep.equal([
      `Ban hành văn bản đã duyệt: Quyết định công bố Hệ thống quản lý chất lượng ${d.numberText} · Xã Nam Dong`,
    ]);
    // What a declaration checks: the system procedures, an audit and a review, the earlier major finding closed.
    await readyToDeclare(ctx(), 'DNO-CJ-ND');
    await ctx().db('check_findings').where({ severity: 'major', status: 'open' }).update({ status: 'closed' });
    await docs.issue(colleague.actor, d.id);
    for (const p of [drafter, colleague, leader]) expect(await waitingAt(p, link)).to.deep.equal([]);
    expect(await home(colleague)).not.to.contain(d.numberText);
  });

  it('tells the leader to sign off a submitted check and the officers to act on each open finding, not the submitter', async () => {
    const checkId = await insertCheck(ctx().db, unitId, { status: 'in_progress' });
    const form = {
      ...findingsForm,
      sections: findingsForm.sections.map((s) => ({ ...s, items: s.items.map((i) => ({ ...i, findings: [{ when: { equals: 'no' }, severity: 'major' }] })) })),
    };
    await ctx()
      .db('checks')
      .where('id', checkId)
      .update({ form_json: JSON.stringify(form) });
    for (const [itemId, value] of [
      ['i1', 'no'],
      ['i2', 'yes'],
    ])
      await ctx().db('check_answers').insert({
        check_id: checkId,
        section_id: 's1',
        item_id: itemId,
        value,
        answered_by: drafter.actor.user.id,
        answered_at: '2026-03-02T02:00:00.000Z',
        version: 1,
      });
    await ctx().built.services.checks.submit(drafter.actor, checkId);
    const finding = (await ctx().db('check_findings').where('check_id', checkId).first('id')) as { id: number };
    submittedFinding = Number(finding.id);
    const findingLink = `/findings/${Number(finding.id)}`;
    expect(await waitingAt(leader, `/checks/${checkId}`)).to.deep.equal(['Ký xác nhận kết quả đánh giá: Đánh giá nội bộ thử · Xã Nam Dong']);
    expect(await waitingAt(colleague, findingLink)).to.deep.equal([
      `Lập hành động khắc phục cho điểm không phù hợp: #${Number(finding.id)} 7.5.3 · Xã Nam Dong`,
    ]);
    expect(await waitingAt(drafter, findingLink), 'the submitter is not told of their own step').to.deep.equal([]);
    expect(await waitingAt(leader, findingLink), 'a finding waits for the officers').to.deep.equal([]);
    await ctx().built.services.checks.cycles.signOff(leader.actor, checkId);
    expect(await waitingAt(leader, `/checks/${checkId}`), 'settled once signed off').to.deep.equal([]);
    expect(await waitingAt(colleague, findingLink), 'the finding still waits for its action').to.have.length(1);
    expect(await home(leader)).not.to.contain(`href="/checks/${checkId}"`);
  });

  it('settles the finding once an action is recorded, asks others to verify the action once done, and settles it once verified', async () => {
    const actions = ctx().built.services.actions;
    const findingId = submittedFinding;
    const findingLink = `/findings/${findingId}`;
    const a = await actions.create(colleague.actor, findingId, {
      cause: 'Chưa phân công',
      action: 'Lập danh mục hồ sơ lưu trữ',
      owner: drafter.username,
      dueDate: '2026-04-30',
    });
    expect(await waitingAt(colleague, findingLink)).to.deep.equal([]);
    await actions.transition(drafter.actor, a.id, { to: 'in_progress' });
    expect(await waitingAt(colleague, findingLink), 'work in progress waits for nobody else').to.deep.equal([]);
    await actions.transition(drafter.actor, a.id, { to: 'done' });
    const verify = 'Kiểm tra hiệu lực hành động khắc phục: Lập danh mục hồ sơ lưu trữ · Xã Nam Dong';
    expect(await waitingAt(colleague, findingLink)).to.deep.equal([verify]);
    expect(await waitingAt(leader, findingLink)).to.deep.equal([verify]);
    expect(await waitingAt(drafter, findingLink), 'the owner never verifies their own action').to.deep.equal([]);
    await actions.transition(leader.actor, a.id, { to: 'verified' });
    for (const p of [drafter, colleague, leader]) expect(await waitingAt(p, findingLink)).to.deep.equal([]);
    expect(await home(colleague)).not.to.contain('Lập danh mục hồ sơ lưu trữ');
  });

  it('never tells the owner of an action someone else marked done, and settles it when reopened', async () => {
    const actions = ctx().built.services.actions;
    const checkId = await insertCheck(ctx().db, unitId);
    const findingId = await insertFinding(ctx().db, checkId, 'minor');
    const a = await actions.create(colleague.actor, findingId, {
      cause: 'Chưa rà soát',
      action: 'Rà soát sổ theo dõi',
      owner: drafter.username,
      dueDate: '2026-04-30',
    });
    await actions.transition(drafter.actor, a.id, { to: 'in_progress' });
    await actions.transition(colleague.actor, a.id, { to: 'done' });
    const link = `/findings/${findingId}`;
    expect(await waitingAt(drafter, link)).to.deep.equal([]);
    expect(await waitingAt(leader, link), 'the others verify it').to.have.length(1);
    await actions.transition(leader.actor, a.id, { to: 'reopened', note: 'Sổ chưa được cập nhật' });
    for (const p of [drafter, colleague, leader]) expect(await waitingAt(p, link)).to.deep.equal([]);
  });

  it('keeps the notices of a step in one unit from the people of another', async () => {
    const other = await ctx().userWith('leader', 'LCA-TU-PK', 'lanhdao.phuckhoa');
    const d = await ctx().built.services.documents.prepare(drafter.actor, unitId, { type: 'declaration' });
    expect(await waitingAt(leader, `/documents/${d.id}`)).to.have.length(1);
    expect(await notices({ actor: { user: other.user } })).to.deep.equal([]);
  });

  it('names on the page whom the step was handed on to, once', async () => {
    const p = await ctx().built.services.catalog.procedures.create(
      drafter.actor,
      unitId,
      khaiSinhContent((await seedTthcIds()).khaiSinh, { code: 'QT-03/ND-HT' }),
    );
    const agent = await ctx().signIn(drafter.username, drafter.password);
    const res = await agent.form(`/procedures/${p.id}/submit`, {});
    expect(res.status).to.equal(302);
    const page = await agent.get(res.headers.location as string);
    expect(page.text).to.contain(`Đã lưu. Đã báo: Người dùng ${colleague.username}.`);
    expect((await agent.get(`/procedures/${p.id}`)).text, 'shown once').not.to.contain('Đã báo:');
  });

  async function seedTthcIds(): Promise<{ khaiSinh: number }> {
    const row = (await ctx().db('tthc').where('code', '1.001193').orderBy('id').first('id')) as { id: number };
    return { khaiSinh: Number(row.id) };
  }
});
