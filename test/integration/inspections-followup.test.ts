import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect } from 'chai';
import { inspectPlugin, type InspectedPlugin } from '../../src/plugins/testing.ts';
import type { NotificationDraft } from '../../src/plugins/contract.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { reminderContext } from '../helpers/reminder-context.ts';
import { addOfficials, buildWorld, post, put, type World } from '../fixtures/inspections-world.ts';

const pluginDir = path.resolve(import.meta.dirname, '../../plugins/discipline-inspection');

forEachDatabase('inspections: reminders of correction deadlines and the statistics', (ctx) => {
  let w: World;
  let plugin: InspectedPlugin;
  const inspections: number[] = [];

  /** One inspection of Nam Dong on the clock's day: the smoker smokes, the office is untidy. */
  async function inspect(corrections: Array<{ text: string; responsible: string; deadline: string }>): Promise<number> {
    const started = await post(w.inspector, '/api/v1/inspections', { unitCode: 'DNO-CJ-ND' });
    expect(started.status, started.text).to.equal(201);
    const d = (started.body as { data: { id: number; attendance: Array<{ id: number; fullName: string }> } }).data;
    await put(w.inspector, `/api/v1/inspections/${d.id}/arrival`, { arrivedAt: new Date(ctx().clock.now().getTime() - 3600_000).toISOString() });
    for (const a of d.attendance) {
      await put(w.inspector, `/api/v1/inspections/${d.id}/attendance/${a.id}`, { presence: 'present' });
      if (a.fullName === 'Hút Thuốc Lá') await put(w.inspector, `/api/v1/inspections/${d.id}/answers/smoking`, { attendanceId: a.id, value: 'no' });
    }
    await put(w.inspector, `/api/v1/inspections/${d.id}/answers/tidy`, { value: 'no' });
    expect((await post(w.inspector, `/api/v1/inspections/${d.id}/close`, { teamLeaderName: 'Tổ trưởng', unitRepresentativeName: 'Đại diện' })).status).to.equal(
      200,
    );
    const c = await post(w.inspector, `/api/v1/inspections/${d.id}/conclusion`, { text: 'Kết luận', corrections });
    expect(c.status, c.text).to.equal(200);
    inspections.push(d.id);
    return d.id;
  }

  const run = async (at: string): Promise<NotificationDraft[]> => {
    const r = plugin.reminders.find((x) => x.id === 'conclusion-deadlines')!;
    return r.handler({ ...reminderContext(plugin, r.id, at), reads: w.built.services.reads });
  };

  before(async function () {
    this.timeout(60_000);
    w = await buildWorld(ctx());
    plugin = await inspectPlugin(pluginDir);
    await addOfficials(w.officerNd, w.nd, [
      { fullName: 'Hút Thuốc Lá', position: 'Công chức Văn hóa' },
      { fullName: 'Gương Mẫu', position: 'Phó Chủ tịch' },
    ]);
    ctx().clock.set('2026-03-02T02:00:00Z');
    await inspect([
      { text: 'Cấm hút thuốc trong phòng làm việc', responsible: 'Văn phòng', deadline: '2026-03-04' },
      { text: 'Sắp xếp hồ sơ', responsible: 'Văn phòng', deadline: '2026-04-30' },
    ]);
    ctx().clock.set('2026-05-12T02:00:00Z');
    await inspect([]);
  });

  it("reminds the unit's officer and leader and the team leader of a correction due within the lead days, once per band", async () => {
    // Monday 2 March 2026, 07:00 in Viet Nam: the first correction is due on the 4th (lead 3 days).
    const soon = await run('2026-03-02T00:00:00Z');
    expect(soon.map((n) => [n.dedupeKey, JSON.stringify(n.recipient)])).to.have.deep.members([
      [`correction:${await idOf('Cấm hút thuốc')}:soon`, JSON.stringify({ role: 'officer', unitId: w.nd })],
      [`correction:${await idOf('Cấm hút thuốc')}:soon`, JSON.stringify({ role: 'leader', unitId: w.nd })],
      [`correction:${await idOf('Cấm hút thuốc')}:soon`, JSON.stringify({ userId: w.inspector.userId })],
    ]);
    expect(soon[0]!.title.vi).to.equal('Sắp đến hạn khắc phục theo kết luận kiểm tra');
    expect(soon[0]!.body!.vi).to.include('Xã Nam Dong');
    expect(soon[0]!.link).to.equal(`/inspections/${inspections[0]}#c-${await idOf('Cấm hút thuốc')}`);
    // Later both are overdue; a band is a new key, so each is heard of again once.
    const late = await run('2026-05-11T00:00:00Z');
    expect([...new Set(late.map((n) => n.dedupeKey))].sort()).to.deep.equal(
      [`correction:${await idOf('Cấm hút thuốc')}:overdue`, `correction:${await idOf('Sắp xếp hồ sơ')}:overdue`].sort(),
    );
    const tidyKey = `correction:${await idOf('Sắp xếp hồ sơ')}`;
    expect(late.find((n) => n.dedupeKey.startsWith(tidyKey))!.body!.vi).to.include('quá hạn 11 ngày');
    // Answered corrections are no longer reminded of.
    await post(w.officerNd, `/api/v1/corrections/${await idOf('Cấm hút thuốc')}/answer`, { answer: 'Đã treo biển cấm hút thuốc' });
    const after = await run('2026-05-11T00:00:00Z');
    expect([...new Set(after.map((n) => n.dedupeKey))]).to.deep.equal([`correction:${await idOf('Sắp xếp hồ sơ')}:overdue`]);
  });

  async function idOf(prefix: string): Promise<number> {
    const row = (await ctx().db('inspection_corrections').where('text', 'like', `${prefix}%`).first('id')) as { id: number };
    return Number(row.id);
  }

  it('counts inspections and violations by month, type and unit, and names the official who repeats', async () => {
    const page = await w.coordinator.agent.get('/inspections/stats?year=2026');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('<svg');
    expect(/id="st-inspections">(\d+)</.exec(page.text)![1]).to.equal('2');
    expect(/id="st-violations">(\d+)</.exec(page.text)![1]).to.equal('4');
    const s = await w.built.services.inspections.stats.compute({ user: (await w.built.services.users.sessionUser(w.coordinator.userId))! }, 2026, 'vi');
    expect(s.byMonth.filter((m) => m.done).map((m) => [m.month, m.done, m.unannounced, m.violations])).to.deep.equal([
      [3, 1, 1, 2],
      [5, 1, 1, 2],
    ]);
    expect(s.byKind.map((k) => [k.key, k.value]).sort()).to.deep.equal([
      ['smoking', 2],
      ['tidy', 2],
    ]);
    expect(s.byUnit.map((u) => [u.label, u.value])).to.deep.equal([['Xã Nam Dong', 4]]);
    expect(s.repeatedUnits.map((r) => [r.unitName, r.inspections])).to.deep.equal([['Xã Nam Dong', 2]]);
    expect(s.repeatedOfficials.map((r) => [r.fullName, r.inspections, r.violations])).to.deep.equal([['Hút Thuốc Lá', 2, 2]]);
    // The other province's coordinator counts nothing of it.
    const other = await w.built.services.inspections.stats.compute({ user: (await w.built.services.users.sessionUser(w.outsider.userId))! }, 2026, 'vi');
    expect([other.inspections, other.violations, other.repeatedOfficials.length]).to.deep.equal([0, 0, 0]);
  });

  it('shows a record closed after the figures were read at once (their cache is cleared)', async () => {
    const before = await w.coordinator.agent.get('/inspections/stats?year=2026');
    expect(/id="st-inspections">(\d+)</.exec(before.text)![1]).to.equal('2');
    ctx().clock.set('2026-06-03T02:00:00Z');
    await inspect([]);
    const after = await w.coordinator.agent.get('/inspections/stats?year=2026');
    expect(/id="st-inspections">(\d+)</.exec(after.text)![1]).to.equal('3');
    expect(/id="st-violations">(\d+)</.exec(after.text)![1]).to.equal('6');
  });

  it('lists the inspections a page at a time, newest first, in the API and on the page', async () => {
    const list = async (q: string) =>
      (await w.coordinator.agent.get(`/api/v1/inspections?${q}`)).body as {
        data: Array<{ id: number; inspectionDate: string }>;
        meta: { total: number; page: number; pageSize: number; pages: number };
      };
    const all = await list('pageSize=200');
    expect(all.meta.total).to.equal(3);
    expect(all.data.map((i) => i.id)).to.deep.equal([...inspections].reverse());
    const second = await list('pageSize=1&page=2');
    expect(second.meta).to.deep.equal({ total: 3, page: 2, pageSize: 1, pages: 3 });
    expect(second.data.map((i) => i.id)).to.deep.equal([all.data[1]!.id]);
    expect((await w.coordinator.agent.get('/api/v1/inspections?pageSize=500')).status).to.equal(422);
    const page = await w.coordinator.agent.get('/inspections?page=2&pageSize=1');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('rel="prev"').and.to.include('rel="next"');
    // The page's own links make its filters: one it cannot read shows the whole list.
    expect((await w.coordinator.agent.get('/inspections?status=finished&page=abc')).status).to.equal(200);
  });

  it('exports the same figures to .xlsx', async () => {
    const res = await w.coordinator.agent
      .get('/inspections/stats.xlsx?year=2026')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).to.deep.equal(['Theo tháng', 'Theo loại vi phạm', 'Theo đơn vị', 'Đơn vị tái phạm', 'Cá nhân tái phạm']);
    expect(wb.getWorksheet('Cá nhân tái phạm')!.getRow(2).values).to.deep.equal([undefined, 'Hút Thuốc Lá', 'Xã Nam Dong', 3, 3]);
  });
});
