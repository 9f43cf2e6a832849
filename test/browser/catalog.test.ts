import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/lib/actor.ts';
import { browserArtifactsDir, describeInBrowser, journey, signInThroughForm } from '../helpers/browser.ts';

/**
 * An officer writes a procedure in a real Chromium, three steps added with the "add step" button
 * and typed in Vietnamese, and submits it; the leader signs the review and approves it; the
 * officer issues it and finds it in force in the unit's catalog. Units, users and the TTHC are
 * arranged through the services first; only the document's journey goes through the browser.
 * The steps run in order; once one fails the rest are not attempted.
 */
describeInBrowser('browser: a procedure from draft to issued', (ctx) => {
  const password = 'mật-khẩu-thử-nghiệm-2026';
  const officer = { username: 'canbo.namdong', fullName: 'Trần Thị Hoa' };
  const leader = { username: 'lanhdao.namdong', fullName: 'Lê Văn Lãnh' };
  const procedure = { code: 'QT-01/ND-HT', title: 'Quy trình đăng ký khai sinh' };
  const steps = [
    {
      action: 'Tiếp nhận, kiểm tra hồ sơ tại Bộ phận một cửa',
      responsible: 'Công chức Bộ phận một cửa',
      days: '0,5',
      output: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
    },
    { action: 'Thẩm định hồ sơ, trình Chủ tịch UBND xã ký', responsible: 'Công chức Tư pháp - Hộ tịch', days: '2', output: 'Tờ trình, dự thảo Giấy khai sinh' },
    {
      action: 'Ký Giấy khai sinh, trả kết quả cho người dân',
      responsible: 'Chủ tịch Ủy ban nhân dân xã',
      days: '0,5',
      output: 'Giấy khai sinh, Sổ đăng ký khai sinh',
    },
  ];

  let unitId = 0;
  let procedureUrl = '';
  let officerPage: Page;
  let leaderPage: Page;
  const problems: string[] = [];

  const url = (p: string) => `${ctx().app.baseUrl}${p}`;
  const pathOf = (u: URL) => u.pathname;

  /** A page of its own browser profile (own cookies), watched for script and CSP errors. */
  const trip = journey(() => ctx().browser, problems);

  async function signIn(page: Page, username: string): Promise<void> {
    await signInThroughForm(page, ctx().app.baseUrl, username, password);
    expect(pathOf(new URL(page.url())), 'signed in, one starts from what is due').to.equal('/home');
  }

  /** Presses a button of the procedure page and waits for the page to come back with "Đã lưu." and whom the next step was handed to. */
  async function act(page: Page, button: string, told?: string): Promise<void> {
    await Promise.all([
      page.waitForURL((u) => pathOf(u) === procedureUrl && u.searchParams.has('notice')),
      page.getByRole('button', { name: button, exact: true }).click(),
    ]);
    expect(await page.getByRole('status').first().innerText()).to.equal(told ? `Đã lưu. Đã báo: ${told}.` : 'Đã lưu.');
  }

  const step = (page: Page, i: number, f: 'action' | 'responsible' | 'days' | 'output') => page.locator(`[name="steps.${i}.${f}"]`);

  before(async function () {
    this.timeout(30_000);
    // The province, the commune, its TTHC and its two people, through the services.
    const s = ctx().app.booted.built.services;
    const admin: Actor = { user: await s.users.create(undefined, { username: 'quantri', fullName: 'Quản trị', password }, { admin: true }) };
    const dno = await s.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
    const nd = await s.units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id });
    unitId = nd.id;
    const tthc = await s.catalog.tthc.create(admin, {
      provinceId: String(dno.id),
      code: '1.001193',
      name: 'Đăng ký khai sinh',
      field: 'Hộ tịch',
      level: 'commune',
      legalDays: '3',
    });
    await s.catalog.tthc.adopt(admin, nd.id, { codes: tthc.code });
    for (const [who, role] of [
      [officer, 'officer'],
      [leader, 'leader'],
    ] as const) {
      const u = await s.users.create(admin, { username: who.username, fullName: who.fullName, password });
      await s.users.addRole(admin, u.id, { role, unitId: nd.id });
    }
    officerPage = await trip.page();
    leaderPage = await trip.page();
    await signIn(officerPage, officer.username);
    await signIn(leaderPage, leader.username);
  });

  it("the officer opens a new procedure from the unit's catalog and adds three steps, keeping what was typed", async () => {
    const page = officerPage;
    await page.goto(url(`/units/${unitId}/catalog`));
    await page.getByRole('heading', { name: 'Danh mục quy trình: Xã Nam Dong', level: 1 }).waitFor();
    await Promise.all([page.waitForURL((u) => pathOf(u) === `/units/${unitId}/procedures/new`), page.getByRole('link', { name: 'Thêm quy trình' }).click()]);
    await page.getByLabel('Mã quy trình').fill(procedure.code);
    await page.getByLabel('Tên quy trình').fill(procedure.title);
    await page.getByLabel('Thủ tục hành chính (TTHC)').selectOption({ label: '1.001193 · Đăng ký khai sinh (3)' });
    await page.getByLabel('Mục đích').fill('Quy định trình tự, trách nhiệm đăng ký khai sinh tại UBND xã Nam Dong.');
    expect(await page.locator('[name$=".action"][name^="steps."]').count(), 'a new procedure starts with one empty step').to.equal(1);

    for (let i = 0; i < steps.length; i++) {
      if (i > 0) {
        // Without JavaScript doing the work: the button posts the form and the page comes back
        // with one more row and every word typed so far.
        await Promise.all([page.waitForURL((u) => pathOf(u) === `/units/${unitId}/procedures`), page.getByRole('button', { name: 'Thêm bước' }).click()]);
        await step(page, i, 'action').waitFor();
      }
      const s = steps[i]!;
      await step(page, i, 'action').fill(s.action);
      await step(page, i, 'responsible').fill(s.responsible);
      await step(page, i, 'days').fill(s.days);
      await step(page, i, 'output').fill(s.output);
    }
    expect(await page.getByLabel('Mã quy trình').inputValue()).to.equal(procedure.code);
    expect(await page.getByLabel('Tên quy trình').inputValue()).to.equal(procedure.title);
    expect(await step(page, 0, 'action').inputValue()).to.equal(steps[0]!.action);
    expect(await step(page, 1, 'responsible').inputValue()).to.equal(steps[1]!.responsible);
  });

  it('saves the draft and shows the three steps with their diacritics and a total of 3 days', async () => {
    const page = officerPage;
    await Promise.all([page.waitForURL((u) => /^\/procedures\/\d+$/.test(pathOf(u))), page.getByRole('button', { name: 'Lưu', exact: true }).click()]);
    procedureUrl = pathOf(new URL(page.url()));
    expect(await page.getByRole('status').first().innerText()).to.equal('Đã tạo.');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).to.equal(`${procedure.code} ${procedure.title}`);
    const rows = await page
      .locator('table.steps tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    expect(rows).to.deep.equal(steps.map((s, i) => [String(i + 1), s.action, s.responsible, s.days, s.output]));
    expect((await page.locator('table.steps tfoot').innerText()).replace(/\s+/g, ' ').trim()).to.equal('Tổng thời gian 3');
  });

  it('the officer submits it for review', async () => {
    await act(officerPage, 'Trình xem xét');
    expect(await officerPage.locator('dl.facts').innerText()).to.contain('Đang xem xét');
    expect(await officerPage.locator('table.signoff').innerText()).to.contain(officer.fullName);
  });

  it('the leader signs the review and approves it, and the sign-off table names them', async () => {
    const page = leaderPage;
    await page.goto(url(procedureUrl));
    await act(page, 'Ký xem xét');
    await act(page, 'Phê duyệt', officer.fullName);
    const signoff = (await page.locator('table.signoff tbody tr').first().innerText()).split('\t').map((c) => c.trim());
    expect(signoff).to.deep.equal(['Họ và tên', officer.fullName, leader.fullName, leader.fullName]);
    expect(await page.locator('dl.facts').innerText()).to.contain('Đã phê duyệt');
  });

  it("the officer issues it, and the unit's catalog lists it in force, revision 1", async () => {
    const page = officerPage;
    await page.goto(url(procedureUrl));
    await page.getByLabel('Ngày ban hành').fill('2026-03-02');
    await act(page, 'Ban hành');
    expect(await page.locator('dl.facts').innerText()).to.contain('Lần ban hành 1, ngày 02/03/2026');

    await page.goto(url(`/units/${unitId}/catalog`));
    expect(await page.locator('h2.count-line').innerText()).to.equal('1 kết quả');
    const cells = (await page.locator('table.catalog tbody tr').first().locator('td').allInnerTexts()).map((c) => c.trim());
    expect(cells.slice(0, 7)).to.deep.equal([procedure.code, procedure.title, 'Quy trình giải quyết TTHC', '1.001193', 'Đã ban hành', '1', '02/03/2026']);
    await page.screenshot({ path: path.join(browserArtifactsDir, 'catalog-issued.png'), fullPage: true });
  });

  it('raised no script or content-security errors along the way', () => {
    expect(problems).to.deep.equal([]);
  });
});
