import { expect } from 'chai';
import type { Knex } from 'knex';
import type { BrowserContext, Page } from 'playwright-core';
import type { Actor } from '../../src/lib/actor.ts';
import { describeInBrowser, openPage, signInThroughForm } from '../helpers/browser.ts';

const at = '2025-01-10T02:00:00.000Z';

/** An issued procedure with its revision in force, written straight into the catalog's tables. */
async function issued(db: Knex, unitId: number, tthcId: number, code: string, title: string, revisionNo: number, issueDate: string): Promise<void> {
  const [row] = (await db('procedures')
    .insert({
      unit_id: unitId,
      code,
      title,
      kind: 'tthc',
      tthc_id: tthcId,
      status: 'issued',
      revision_no: revisionNo,
      issue_date: issueDate,
      search_text: code,
      created_at: at,
      updated_at: at,
    })
    .returning('id')) as Array<{ id: number } | number>;
  const id = typeof row === 'number' ? row : Number(row!.id);
  await db('procedure_revisions').insert({
    procedure_id: id,
    revision_no: revisionNo,
    status: 'issued',
    code,
    title,
    kind: 'tthc',
    tthc_id: tthcId,
    issue_date: issueDate,
    created_at: at,
    updated_at: at,
  });
  await db('unit_tthc').insert({ unit_id: unitId, tthc_id: tthcId, adopted_at: at, created_at: at, updated_at: at });
}

/**
 * The officer of a commune made by the 2025 merger opens the carry-over screen in a real
 * Chromium, sees the two predecessors' procedures for the same TTHC side by side, picks the older
 * one instead of the proposed one, submits, and finds the drafts with their lineage.
 */
describeInBrowser('browser: carrying the predecessors over after a merger', (ctx) => {
  const password = 'mật-khẩu-thử-nghiệm-2026';
  let context: BrowserContext;
  let page: Page;
  let target: number;
  const problems: string[] = [];

  before(async function () {
    this.timeout(30_000);
    const s = ctx().app.booted.built.services;
    const db = ctx().app.booted.db;
    const admin: Actor = { user: await s.users.create(undefined, { username: 'quantri', fullName: 'Quản trị', password }, { admin: true }) };
    const dno = await s.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
    const nd = await s.units.create(admin, { code: 'ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id });
    const et = await s.units.create(admin, { code: 'ET', name: "Thị trấn Ea T'ling", kind: 'town', parentId: dno.id });
    const [t] = (await db('tthc')
      .insert({
        province_id: dno.id,
        code: '1.001193',
        name: 'Đăng ký khai sinh',
        field: 'Hộ tịch',
        level: 'commune',
        search_text: '1.001193',
        created_at: at,
        updated_at: at,
      })
      .returning('id')) as Array<{ id: number } | number>;
    const tthcId = typeof t === 'number' ? t : Number(t!.id);
    await issued(db, nd.id, tthcId, 'QT-01/ND-HT', 'Quy trình đăng ký khai sinh', 2, '2025-03-01');
    await issued(db, et.id, tthcId, 'QT-05/ET-HT', "Quy trình đăng ký khai sinh (Ea T'ling)", 3, '2025-05-10');
    const made = await s.units.create(admin, { code: 'NDM', name: 'Xã Nam Dong mới', kind: 'commune', parentId: dno.id });
    target = made.id;
    await s.units.merge(admin, target, { sources: 'ND, ET', date: '2025-07-01', resolutionNumber: '1660/NQ-UBTVQH15', resolutionDate: '2025-06-16' });
    const o = await s.users.create(admin, { username: 'canbo.ndm', fullName: 'Nguyễn Văn Bình', password });
    await s.users.addRole(admin, o.id, { role: 'officer', unitId: target });
    ({ context, page } = await openPage(ctx().browser, problems, { viewport: { width: 1400, height: 900 } }));
  });

  after(async () => {
    await context?.close();
  });

  it('the officer follows the task on the home page to the carry-over screen', async () => {
    await signInThroughForm(page, ctx().app.baseUrl, 'canbo.ndm', password);
    expect(new URL(page.url()).pathname).to.equal('/home');
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/units/${target}/carry-over`),
      page.getByRole('link', { name: /Công bố lại sau sáp nhập/ }).click(),
    ]);
    expect(await page.locator('h1').innerText()).to.equal('Kế thừa từ đơn vị tiền thân: Xã Nam Dong mới');
    expect(await page.getByText('Hai đơn vị cùng có quy trình cho TTHC này: chọn một bản').isVisible()).to.equal(true);
  });

  it('sees both procedures side by side, the most recent proposed, and picks the other', async () => {
    const sources = page.locator('.side-by-side label.source');
    expect(await sources.count()).to.equal(2);
    const proposed = page.getByRole('radio', { name: /QT-05\/ET-HT/ });
    const older = page.getByRole('radio', { name: /QT-01\/ND-HT/ });
    expect(await proposed.isChecked()).to.equal(true);
    await older.check();
    expect(await older.isChecked()).to.equal(true);
    expect(await proposed.isChecked()).to.equal(false);
  });

  it('submits and sees the draft with its lineage, never issued', async () => {
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'carried'),
      page.getByRole('button', { name: 'Kế thừa các mục đã chọn' }).click(),
    ]);
    expect(await page.locator('p.notice').innerText()).to.equal('Đã kế thừa. Các quy trình mới ở trạng thái dự thảo.');
    const carried = page.locator('tr.carry-item').first();
    expect(await carried.innerText())
      .to.include('Đã kế thừa')
      .and.include('QT-05/NDM')
      .and.include('Dự thảo');
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/procedures/')), carried.getByRole('link', { name: 'QT-05/NDM' }).click()]);
    expect(await page.locator('p.lineage').innerText()).to.equal('Kế thừa từ QT-01/ND-HT lần 2');
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
