import ExcelJS from 'exceljs';
import { expect } from 'chai';
import { forEachDatabase } from '../helpers/app.ts';
import { buildWorld, form, post, viHtml, viMsg, type World } from '../fixtures/inspections-world.ts';

async function workbook(rows: string[][], headers = ['Họ và tên', 'Chức vụ', 'Bộ phận', 'Số thẻ']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sách cán bộ');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

forEachDatabase('inspections: teams, yearly plans and staff lists', (ctx) => {
  let w: World;
  const count = async (t: string) => Number(((await ctx().db(t).count({ n: '*' }).first()) as { n: unknown }).n);

  before(async function () {
    this.timeout(60_000);
    w = await buildWorld(ctx());
  });

  it('a coordinator forms a team with a leader, members and assigned units; unknown names are refused on their field', async () => {
    const teams = await count('inspection_teams');
    const bad = await form(w.coordinator, '/teams', {
      unitId: String(w.dno),
      name: 'Tổ 2',
      year: '2026',
      leader: 'khong-co-ai',
      members: '',
      units: 'DNO-CJ-ET',
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include(viHtml('v.person_not_in_scope'));
    // A unit of another province cannot be assigned.
    const other = await form(w.coordinator, '/teams', {
      unitId: String(w.dno),
      name: 'Tổ 2',
      year: '2026',
      leader: w.member.username,
      members: '',
      units: 'LCA-TU-PK',
    });
    expect(other.status).to.equal(422);
    expect(other.text).to.include(viHtml('v.insp_unit_unknown', { code: 'LCA-TU-PK' }));
    expect(await count('inspection_teams')).to.equal(teams);
    const ok = await form(w.coordinator, '/teams', {
      unitId: String(w.dno),
      name: 'Tổ 2',
      year: '2026',
      leader: w.member.username,
      members: w.loneInspector.username,
      units: 'DNO-CJ-ET',
    });
    expect(ok.status).to.equal(302);
    const teamId = Number(/\/teams\/(\d+)/.exec(String(ok.headers.location))![1]);
    const api = await w.coordinator.agent.get(`/api/v1/teams/${teamId}`);
    const t = (api.body as { data: { members: Array<{ username: string; isLeader: boolean }>; units: Array<{ code: string }> } }).data;
    expect(t.members.map((m) => [m.username, m.isLeader]).sort()).to.deep.equal(
      [
        [w.loneInspector.username, false],
        [w.member.username, true],
      ].sort(),
    );
    expect(t.units.map((u) => u.code)).to.deep.equal(['DNO-CJ-ET']);
    // Others: a member reads it; an officer or the other province's coordinator does not see it.
    expect((await w.loneInspector.agent.get(`/teams/${teamId}`)).status).to.equal(200);
    expect((await w.officerNd.agent.get(`/teams/${teamId}`)).status).to.equal(404);
    expect((await w.outsider.agent.get(`/api/v1/teams/${teamId}`)).status).to.equal(404);
    expect((await w.outsider.agent.get('/teams/new')).status).to.equal(200);
    expect((await w.officerNd.agent.get('/teams/new')).status).to.equal(404);
  });

  it("keeps a yearly plan of units, months and themes inside the team's assignment; a team member starts a planned inspection from it", async () => {
    const out = await form(w.coordinator, `/teams/${w.teamId}/plan`, { year: '2026', unitCode: 'DNO-SKHCN', month: '4', theme: 'Văn hóa công sở' });
    expect(out.status).to.equal(422);
    expect(out.text).to.include(viHtml('v.insp_unit_not_assigned'));
    const badMonth = await form(w.coordinator, `/teams/${w.teamId}/plan`, { year: '2026', unitCode: 'DNO-CJ-ND', month: '13', theme: 'Văn hóa công sở' });
    expect(badMonth.status).to.equal(422);
    expect(badMonth.text).to.include(viHtml('v.insp_month'));
    expect(await count('inspection_plan_items')).to.equal(0);
    for (const [unitCode, month] of [
      ['DNO-CJ-ND', '3'],
      ['DNO-CJ-ET', '5'],
    ]) {
      expect(
        (await form(w.coordinator, `/teams/${w.teamId}/plan`, { year: '2026', unitCode: unitCode!, month: month!, theme: 'Kỷ luật, kỷ cương hành chính' }))
          .status,
      ).to.equal(302);
    }
    expect((await form(w.member, `/teams/${w.teamId}/plan`, { year: '2026', unitCode: 'DNO-CJ-ND', month: '6', theme: 'x' })).status).to.equal(404);
    const plan = (await w.member.agent.get(`/api/v1/teams/${w.teamId}?year=2026`)).body as {
      data: { plan: { items: Array<{ id: number; unitCode: string; month: number; inspectionId: number | null }> } };
    };
    expect(plan.data.plan.items.map((i) => [i.month, i.unitCode])).to.deep.equal([
      [3, 'DNO-CJ-ND'],
      [5, 'DNO-CJ-ET'],
    ]);
    const item = plan.data.plan.items[0]!;
    const started = await form(w.member, '/inspections', { planItemId: String(item.id) });
    expect(started.status).to.equal(302);
    const again = await form(w.inspector, '/inspections', { planItemId: String(item.id) });
    expect(again.status).to.equal(409);
    const after = (await w.member.agent.get(`/api/v1/teams/${w.teamId}?year=2026`)).body as {
      data: { plan: { items: Array<{ inspectionId: number | null }> } };
    };
    expect(after.data.plan.items[0]!.inspectionId).to.be.a('number');
    const list = (await w.member.agent.get('/api/v1/inspections')).body as { data: Array<{ kind: string; planItemId: number | null }> };
    expect(list.data.map((i) => [i.kind, i.planItemId])).to.deep.equal([['planned', item.id]]);
  });

  it("keeps a unit's staff list and refuses the same official twice (same name and position, or same badge)", async () => {
    const add = (b: Record<string, string>) => form(w.officerEt, `/units/${w.et}/officials`, { department: '', badgeNo: '', ...b });
    expect((await add({ fullName: 'Y Bhăm Niê', position: 'Chủ tịch UBND', badgeNo: 'ET-01' })).status).to.equal(302);
    const twice = await add({ fullName: 'y bham nie', position: 'CHỦ TỊCH UBND' });
    expect(twice.status).to.equal(422);
    expect(twice.text).to.include(viHtml('v.insp_official_twice'));
    const badge = await add({ fullName: "H'Hen Niê", position: 'Công chức Tư pháp', badgeNo: 'ET-01' });
    expect(badge.status).to.equal(422);
    expect(badge.text).to.include(viHtml('v.insp_badge_twice', { badge: 'ET-01' }));
    expect(badge.text).to.include('value="H&#39;Hen Niê"');
    expect(await count('unit_officials')).to.equal(1);
    // The officer of another unit does not see this list; the unit's leader reads it, without the buttons.
    expect((await w.officerNd.agent.get(`/units/${w.et}/officials`)).status).to.equal(404);
    const leader = await w.leaderEt.agent.get(`/units/${w.et}/officials`);
    expect(leader.status).to.equal(200);
    expect(leader.text).to.include('Y Bhăm Niê');
    expect(leader.text).not.to.include('/deactivate');
    // Deactivated (left the unit), the same person can be added again.
    const row = (await ctx().db('unit_officials').where('badge_no', 'ET-01').first('id')) as { id: number };
    expect((await form(w.officerEt, `/officials/${row.id}/deactivate`, {})).status).to.equal(302);
    expect((await add({ fullName: 'Y Bhăm Niê', position: 'Chủ tịch UBND', badgeNo: 'ET-01' })).status).to.equal(302);
    const back = await form(w.officerEt, `/officials/${row.id}/activate`, {});
    expect(back.status).to.equal(422);
    const edit = await form(w.officerEt, `/officials/${row.id}/edit`, { fullName: 'Y Bhăm Niê', position: 'Nguyên Chủ tịch', department: '', badgeNo: '' });
    expect(edit.status).to.equal(302);
  });

  it('imports a staff list from .xlsx, reporting every bad row and adding nothing then; exports it back', async () => {
    const before = await count('unit_officials');
    const bad = await workbook([
      ['Nguyễn Văn Một', 'Công chức Văn hóa', '', 'ND-11'],
      ['', 'Không tên', '', ''],
      ['Nguyễn Văn Một', 'Công chức Văn hóa', '', ''],
      ['Trần Hai', 'Bảo vệ', '', 'ND-11'],
    ]);
    const res = await w.officerNd.agent.post(`/units/${w.nd}/officials/import`).field('_csrf', w.officerNd.token).attach('file', bad, 'ds.xlsx');
    expect(res.status).to.equal(422);
    expect(res.text).to.include(viHtml('errors.IMPORT_ROWS', { count: 3 }));
    expect(res.text).to.include(viHtml('v.insp_official_twice'));
    expect(res.text).to.include(viHtml('v.insp_badge_twice', { badge: 'ND-11' }));
    expect(await count('unit_officials')).to.equal(before);
    const notXlsx = await w.officerNd.agent
      .post(`/units/${w.nd}/officials/import`)
      .field('_csrf', w.officerNd.token)
      .attach('file', Buffer.from('a,b'), 'ds.csv');
    expect(notXlsx.status).to.equal(422);
    expect(notXlsx.text).to.include(viHtml('errors.IMPORT_NOT_XLSX'));
    const good = await workbook([
      ['Nguyễn Văn Một', 'Công chức Văn hóa', 'UBND', 'ND-11'],
      ['Trần Hai', 'Bảo vệ', '', ''],
    ]);
    const ok = await w.officerNd.agent.post(`/units/${w.nd}/officials/import`).field('_csrf', w.officerNd.token).attach('file', good, 'ds.xlsx');
    expect(ok.status).to.equal(200);
    expect(ok.text).to.include(viHtml('insp.imported', { added: 2, skipped: 0 }));
    const exported = await w.officerNd.agent
      .get(`/units/${w.nd}/officials/export.xlsx`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(exported.status).to.equal(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.body as ArrayBuffer);
    const names = wb.worksheets[0]!.getColumn(1).values.slice(2);
    expect(names).to.deep.equal(['Nguyễn Văn Một', 'Trần Hai']);
    // The exported file imports back as it is: nothing new.
    const round = await w.officerNd.agent
      .post(`/units/${w.nd}/officials/import`)
      .field('_csrf', w.officerNd.token)
      .attach('file', exported.body as Buffer, 'ds.xlsx');
    expect(round.status).to.equal(200);
    expect(round.text).to.include(viHtml('insp.imported', { added: 0, skipped: 2 }));
    expect(viMsg('insp.title')).to.equal('Kiểm tra công vụ');
  });

  it('answers 404 to the staff list of a unit outside the scope, for reading, adding and importing', async () => {
    expect((await w.outsider.agent.get(`/units/${w.nd}/officials`)).status).to.equal(404);
    expect((await form(w.outsider, `/units/${w.nd}/officials`, { fullName: 'A', position: 'B' })).status).to.equal(404);
    expect((await form(w.viewer, `/units/${w.nd}/officials`, { fullName: 'A', position: 'B' })).status).to.equal(404);
    expect((await post(w.outsider, '/api/v1/teams', { unitId: w.dno, name: 'x', year: 2026, leader: w.member.username, units: 'DNO-CJ' })).status).to.equal(
      422,
    );
  });
});
