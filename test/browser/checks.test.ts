import path from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import type { Actor } from '../../src/lib/actor.ts';
import type { FormItem } from '../../src/plugins/contract.ts';
import { browserArtifactsDir, describeInBrowser, openPage, phone, signInThroughForm } from '../helpers/browser.ts';

/**
 * An officer answers a real internal audit (the bundled `iso-internal-audit` form) on a phone:
 * every answer is saved as it is clicked, half-way the page is reloaded and nothing is lost, the
 * rest is answered, the check is submitted and its findings are shown. Units, people and the
 * planned check are arranged through the services; the answering goes through the browser.
 */
describeInBrowser('browser: an internal audit answered on a phone', (ctx) => {
  const password = 'mật-khẩu-thử-nghiệm-2026';
  const officer = { username: 'danhgia.namdong', fullName: 'Phạm Thị Đánh Giá' };
  let checkId = 0;
  let items: FormItem[] = [];
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const url = (p: string) => `${ctx().app.baseUrl}${p}`;
  const today = new Date().toISOString().slice(0, 10);

  // The one "no" raises the form's major finding on clause 4.3; everything else conforms.
  const valueOf = (it: FormItem): string =>
    it.id === 'c4-3-scope' ? 'no' : it.answer.type === 'yes-no-na' ? 'yes' : it.answer.type === 'scale' ? '5' : it.answer.type === 'date' ? today : '0';

  /** Answers one item as a person would (a tap, or typing and leaving the field) and waits for "Đã lưu". */
  async function answer(it: FormItem): Promise<void> {
    const box = page.locator(`fieldset[data-item="${it.id}"]`);
    const v = valueOf(it);
    if (it.answer.type === 'yes-no-na' || it.answer.type === 'scale') {
      await box.locator(`input[name="a.${it.id}"][value="${v}"]`).click();
    } else {
      const input = box.locator(`input[name="a.${it.id}"]`);
      await input.fill(v);
      await input.press('Tab');
    }
    await expect_text(box.locator('.save-state'), 'Đã lưu');
  }

  async function expect_text(loc: ReturnType<Page['locator']>, text: string): Promise<void> {
    await loc.filter({ hasText: text }).waitFor({ state: 'visible' });
  }

  before(async function () {
    this.timeout(30_000);
    const s = ctx().app.booted.built.services;
    const admin: Actor = { user: await s.users.create(undefined, { username: 'quantri', fullName: 'Quản trị', password }, { admin: true }) };
    const dno = await s.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
    const nd = await s.units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id });
    const u = await s.users.create(admin, { username: officer.username, fullName: officer.fullName, password });
    const withRole = await s.users.addRole(admin, u.id, { role: 'officer', unitId: nd.id });
    const check = await s.checks.plan({ user: withRole }, nd.id, { formId: 'iso-internal-audit', checkDate: today });
    checkId = check.id;
    items = s.plugins
      .form('iso-internal-audit')!
      .sections.flatMap((sec) => sec.items)
      .filter((it) => it.mandatory);
    ({ context, page } = await openPage(ctx().browser, problems, phone));
  });

  after(async () => {
    await context?.close();
  });

  it('signs in and opens the planned check', async () => {
    await signInThroughForm(page, ctx().app.baseUrl, officer.username, password);
    await page.goto(url(`/checks/${checkId}`));
    expect(await page.locator('h1').innerText()).to.include('đánh giá nội bộ');
  });

  it('saves each answer as it is given, and a reload half-way keeps them all', async function () {
    this.timeout(60_000);
    const half = items.slice(0, Math.ceil(items.length / 2));
    for (const it of half) await answer(it);
    await page
      .locator('section.check-section')
      .first()
      .screenshot({ path: path.join(browserArtifactsDir, 'checks-phone-answering.png') });
    expect(await page.locator('p.progress').innerText()).to.include(`còn ${items.length - half.length} câu bắt buộc`);
    await page.reload();
    for (const it of half) {
      const v = valueOf(it);
      const box = page.locator(`fieldset[data-item="${it.id}"]`);
      if (it.answer.type === 'yes-no-na' || it.answer.type === 'scale')
        expect(await box.locator(`input[name="a.${it.id}"][value="${v}"]`).isChecked(), it.id).to.equal(true);
      else expect(await box.locator(`input[name="a.${it.id}"]`).inputValue(), it.id).to.equal(v);
    }
    expect(await page.locator('p.progress').innerText()).to.include(`còn ${items.length - half.length} câu bắt buộc`);
  });

  it('finishes, submits, and sees the findings', async function () {
    this.timeout(60_000);
    for (const it of items.slice(Math.ceil(items.length / 2))) await answer(it);
    expect(await page.locator('p.progress').innerText()).to.include('còn 0 câu bắt buộc');
    // Submitting cannot be undone: the page asks first.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/checks/${checkId}` && u.searchParams.has('notice')),
      page.getByRole('button', { name: 'Nộp kết quả kiểm tra' }).click(),
    ]);
    expect(asked).to.deep.equal(['Nộp kết quả kiểm tra?']);
    expect(await page.locator('.check-status').innerText()).to.equal('Đã nộp');
    const major = page.locator('#findings tr.finding-major');
    expect(await major.count()).to.equal(1);
    expect(await major.innerText()).to.include('4.3');
    await page.screenshot({ path: path.join(browserArtifactsDir, 'checks-phone-submitted.png'), fullPage: false });
    await page.locator('#findings').screenshot({ path: path.join(browserArtifactsDir, 'checks-phone-findings.png') });
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
