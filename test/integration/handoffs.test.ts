import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { khaiSinhContent, seedTthc } from '../fixtures/catalog.ts';
import { insertAction, insertCheck, insertFinding } from '../fixtures/actions-data.ts';

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

  async function seedTthcIds(): Promise<{ khaiSinh: number }> {
    const row = (await ctx().db('tthc').where('code', '1.001193').orderBy('id').first('id')) as { id: number };
    return { khaiSinh: Number(row.id) };
  }
});
