import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import type { Actor } from '../../src/lib/actor.ts';
import { describeInBrowser, openPage } from '../helpers/browser.ts';

/**
 * A citizen scans the poster with a phone (390×844), lands on the survey without signing in,
 * answers every question by tapping, sends, and reads the thank-you page.
 */
describeInBrowser('browser: the satisfaction survey on a phone', (ctx) => {
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  before(async function () {
    this.timeout(30_000);
    const s = ctx().app.booted.built.services;
    const admin: Actor = {
      user: await s.users.create(undefined, { username: 'quantri', fullName: 'Quản trị', password: 'mật-khẩu-thử-nghiệm-2026' }, { admin: true }),
    };
    const dno = await s.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
    await s.units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id });
    ({ context, page } = await openPage(ctx().browser, problems, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }));
  });

  after(async () => {
    await context?.close();
  });

  it('answers the survey with taps, sends it and is thanked', async () => {
    await page.goto(`${ctx().app.baseUrl}/cong-khai/DNO-ND/khao-sat`);
    expect(await page.locator('h1').innerText()).to.equal('Phiếu khảo sát sự hài lòng về sự phục vụ hành chính');
    // The page fits the phone's width: nothing to scroll sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
    const items = page.locator('fieldset.survey-item');
    const n = await items.count();
    expect(n).to.be.greaterThan(5);
    for (let i = 0; i < n; i++) await items.nth(i).locator('label').first().tap();
    await items.first().getByText('Trực tuyến (Cổng dịch vụ công)').tap();
    await page.locator('#q-courteous').getByText('Rất hài lòng').tap();
    await page.getByLabel('Góp ý thêm (không bắt buộc)').fill('Cán bộ hướng dẫn tận tình');
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/khao-sat/cam-on')), page.getByRole('button', { name: 'Gửi đánh giá' }).tap()]);
    expect(await page.locator('h1').innerText()).to.equal('Cảm ơn Ông/Bà');
    const stored = (await ctx().app.booted.db('survey_answers').select('answers', 'comment')) as Array<{ answers: string; comment: string }>;
    expect(stored).to.have.length(1);
    expect(JSON.parse(stored[0]!.answers)).to.include({ channel: 'online', courteous: 5 });
    expect(stored[0]!.comment).to.equal('Cán bộ hướng dẫn tận tình');
    expect(problems).to.deep.equal([]);
  });
});
