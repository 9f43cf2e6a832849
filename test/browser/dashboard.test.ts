import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import type { Actor } from '../../src/lib/actor.ts';
import { describeInBrowser, openPage, signInThroughForm } from '../helpers/browser.ts';
import { DashboardData } from '../fixtures/dashboard-data.ts';

/**
 * A coordinator opens the province dashboard in a real Chromium, sorts it by a column (in place,
 * by the page's script), filters it by typing a name and by the form, and follows a figure to the
 * list behind it. The province and its data are arranged through the services and the tables.
 */
describeInBrowser('browser: the province dashboard', (ctx) => {
  const password = 'mật-khẩu-thử-nghiệm-2026';
  const units = [
    { code: 'DNO-ND', name: 'Xã Nam Dong', majors: 1 },
    { code: 'DNO-QS', name: 'Xã Quảng Sơn', majors: 3 },
    { code: 'DNO-TT', name: 'Xã Tâm Thắng', majors: 0 },
  ];
  const ids = new Map<string, number>();
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const names = () => page.locator('#dash-table tbody tr:visible td:first-child a').allInnerTexts();

  before(async function () {
    this.timeout(30_000);
    const s = ctx().app.booted.built.services;
    const admin: Actor = { user: await s.users.create(undefined, { username: 'quantri', fullName: 'Quản trị', password }, { admin: true }) };
    const dno = await s.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
    const data = new DashboardData(ctx().app.booted.db);
    for (const u of units) {
      const unit = await s.units.create(admin, { code: u.code, name: u.name, kind: 'commune', parentId: dno.id });
      ids.set(u.code, unit.id);
      const check = await data.check(unit.id, { date: '2026-02-01' });
      for (let i = 0; i < u.majors; i++) await data.finding(check, { severity: 'major' });
    }
    const c = await s.users.create(admin, { username: 'dieuphoi', fullName: 'Trần Thị Hoa', password });
    await s.users.addRole(admin, c.id, { role: 'coordinator', unitId: dno.id });
    ({ context, page } = await openPage(ctx().browser, problems, { viewport: { width: 1400, height: 900 } }));
  });

  after(async () => {
    await context?.close();
  });

  it('the coordinator signs in, lands on the home page and opens the dashboard from the header', async () => {
    await signInThroughForm(page, ctx().app.baseUrl, 'dieuphoi', password);
    expect(new URL(page.url()).pathname).to.equal('/home');
    await page.locator('header.top summary', { hasText: 'Công việc' }).click();
    await Promise.all([page.waitForURL((u) => u.pathname === '/dashboard'), page.getByRole('link', { name: 'Bảng theo dõi', exact: true }).click()]);
    expect(await page.locator('h1').innerText()).to.equal('Bảng theo dõi ISO: Tỉnh Đắk Nông');
    expect((await names()).sort()).to.deep.equal(units.map((u) => u.name).sort());
  });

  it('sorts by open major findings in place, ascending then descending', async () => {
    const header = page.locator('th[data-sort-key="majors"]');
    await header.getByRole('link').click();
    expect(await header.getAttribute('aria-sort')).to.equal('ascending');
    expect(await names()).to.deep.equal(['Xã Tâm Thắng', 'Xã Nam Dong', 'Xã Quảng Sơn']);
    await header.getByRole('link').click();
    expect(await header.getAttribute('aria-sort')).to.equal('descending');
    expect(await names()).to.deep.equal(['Xã Quảng Sơn', 'Xã Nam Dong', 'Xã Tâm Thắng']);
    expect(page.url()).not.to.include('sort=');
  });

  it('filters as a name is typed without diacritics, and by the form through the address', async () => {
    await page.getByLabel('Tên hoặc mã đơn vị').fill('quang son');
    expect(await names()).to.deep.equal(['Xã Quảng Sơn']);
    await page.getByLabel('Tên hoặc mã đơn vị').fill('');
    expect(await names()).to.have.length(3);
    await page.getByLabel('Sắp xếp theo').selectOption('name');
    await page.getByLabel('Thứ tự').selectOption('desc');
    await page.getByLabel('Tên hoặc mã đơn vị').fill('xa');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'xa'), page.getByRole('button', { name: 'Lọc', exact: true }).click()]);
    expect(await names()).to.deep.equal(['Xã Tâm Thắng', 'Xã Quảng Sơn', 'Xã Nam Dong']);
  });

  it('follows the open major findings of Quảng Sơn to the list of its checks', async () => {
    const row = page.locator('#dash-table tbody tr', { hasText: 'Xã Quảng Sơn' });
    const qs = ids.get('DNO-QS')!;
    await Promise.all([page.waitForURL((u) => u.pathname === `/units/${qs}/checks`), row.locator('td').nth(7).getByRole('link', { name: '3' }).click()]);
    expect(await page.locator('h1').innerText()).to.include('Xã Quảng Sơn');
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
