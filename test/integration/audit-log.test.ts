import ExcelJS from 'exceljs';
import { expect } from 'chai';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { seedTthc } from '../fixtures/catalog.ts';

const password = 'mat-khau-thu-nghiem-1';

forEachDatabase('the audit log in the reader’s words', (ctx) => {
  let nd: number;
  let pk: number;
  before(async () => {
    await seedTree(ctx());
    nd = await ctx().unitId('DNO-CJ-ND');
    pk = await ctx().unitId('LCA-TU-PK');
    const admin = await ctx().signIn('root', password);
    // 01:30 on 2 March in Viet Nam is still 1 March in UTC; 00:30 on 3 March is 2 March in UTC.
    ctx().clock.set('2026-03-01T18:30:00Z');
    await admin.form(`/units/${nd}/iso-state`, { state: 'building', standard: '2015', reason: 'Khởi động xây dựng' });
    ctx().clock.set('2026-03-02T17:30:00Z');
    await admin.form(`/units/${nd}/iso-state`, { state: 'applying', standard: '2015', reason: 'Áp dụng từ tháng 3' });
    await admin.form(`/units/${pk}/iso-state`, { state: 'building', standard: '2015', reason: 'Lai Châu khởi động' });
  });

  it('shows actions, records, fields and values in words, with local times, and no internal key', async () => {
    const agent = await ctx().signIn('root', password);
    const res = await agent.get(`/audit?entity=unit&entityId=${nd}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Trạng thái ISO');
    expect(res.text).to.match(
      /Trạng thái ISO:<\/strong> <del>Đang xây dựng<\/del> → <ins>Đang áp dụng<\/ins>|Trạng thái ISO:<\/strong> <del>[^<]+<\/del> → <ins>[^<]+<\/ins>/,
    );
    expect(res.text).to.contain('03/03/2026 00:30');
    expect(res.text).to.contain('02/03/2026 01:30');
    const body = res.text.replace(/<details class="technical">[\s\S]*?<\/details>/g, '');
    expect(body).not.to.match(/audit\.(actions|entities|fields)\./);
    expect(body).not.to.match(/\bisoState\b|\bin_progress\b|"isoState"/);
  });

  it('filters by local day: a day starts at midnight in Viet Nam, not in UTC', async () => {
    const agent = await ctx().signIn('root', password);
    const third = await agent.get(`/audit?entity=unit&action=iso_state&from=03/03/2026&to=03/03/2026`);
    expect(third.status).to.equal(200);
    expect(third.text).to.contain('Áp dụng từ tháng 3');
    expect(third.text).to.contain('Lai Châu khởi động');
    expect(third.text).not.to.contain('02/03/2026 01:30');
    const second = await agent.get(`/audit?entity=unit&action=iso_state&from=2026-03-02&to=02/03/2026`);
    expect(second.text).to.contain('02/03/2026 01:30');
    expect(second.text).not.to.contain('Áp dụng từ tháng 3');
  });

  it('filters by a unit code in any case, with the units under it', async () => {
    const agent = await ctx().signIn('root', password);
    const province = await agent.get('/audit?unit=dno&action=iso_state');
    expect(province.text).to.contain('Khởi động xây dựng');
    expect(province.text).not.to.contain('Lai Châu khởi động');
  });

  it('filters by the person and lists only the people of the caller’s part of the log', async () => {
    const coordinator = await ctx().userWith('coordinator', 'LCA', 'dieuphoi.lca');
    const agent = await ctx().signIn(coordinator.username, coordinator.password);
    const page = await agent.get('/audit');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Lai Châu khởi động');
    expect(page.text).not.to.contain('Khởi động xây dựng');
    const rootId = ((await ctx().db('users').where('username', 'root').first('id')) as { id: number }).id;
    const byRoot = await agent.get(`/audit?userId=${rootId}`);
    expect(byRoot.text).to.contain('Lai Châu khởi động');
  });

  it('answers a unit outside the scope like an unknown one, on the redisplayed form', async () => {
    const coordinator = await ctx().userWith('coordinator', 'LCA', 'dieuphoi.lca2');
    const agent = await ctx().signIn(coordinator.username, coordinator.password);
    for (const code of ['DNO-CJ-ND', 'KHONG-CO']) {
      const res = await agent.get(`/audit?unit=${code}&from=01/03/2026`);
      expect(res.status, code).to.equal(422);
      expect(res.text).to.contain('Không tìm thấy đơn vị có mã này trong phạm vi của bạn.');
      expect(res.text).to.contain(`value="${code}"`);
      expect(res.text).to.contain('value="01/03/2026"');
    }
  });

  it('refuses a day that does not exist and a range that ends before it starts, saying which field', async () => {
    const agent = await ctx().signIn('root', password);
    const bad = await agent.get('/audit?from=31/02/2026');
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Ngày không hợp lệ (ngày/tháng/năm, ví dụ 15/12/2026).');
    const reversed = await agent.get('/audit?from=05/03/2026&to=01/03/2026');
    expect(reversed.status).to.equal(422);
    expect(reversed.text).to.contain('Ngày kết thúc phải sau ngày bắt đầu.');
    expect((await agent.get('/audit?action=drop_table')).status).to.equal(422);
  });

  it('exports the filtered log to Excel with the same words', async () => {
    const agent = await ctx().signIn('root', password);
    const res = await agent
      .get('/audit/export.xlsx?action=iso_state&unit=DNO')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect(res.headers['content-disposition']).to.contain('nhat-ky-thay-doi.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]!.slice(1)).to.deep.equal(['Thời điểm', 'Người thực hiện', 'Hành động', 'Đối tượng', 'Đơn vị', 'Thay đổi']);
    expect(rows).to.have.length(3);
    expect(String(rows[1]![3])).to.equal('Trạng thái ISO');
    expect(String(rows[1]![6])).to.contain('Lý do: Khởi động xây dựng → Áp dụng từ tháng 3');
    expect(String(rows[1]![1])).to.equal('03/03/2026 00:30');
  });

  it('links a record to its own history for those who read the log, and hides the link from the others', async () => {
    const ids = await seedTthc(ctx());
    const admin = await ctx().signIn('root', password);
    const page = await admin.get(`/tthc/${ids.khaiSinh}`);
    expect(page.text).to.contain(`href="/audit?entity=tthc&amp;entityId=${ids.khaiSinh}"`);
    const history = await admin.get(`/audit?entity=tthc&entityId=${ids.khaiSinh}`);
    expect(history.text).to.contain('Đăng ký khai sinh');
    expect(history.text).not.to.contain('Đăng ký kết hôn');
    const officer = await ctx().userWith('officer', 'DNO-CJ-ND', 'canbo.history');
    const seen = await (await ctx().signIn(officer.username, officer.password)).get(`/tthc/${ids.khaiSinh}`);
    expect(seen.status).to.equal(200);
    expect(seen.text).not.to.contain('/audit?entity=');
  });
});
