import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/lib/actor.ts';
import type { TestContext } from '../helpers/app.ts';
import { readyToDeclare } from '../fixtures/declaration-ready.ts';
import { browserArtifactsDir, describeInBrowser, journey, signInThroughForm } from '../helpers/browser.ts';

/**
 * An officer prepares the unit's declaration decision from the header's "Văn bản", changes the
 * signer, tries to issue before the approval and is told why not; the leader approves; the officer
 * issues it and the page shows its SHA-256 and the download. Units, users and the issued procedures
 * are arranged through the services first. The steps run in order; once one fails the rest stop.
 */
describeInBrowser('browser: a declaration from draft to issued', (ctx) => {
  const password = 'mật-khẩu-thử-nghiệm-2026';
  const officer = { username: 'canbo.vanban', fullName: 'Trần Thị Hoa' };
  const leader = { username: 'lanhdao.vanban', fullName: 'Lê Văn Lãnh' };
  let unitId = 0;
  let docUrl = '';
  let officerPage: Page;
  let leaderPage: Page;
  const asked: string[] = [];
  const problems: string[] = [];

  const url = (p: string) => `${ctx().app.baseUrl}${p}`;
  const pathOf = (u: URL) => u.pathname;

  const trip = journey(() => ctx().browser, problems);

  const signIn = (page: Page, username: string) => signInThroughForm(page, ctx().app.baseUrl, username, password);

  before(async function () {
    this.timeout(30_000);
    const s = ctx().app.booted.built.services;
    const db = ctx().app.booted.db;
    const admin: Actor = { user: await s.users.create(undefined, { username: 'quantri', fullName: 'Quản trị', password }, { admin: true }) };
    const dno = await s.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province', placeName: 'Gia Nghĩa' });
    const nd = await s.units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id, placeName: 'Nam Dong' });
    unitId = nd.id;
    const at = '2026-01-10T02:00:00.000Z';
    await db('procedures').insert([
      {
        unit_id: nd.id,
        code: 'QT-01/ND-HT',
        title: 'Quy trình đăng ký khai sinh',
        kind: 'other',
        status: 'issued',
        revision_no: 1,
        issue_date: '2026-01-15',
        search_text: 'qt-01',
        created_at: at,
        updated_at: at,
      },
      {
        unit_id: nd.id,
        code: 'QT-02/ND-HT',
        title: 'Quy trình đăng ký kết hôn',
        kind: 'other',
        status: 'issued',
        revision_no: 1,
        issue_date: '2026-01-15',
        search_text: 'qt-02',
        created_at: at,
        updated_at: at,
      },
    ]);
    // What a declaration checks: the system procedures, an internal audit and a review of this year.
    const shim = { db, unitId: async () => nd.id } as unknown as TestContext;
    await readyToDeclare(shim, 'DNO-ND', new Date().toISOString().slice(0, 10));
    for (const [who, role] of [
      [officer, 'officer'],
      [leader, 'leader'],
    ] as const) {
      const u = await s.users.create(admin, { username: who.username, fullName: who.fullName, password });
      await s.users.addRole(admin, u.id, { role, unitId: nd.id });
    }
    officerPage = await trip.page();
    leaderPage = await trip.page();
    // Issuing cannot be undone: the page asks, and the officer means it.
    officerPage.on('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await signIn(officerPage, officer.username);
    await signIn(leaderPage, leader.username);
  });

  it("the officer reaches the unit's documents from the header and prepares the declaration", async () => {
    const page = officerPage;
    await page.getByRole('link', { name: 'Văn bản', exact: true }).click();
    await page.waitForURL((u) => pathOf(u) === '/documents');
    await Promise.all([page.waitForURL((u) => pathOf(u) === `/units/${unitId}/documents`), page.getByRole('button', { name: 'Văn bản của đơn vị' }).click()]);
    await page.getByLabel('Loại văn bản').selectOption({ label: 'Quyết định công bố Hệ thống quản lý chất lượng' });
    await Promise.all([page.waitForURL((u) => /^\/documents\/\d+$/.test(pathOf(u))), page.getByRole('button', { name: 'Lập bản nháp' }).click()]);
    docUrl = pathOf(new URL(page.url()));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).to.equal('Quyết định công bố Hệ thống quản lý chất lượng · Số 01/QĐ-UBND');
    expect(await page.getByLabel('Ký hiệu').inputValue()).to.equal('QĐ-UBND');
    expect(await page.getByLabel('Thẩm quyền ban hành (dòng dưới trích yếu)').inputValue()).to.equal('Chủ tịch Ủy ban nhân dân xã Nam Dong');
  });

  it("saves the signer's name, and keeps the draft form with a message when a character cannot be printed", async () => {
    const page = officerPage;
    await page.getByLabel('Họ tên người ký').fill('Nguyễn Văn Ký 😀');
    await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await page.getByText('Có ký tự không in được: 😀 (U+1F600).').waitFor();
    expect(await page.getByLabel('Họ tên người ký').inputValue()).to.equal('Nguyễn Văn Ký 😀');
    await page.getByLabel('Họ tên người ký').fill('Nguyễn Văn Ký');
    await Promise.all([
      page.waitForURL((u) => pathOf(u) === docUrl && u.searchParams.get('notice') === 'saved'),
      page.getByRole('button', { name: 'Lưu bản nháp' }).click(),
    ]);
    expect(await page.getByLabel('Họ tên người ký').inputValue()).to.equal('Nguyễn Văn Ký');
  });

  it('cannot be issued before the leader approves it, and says so', async () => {
    const page = officerPage;
    await page.getByRole('button', { name: 'Ban hành', exact: true }).click();
    await page.getByText('Văn bản chưa được lãnh đạo duyệt nên chưa thể ban hành.').waitFor();
  });

  it('the leader approves it; the officer issues it and the page shows the SHA-256 and the download', async () => {
    await leaderPage.goto(url(docUrl));
    await Promise.all([
      leaderPage.waitForURL((u) => u.searchParams.get('notice') === 'approved'),
      leaderPage.getByRole('button', { name: 'Duyệt văn bản' }).click(),
    ]);
    expect(await leaderPage.getByRole('status').innerText()).to.equal(`Đã phê duyệt. Đã báo: ${officer.fullName}.`);
    expect(await leaderPage.locator('dl.facts').innerText()).to.contain('Đã duyệt');
    const page = officerPage;
    await page.goto(url(docUrl));
    await Promise.all([page.waitForURL((u) => u.searchParams.get('notice') === 'issued'), page.getByRole('button', { name: 'Ban hành', exact: true }).click()]);
    expect(await page.getByRole('status').innerText()).to.equal('Đã ban hành. Văn bản đã được lưu trữ và không thể sửa.');
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).to.contain('Đã ban hành');
    expect(asked).to.deep.equal(['Ban hành?', 'Ban hành?']);
    expect(facts).to.contain(`${leader.fullName} duyệt lúc`);
    expect(facts).to.contain(`${officer.fullName} ban hành lúc`);
    expect(facts, 'the digest waits behind the technical toggle').not.to.match(/[0-9a-f]{64}/);
    await page.locator('dl.facts details.technical summary').click();
    expect(await page.locator('dl.facts details.technical').innerText()).to.match(/SHA-256 [0-9a-f]{64}/);
    expect(await page.getByRole('link', { name: 'Tải bản đã ban hành (PDF)' }).getAttribute('href')).to.equal(`${docUrl}/download`);
    expect(await page.getByRole('button', { name: 'Lưu bản nháp' }).count()).to.equal(0);
    await page.screenshot({ path: path.join(browserArtifactsDir, 'documents-issued.png'), fullPage: true });
  });

  it('raised no script or content-security errors along the way', () => {
    expect(problems).to.deep.equal([]);
  });
});
