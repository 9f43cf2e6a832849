import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/lib/actor.ts';
import { vnDate } from '../../src/lib/time.ts';
import { browserArtifactsDir, describeInBrowser, journey, phone, signInThroughForm } from '../helpers/browser.ts';

/**
 * An unannounced inspection on a phone (390 x 844): the team member starts it at a commune of 12
 * officials in a few taps, marks the attendance (3 absent, 1 late) and the two without badges as
 * the script saves each tap, reloads in the middle and finds every entry, closes the record,
 * concludes with two required corrections; then the commune's officer answers one of them.
 * Units, people and the team are arranged through the services; the inspection goes through the
 * browser. The steps run in order; once one fails the rest are not attempted.
 */
describeInBrowser('browser: an unannounced inspection on a phone', (ctx) => {
  const password = 'mật-khẩu-thử-nghiệm-2026';
  const inspector = { username: 'kiemtra.tinh', fullName: 'Hoàng Văn Kiểm' };
  const officer = { username: 'canbo.namdong', fullName: 'Trần Thị Hoa' };
  const staff = [
    'Nguyễn Văn An',
    'Trần Thị Bình',
    'Lê Văn Cường',
    'Phạm Thị Dung',
    'Hoàng Văn Em',
    'Vũ Thị Giang',
    'Đặng Văn Hải',
    'Bùi Thị Hương',
    'Đỗ Văn Khánh',
    'Hồ Thị Lan',
    'Ngô Văn Minh',
    'Dương Thị Ngọc',
  ];
  const withoutBadge = ['Đỗ Văn Khánh', 'Hồ Thị Lan'];
  const absent: Array<[string, string, string]> = [
    ['Phạm Thị Dung', 'absent_with_reason', 'Nghỉ phép năm'],
    ['Hoàng Văn Em', 'absent_with_reason', 'Đi học lớp bồi dưỡng'],
    ['Vũ Thị Giang', 'absent_without_reason', ''],
  ];
  const late = 'Lê Văn Cường';

  const problems: string[] = [];
  let page: Page;
  let inspectionPath = '';
  const url = (p: string) => `${ctx().app.baseUrl}${p}`;

  const trip = journey(() => ctx().browser, problems);
  const onPhone = () => trip.page(phone);

  const signIn = (p: Page, username: string) => signInThroughForm(p, ctx().app.baseUrl, username, password);

  /** Waits until the page's script has sent every entry (its queue in localStorage is empty). */
  async function saved(p: Page): Promise<void> {
    // These run in the page (a string would be eval, which the CSP refuses); the casts stand in
    // for the DOM types this project does not compile against.
    await p.waitForFunction(() => {
      const g = globalThis as unknown as {
        localStorage: Record<string, string> & { getItem(k: string): string | null };
        document: { getElementById(id: string): { textContent: string | null } | null };
      };
      const queued = Object.keys(g.localStorage)
        .filter((k) => k.startsWith('isotrack.inspection.queue:'))
        .some((k) => g.localStorage.getItem(k) !== '[]');
      return !queued && g.document.getElementById('autosave')?.textContent === 'Đã lưu';
    });
  }

  const person = (p: Page, name: string) => p.locator('fieldset.person', { hasText: name });

  before(async function () {
    this.timeout(30_000);
    const s = ctx().app.booted.built.services;
    const admin: Actor = { user: await s.users.create(undefined, { username: 'quantri', fullName: 'Quản trị', password }, { admin: true }) };
    const dno = await s.units.create(admin, { code: 'DNO', name: 'Tỉnh Đắk Nông', kind: 'province' });
    const nd = await s.units.create(admin, { code: 'DNO-ND', name: 'Xã Nam Dong', kind: 'commune', parentId: dno.id });
    for (const [n, name] of staff.entries()) {
      await s.inspections.officials.add(admin, nd.id, {
        fullName: name,
        position: n === 0 ? 'Chủ tịch UBND' : `Công chức số ${n}`,
        badgeNo: withoutBadge.includes(name) ? '' : `ND-${String(n + 1).padStart(2, '0')}`,
      });
    }
    const insp = await s.users.create(admin, { username: inspector.username, fullName: inspector.fullName, password });
    await s.users.addRole(admin, insp.id, { role: 'inspector', unitId: dno.id });
    const off = await s.users.create(admin, { username: officer.username, fullName: officer.fullName, password });
    await s.users.addRole(admin, off.id, { role: 'officer', unitId: nd.id });
    await s.inspections.teams.create(admin, { unitId: dno.id, name: 'Tổ kiểm tra công vụ tỉnh', year: 2026, leader: inspector.username, units: 'DNO' });
  });

  it('the team member starts an unannounced inspection in a few taps', async () => {
    page = await onPhone();
    await signIn(page, inspector.username);
    await page.goto(url('/inspections'));
    await page.getByRole('link', { name: 'Kiểm tra đột xuất' }).click();
    await page.getByLabel('Mã đơn vị được kiểm tra').fill('DNO-ND');
    await Promise.all([page.waitForURL((u) => /^\/inspections\/\d+$/.test(u.pathname)), page.getByRole('button', { name: 'Bắt đầu kiểm tra' }).click()]);
    inspectionPath = new URL(page.url()).pathname;
    expect(await page.locator('fieldset.person').count()).to.equal(12);
    expect(await page.locator('fieldset.person.unmarked').count()).to.equal(12);
  });

  it('enters the arrival time and half the attendance, each saved as tapped', async () => {
    // The field starts at the present moment, typed as DD/MM/YYYY HH:mm whatever the browser's language.
    const arrival = page.locator('input[name="arrivedAt"]');
    expect(await arrival.inputValue()).to.match(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(await page.getByRole('button', { name: 'Bây giờ' }).isVisible()).to.equal(true);
    const [day, time] = new Date(Date.now() + 7 * 3600_000 - 20 * 60_000).toISOString().slice(0, 16).split('T') as [string, string];
    const arrived = `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)} ${time}`;
    await arrival.fill(arrived);
    await arrival.dispatchEvent('change');
    await saved(page);
    for (const [name, presence, reason] of absent) {
      await person(page, name).locator(`input[value="${presence}"]`).check();
      if (reason) await person(page, name).locator('input[name^="r."]').fill(reason);
      await person(page, name).locator('input[name^="r."]').dispatchEvent('change');
      await saved(page);
    }
    await person(page, late).locator('input[value="late"]').check();
    await saved(page);
    for (const name of staff.slice(0, 2)) {
      await person(page, name).locator('input[value="present"]').check();
      await saved(page);
    }
    await page.screenshot({ path: path.join(browserArtifactsDir, 'inspection-attendance.png'), fullPage: false });
  });

  it('a reload in the middle loses nothing already entered', async () => {
    await page.reload();
    expect(await person(page, 'Vũ Thị Giang').locator('input[value="absent_without_reason"]').isChecked()).to.equal(true);
    expect(await person(page, 'Phạm Thị Dung').locator('input[name^="r."]').inputValue()).to.equal('Nghỉ phép năm');
    expect(await person(page, late).locator('input[value="late"]').isChecked()).to.equal(true);
    expect(await page.locator('fieldset.person.unmarked').count()).to.equal(12 - 6);
    expect(await page.locator('input[name="arrivedAt"]').inputValue()).to.match(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  });

  it('marks the others present and the two without badges, then closes the record', async () => {
    for (const name of staff.slice(2)) {
      if (absent.some(([n]) => n === name) || name === late) continue;
      await person(page, name).locator('input[value="present"]').check();
      await saved(page);
    }
    for (const name of withoutBadge) {
      const items = page.locator('details.person-items', { hasText: name });
      await items.locator('summary').click();
      await items.locator('input[name="a.badge"][value="no"]').check();
      await saved(page);
    }
    await page.getByLabel('Đại diện đơn vị được kiểm tra (ký biên bản)').fill('Nguyễn Văn An');
    // Closing cannot be undone: the page asks first.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'saved'),
      page.getByRole('button', { name: 'Kết thúc, lập biên bản' }).first().click(),
    ]);
    expect(asked).to.deep.equal(['Kết thúc, lập biên bản?']);
    expect(await page.locator('.insp-status').innerText()).to.equal('Đã lập biên bản');
    const record = await page.locator('#record').innerText();
    expect(record).to.include('Vắng không lý do');
    // The two without badges carry the badge violation in the record, against their names.
    for (const name of withoutBadge) expect(await page.locator('#record tr', { hasText: name }).innerText()).to.include('Đeo thẻ');
  });

  it('concludes with two required corrections', async () => {
    const today = vnDate(new Date());
    const later = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Nội dung kết luận (theo đơn vị và từng cá nhân)').fill('Đơn vị còn 01 công chức vắng không lý do, 01 đi muộn, 02 không đeo thẻ.');
    await page.locator('[name="c.0.text"]').fill('Chấn chỉnh việc đeo thẻ công chức');
    await page.locator('[name="c.0.responsible"]').fill('Chủ tịch UBND xã');
    await page.locator('[name="c.0.deadline"]').fill(later(7));
    await page.locator('[name="c.1.text"]').fill('Kiểm điểm công chức vắng không lý do');
    await page.locator('[name="c.1.responsible"]').fill('Văn phòng UBND xã');
    await page.locator('[name="c.1.deadline"]').fill(later(14));
    await Promise.all([page.waitForURL((u) => u.searchParams.get('notice') === 'saved'), page.getByRole('button', { name: 'Ban hành kết luận' }).click()]);
    expect(await page.locator('.insp-status').innerText()).to.equal('Đã có kết luận');
    expect(await page.locator('article.correction').count()).to.equal(2);
    await page.screenshot({ path: path.join(browserArtifactsDir, 'inspection-concluded.png'), fullPage: true });
  });

  it("the commune's officer answers one correction", async () => {
    const p = await onPhone();
    await signIn(p, officer.username);
    await p.goto(url(inspectionPath));
    const first = p.locator('article.correction').first();
    await first.locator('textarea[name="answer"]').fill('Đã quán triệt toàn bộ công chức đeo thẻ trong giờ làm việc.');
    await Promise.all([p.waitForURL((u) => u.searchParams.get('notice') === 'saved'), first.getByRole('button', { name: 'Gửi báo cáo khắc phục' }).click()]);
    expect(await p.locator('article.correction').first().innerText()).to.include('Đơn vị đã báo cáo');
    // The officer sees the record without the names of those who broke the rules.
    expect(await p.locator('#record').innerText()).not.to.include('Đỗ Văn Khánh');
    await p.screenshot({ path: path.join(browserArtifactsDir, 'inspection-answered.png'), fullPage: true });
  });

  it('raised no script or content-security errors along the way', () => {
    expect(problems).to.deep.equal([]);
  });
});
