import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { seedDemo, type DemoAccount } from '../../src/cli/demo-seed.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { browserArtifactsDir, describeInBrowser, openPage, phone, signInThroughForm } from '../helpers/browser.ts';

/**
 * Every demo role walks the main pages on a phone (390 x 844) and on a desktop (1366 x 768): no
 * page is wider than the screen, the header stays compact (one row on the desktop), the menu
 * opens with a tap, every page has its own title, the checks list shows each check's status as
 * a card, and axe finds no serious or critical accessibility problem. The demo data is loaded
 * through the same function as `npm run seed:demo`.
 */
describeInBrowser('browser: the pages fit a phone and a desktop', (ctx) => {
  const desktop: BrowserContextOptions = { viewport: { width: 1366, height: 768 } };
  const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  let accounts: DemoAccount[] = [];
  let unitId = 0;
  const problems: string[] = [];
  const url = (p: string) => `${ctx().app.baseUrl}${p}`;

  before(async function () {
    this.timeout(60_000);
    const { db, config } = ctx().app.booted;
    accounts = await seedDemo(db, systemClock, config);
    unitId = ((await db('units').where('code', 'DNO-NAMDONG').first('id')) as { id: number }).id;
  });

  const account = (role: string) => {
    const a = accounts.find((x) => x.role === role && !x.unit.startsWith('LCA'));
    if (!a) throw new Error(`no demo account with role ${role}`);
    return a;
  };

  async function signedIn(role: string, options: BrowserContextOptions) {
    const opened = await openPage(ctx().browser, problems, options);
    const a = account(role);
    await signInThroughForm(opened.page, ctx().app.baseUrl, a.username, a.password);
    return opened;
  }

  /** The first link on a list page whose address matches, e.g. one check from the checks list. */
  async function firstLink(page: Page, list: string, pattern: RegExp): Promise<string | undefined> {
    await page.goto(url(list));
    const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    return hrefs.find((h) => pattern.test(h));
  }

  /** The main pages a role can reach from its menu, with one check and one inspection. */
  async function pagesOf(page: Page, role: string): Promise<string[]> {
    const pages = ['/home', '/units', `/units/${unitId}`, '/catalog', '/checks', '/actions', '/inspections', '/documents'];
    if (role === 'admin' || role === 'coordinator') pages.push('/dashboard', '/audit');
    if (role === 'admin') pages.push('/admin/plugins', '/admin/users', '/documents/batch');
    const check = await firstLink(page, '/checks', /^\/checks\/\d+$/);
    if (check) pages.push(check);
    const inspection = await firstLink(page, '/inspections', /^\/inspections\/\d+$/);
    if (inspection) pages.push(inspection);
    return pages;
  }

  const measure = (page: Page) =>
    page.evaluate(() => {
      const g = globalThis as unknown as {
        innerWidth: number;
        document: {
          title: string;
          documentElement: { scrollWidth: number };
          querySelector(s: string): { getBoundingClientRect(): { height: number } } | null;
        };
      };
      return {
        scrollWidth: g.document.documentElement.scrollWidth,
        innerWidth: g.innerWidth,
        header: g.document.querySelector('header.top')?.getBoundingClientRect().height ?? 0,
        title: g.document.title,
      };
    });

  for (const role of ['admin', 'coordinator', 'officer', 'leader', 'inspector', 'viewer']) {
    it(`the ${role}'s pages fit 390 px with a header under 120 px and titles of their own`, async function () {
      this.timeout(90_000);
      const { context, page } = await signedIn(role, phone);
      try {
        const misfits: string[] = [];
        const titles = new Map<string, string>();
        for (const p of await pagesOf(page, role)) {
          const answer = await page.goto(url(p));
          expect(answer?.status(), `${p} answers`).to.equal(200);
          const m = await measure(page);
          if (m.scrollWidth > m.innerWidth) misfits.push(`${p} is ${m.scrollWidth} px wide`);
          if (m.header >= 120) misfits.push(`${p} has a header of ${m.header} px`);
          const twin = titles.get(m.title);
          if (twin) misfits.push(`${p} and ${twin} share the title "${m.title}"`);
          titles.set(m.title, p);
        }
        expect(misfits).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }

  it("the administrator's pages fit a small phone of 360 px too", async function () {
    this.timeout(90_000);
    const { context, page } = await signedIn('admin', { ...phone, viewport: { width: 360, height: 740 } });
    try {
      const wide: string[] = [];
      for (const p of await pagesOf(page, 'admin')) {
        await page.goto(url(p));
        const m = await measure(page);
        if (m.scrollWidth > m.innerWidth) wide.push(`${p} is ${m.scrollWidth} px wide`);
      }
      expect(wide).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('on a phone the menu opens with a tap and leads to the documents', async () => {
    const { context, page } = await signedIn('officer', phone);
    try {
      const documents = page.locator('header.top').getByRole('link', { name: 'Văn bản', exact: true });
      expect(await documents.isVisible()).to.equal(false);
      await page.locator('header.top summary', { hasText: 'Menu' }).tap();
      expect(await documents.isVisible()).to.equal(true);
      await Promise.all([page.waitForURL((u) => u.pathname === '/documents'), documents.tap()]);
    } finally {
      await context.close();
    }
  });

  it('on a desktop the header is one row with every area in reach', async () => {
    const { context, page } = await signedIn('admin', desktop);
    try {
      for (const p of ['/home', '/dashboard', '/checks', '/admin/users']) {
        await page.goto(url(p));
        const m = await measure(page);
        expect(m.header, `header of ${p}`).to.be.below(70);
        expect(m.scrollWidth, `width of ${p}`).to.be.at.most(m.innerWidth);
      }
      await page.locator('header.top summary', { hasText: 'Kiểm tra' }).first().click();
      expect(await page.locator('header.top').getByRole('link', { name: 'Kiểm tra, đánh giá' }).isVisible()).to.equal(true);
    } finally {
      await context.close();
    }
  });

  it('on a phone the checks list is a stack of cards that show each status and score', async () => {
    const { context, page } = await signedIn('coordinator', phone);
    try {
      await page.goto(url('/checks'));
      const card = page.locator('table.list tbody tr').first();
      const status = card.locator('td[data-label="Trạng thái"]');
      expect(await status.isVisible()).to.equal(true);
      expect((await status.innerText()).trim()).not.to.equal('');
      expect(await card.locator('td[data-label="Điểm"]').isVisible()).to.equal(true);
      const box = await card.boundingBox();
      expect(box?.width ?? 0).to.be.at.most(390);
    } finally {
      await context.close();
    }
  });

  it('on a phone the buttons and text fields of an inspection and a check are at least 44 px tall', async function () {
    this.timeout(30_000);
    const { context, page } = await signedIn('inspector', phone);
    try {
      const small: string[] = [];
      for (const [list, pattern] of [
        ['/inspections', /^\/inspections\/\d+$/],
        ['/checks', /^\/checks\/\d+$/],
      ] as const) {
        const p = await firstLink(page, list, pattern);
        if (!p) continue;
        await page.goto(url(p));
        const targets = page.locator('main button:visible, main input[type=text]:visible, main select:visible');
        for (const box of await targets.evaluateAll((els) =>
          els.map((e) => ({ h: e.getBoundingClientRect().height, text: (e.textContent ?? '').trim() || e.getAttribute('name') || '' })),
        )) {
          if (box.h < 44) small.push(`${p}: "${box.text}" is ${Math.round(box.h)} px tall`);
        }
      }
      expect(small).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('saves screenshots of the dashboard, a check and an inspection at phone size', async function () {
    this.timeout(30_000);
    const { context, page } = await signedIn('admin', phone);
    try {
      const check = await firstLink(page, '/checks', /^\/checks\/\d+$/);
      const inspection = await firstLink(page, '/inspections', /^\/inspections\/\d+$/);
      for (const [name, p] of [
        ['dashboard', '/dashboard'],
        ['check', check],
        ['inspection', inspection],
      ] as const) {
        expect(p, name).to.be.a('string');
        await page.goto(url(p as string));
        const file = path.join(browserArtifactsDir, `phone-${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        expect(fs.statSync(file).size).to.be.above(1000);
      }
    } finally {
      await context.close();
    }
  });

  for (const [role, size, options] of [
    ['admin', 'phone', phone],
    ['officer', 'desktop', desktop],
  ] as const) {
    it(`axe finds no serious or critical problem on the ${role}'s pages (${size})`, async function () {
      this.timeout(120_000);
      // axe is injected as a script of its own, which the app's CSP would refuse.
      const { context, page } = await signedIn(role, { ...options, bypassCSP: true });
      try {
        const found: string[] = [];
        for (const p of await pagesOf(page, role)) {
          await page.goto(url(p));
          await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            const axe = (
              globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }
            ).axe;
            const r = await axe.run();
            return r.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map(
                (v) =>
                  `${v.id} (${v.impact}) at ${v.nodes
                    .map((n) => n.target.join(' '))
                    .slice(0, 3)
                    .join(', ')}`,
              );
          });
          for (const v of violations) found.push(`${p}: ${v}`);
        }
        expect(found).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }

  it('no page script or asset failed', () => {
    expect(problems).to.deep.equal([]);
  });
});
