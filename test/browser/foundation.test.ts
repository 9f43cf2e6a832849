import path from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { browserArtifactsDir, describeInBrowser, watchPage } from '../helpers/browser.ts';

/**
 * The first hour of an administrator, in a real Chromium against the real app: first-run setup,
 * sign-in, a province and a commune, the tree, a search typed without diacritics, sign-out.
 * The steps run in order on one page; once a step fails the rest are not attempted.
 */
describeInBrowser('browser: the foundation journey', (ctx) => {
  const admin = { username: 'quantri', fullName: 'Nguyễn Thị Hồng Nhung', password: 'mật-khẩu-đủ-dài-2025' };
  const province = { code: 'DNO', name: 'Tỉnh Đắk Nông' };
  const commune = { code: 'DNO-ND', name: 'Xã Nam Dong' };

  let context: BrowserContext;
  let page: Page;
  let provinceUrl = '';
  const problems: string[] = [];
  let broken = false;

  const url = (p: string) => `${ctx().app.baseUrl}${p}`;
  const pathOf = (u: URL) => u.pathname;
  /** A form field by its visible label; required fields carry a trailing star. */
  const field = (label: string) => page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}( \\*)?$`));

  before(async () => {
    context = await ctx().browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(8_000);
    watchPage(page, problems);
  });
  after(async () => {
    await context?.close();
  });
  beforeEach(() => {
    if (broken) throw new Error('an earlier step of the journey failed; see above');
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') broken = true;
  });

  it('creates the first administrator from the one-time link printed at start', async () => {
    const link = /https?:\/\/\S+\/setup\?token=\S+/.exec(ctx().app.console)?.[0];
    expect(link, `a setup link on the console, got: ${ctx().app.console}`).to.be.a('string');
    expect(new URL(link!).origin, 'the link points at the port the app listens on').to.equal(ctx().app.baseUrl);
    await page.goto(link!);
    await page.getByRole('heading', { name: 'Cài đặt lần đầu: tạo quản trị viên' }).waitFor();
    await field('Tên đăng nhập').fill(admin.username);
    await field('Họ và tên').fill(admin.fullName);
    await field('Mật khẩu').fill(admin.password);
    await field('Nhập lại mật khẩu').fill(admin.password);
    // Signed in at once: the person who just chose the password is the administrator.
    await Promise.all([page.waitForURL((u) => pathOf(u) === '/home'), page.getByRole('button', { name: 'Tạo quản trị viên' }).click()]);
    expect(await page.getByRole('status').innerText()).to.equal('Đã tạo quản trị viên và đăng nhập. Các bước bắt đầu ở ngay dưới đây.');
  });

  it('lands signed in on what is due with the start guide, and opens the empty units tree', async () => {
    await page.getByRole('heading', { name: 'Việc cần làm', level: 1 }).waitFor();
    const guide = page.locator('#start-guide');
    expect(await guide.getByRole('heading', { name: 'Bắt đầu sử dụng' }).isVisible()).to.equal(true);
    expect(await guide.locator('li.todo').first().innerText()).to.contain('Tạo tỉnh');
    // The units sit in the header's "Hệ thống ISO" group, opened first.
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByText('Hệ thống ISO', { exact: true }).click();
    await Promise.all([
      page.waitForURL((u) => pathOf(u) === '/units'),
      page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Đơn vị', exact: true }).click(),
    ]);
    await page.getByRole('heading', { name: 'Cây đơn vị', level: 1 }).waitFor();
    expect(await page.locator('header.top details.user-bar > summary').innerText()).to.equal(admin.username);
    expect(await page.getByText('Không tìm thấy đơn vị nào.').isVisible()).to.equal(true);
  });

  it('keeps the typed code and shows the Vietnamese message when the unit name is left empty', async () => {
    await Promise.all([page.waitForURL((u) => pathOf(u) === '/units/new'), page.getByRole('link', { name: 'Thêm đơn vị', exact: true }).click()]);
    await field('Mã đơn vị').fill(province.code);
    await Promise.all([page.waitForURL((u) => pathOf(u) === '/units'), page.getByRole('button', { name: 'Lưu' }).click()]);
    expect(await page.getByRole('alert').innerText()).to.contain('Dữ liệu nhập chưa hợp lệ. Vui lòng sửa các ô được đánh dấu.');
    const name = field('Tên đơn vị');
    expect(await name.getAttribute('aria-invalid')).to.equal('true');
    expect(await page.locator('#f-name-err').innerText()).to.equal('Vui lòng nhập thông tin này.');
    expect(await field('Mã đơn vị').inputValue()).to.equal(province.code);
  });

  it('creates a province once the name is filled in', async () => {
    await field('Tên đơn vị').fill(province.name);
    await field('Loại đơn vị').selectOption({ label: 'Tỉnh/Thành phố' });
    await Promise.all([page.waitForURL((u) => /^\/units\/\d+$/.test(pathOf(u))), page.getByRole('button', { name: 'Lưu' }).click()]);
    provinceUrl = new URL(page.url()).pathname;
    expect(await page.getByRole('status').innerText()).to.equal('Đã tạo.');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).to.equal(province.name);
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).to.contain(province.code).and.to.contain('Tỉnh/Thành phố');
  });

  it('creates a commune under the province from the province page', async () => {
    await Promise.all([page.waitForURL((u) => pathOf(u) === '/units/new'), page.getByRole('link', { name: 'Thêm đơn vị trực thuộc' }).click()]);
    await page.getByRole('heading', { name: `Thêm đơn vị trực thuộc: ${province.name}` }).waitFor();
    await field('Mã đơn vị').fill(commune.code);
    await field('Tên đơn vị').fill(commune.name);
    await field('Loại đơn vị').selectOption({ label: 'Xã' });
    await Promise.all([
      page.waitForURL((u) => /^\/units\/\d+$/.test(pathOf(u)) && pathOf(u) !== provinceUrl),
      page.getByRole('button', { name: 'Lưu' }).click(),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).to.equal(commune.name);
    const crumbs = page.getByRole('navigation', { name: 'Thuộc' });
    expect(await crumbs.getByRole('link', { name: province.name }).getAttribute('href')).to.equal(provinceUrl);
  });

  it('shows the province with one child on the tree page', async () => {
    // The units sit in the header's "Hệ thống ISO" group, opened first.
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByText('Hệ thống ISO', { exact: true }).click();
    await Promise.all([
      page.waitForURL((u) => pathOf(u) === '/units'),
      page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Đơn vị', exact: true }).click(),
    ]);
    const rows = page.locator('table.list tbody tr');
    expect(await rows.count(), 'only the province sits at the top of the tree').to.equal(1);
    const cells = await rows.first().locator('td').allInnerTexts();
    expect(cells).to.deep.equal([province.name, province.code, 'Tỉnh/Thành phố', 'Chưa triển khai', '1']);
    const counts = await page.getByRole('region', { name: 'Số đơn vị đang hoạt động theo loại' }).innerText();
    expect(counts.replace(/\s+/g, ' ')).to.contain('1 Tỉnh/Thành phố').and.to.contain('1 Xã');
    await page.screenshot({ path: path.join(browserArtifactsDir, 'units-tree.png'), fullPage: true });
  });

  it('finds the commune by its name typed without diacritics', async () => {
    await page.getByRole('searchbox', { name: 'Tìm kiếm' }).fill('xa nam dong');
    await Promise.all([
      page.waitForURL((u) => pathOf(u) === '/units' && u.searchParams.get('q') === 'xa nam dong'),
      page.getByRole('button', { name: 'Tìm kiếm' }).click(),
    ]);
    expect(await page.locator('main h2').innerText()).to.equal('1 kết quả');
    const links = await page.locator('table.list tbody tr td:first-child a').allInnerTexts();
    expect(links).to.deep.equal([commune.name]);
  });

  it('signs out and shows the sign-in page, and the units are closed again', async () => {
    // Signing out sits in the account menu at the header's end.
    await page.locator('header.top details.user-bar > summary').click();
    await Promise.all([page.waitForURL((u) => pathOf(u) === '/login'), page.getByRole('button', { name: 'Đăng xuất' }).click()]);
    expect(await page.getByRole('status').innerText()).to.equal('Bạn đã đăng xuất.');
    await page.getByRole('heading', { name: 'Đăng nhập', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Đăng xuất' }).count()).to.equal(0);
    await page.screenshot({ path: path.join(browserArtifactsDir, 'sign-in.png'), fullPage: true });

    await page.goto(url('/units'));
    expect(pathOf(new URL(page.url()))).to.equal('/login');
    expect(new URL(page.url()).searchParams.get('next')).to.equal('/units');
  });

  it('raised no script or content-security errors along the way', () => {
    expect(problems).to.deep.equal([]);
  });
});
