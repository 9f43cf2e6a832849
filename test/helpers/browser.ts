import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { boot, type Booted } from '../../src/boot.ts';
import { machineWordsInContext } from './machine-words.ts';

/**
 * Browser tests drive the system's own Chromium (Debian's package); nothing is ever downloaded.
 * CHROMIUM_PATH points elsewhere when the browser lives somewhere unusual.
 */
const candidates = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Flags for a quiet, offline-friendly headless run inside containers and CI runners. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Screenshots and other evidence a person may want to look at after a run (git-ignored). */
export const browserArtifactsDir = path.join(repoRoot, 'test-artifacts', 'browser');

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The Chromium binary to use, or undefined when this machine has none. */
export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  for (const name of candidates) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs, timeout: 20_000 });
}

export interface RunningApp {
  booted: Booted;
  /** http://127.0.0.1:<port>, the port the OS picked. */
  baseUrl: string;
  /** What boot() printed on the console (the first-run setup link). */
  console: string;
  stop(): Promise<void>;
}

/**
 * Starts the real app (boot(), all stages, listening on 127.0.0.1 on a free port) on a fresh
 * SQLite file. What boot() prints (the first-run setup link) is captured rather than shown, so it
 * does not land in the test report and a test can open the link as the operator would.
 */
export async function startApp(): Promise<RunningApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isotrack-browser-'));
  const write = process.stdout.write;
  let printed = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  let booted: Booted;
  try {
    booted = await boot({
      listen: true,
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        HOST: '127.0.0.1',
        PASSWORD_SCRYPT_COST: '1024',
        DATABASE_URL: `sqlite:${path.join(dir, 'isotrack.sqlite')}`,
      },
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    process.stdout.write = write;
  }
  const address = booted.server?.address() as AddressInfo | null;
  if (!address || typeof address !== 'object') {
    await booted.stop();
    throw new Error('the app did not report the port it listens on');
  }
  return {
    booted,
    baseUrl: `http://127.0.0.1:${address.port}`,
    console: printed,
    async stop() {
      await booted.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BrowserSuite {
  browser: Browser;
  app: RunningApp;
}

/**
 * Declares a browser suite. Without Chromium, outside CI, the suite becomes one pending test that
 * says so; in CI (CI=true) a missing or broken Chromium fails the run in before(), loudly.
 * The app and the browser are started once for the suite and stopped after it.
 */
export function describeInBrowser(title: string, body: (ctx: () => BrowserSuite) => void): void {
  const executable = chromiumExecutable();
  const inCi = process.env.CI === 'true';
  if (!executable && !inCi) {
    describe(title, () => {
      it('runs in Chromium (pending: Chromium is missing; install the chromium package or set CHROMIUM_PATH)');
    });
    return;
  }
  describe(title, function () {
    let ctx: BrowserSuite | undefined;
    let app: RunningApp | undefined;
    let browser: Browser | undefined;
    before(async function () {
      this.timeout(40_000);
      if (!executable) throw new Error('Chromium is required in CI (CI=true) but none was found: install the chromium package or set CHROMIUM_PATH');
      try {
        browser = await launchChromium(executable);
      } catch (err) {
        throw new Error(`Chromium at ${executable} could not be launched: ${(err as Error).message}`, { cause: err });
      }
      app = await startApp();
      runningDb = app.booted.db;
      fs.mkdirSync(browserArtifactsDir, { recursive: true });
      ctx = { browser, app };
    });
    after(async function () {
      this.timeout(20_000);
      await browser?.close();
      await app?.stop();
    });
    body(() => {
      if (!ctx) throw new Error('browser suite not set up');
      return ctx;
    });
  });
}

/** The login names of the running suite's app, read again whenever a page opens. */
const knownUsernames = new Set<string>();
let runningDb: Booted['db'] | undefined;
async function refreshUsernames(): Promise<void> {
  if (!runningDb) return;
  for (const u of (await runningDb('users').select('username')) as Array<{ username: string }>) knownUsernames.add(u.username);
}

/**
 * Records what would break a page for a user: script errors, CSP refusals, and stylesheets,
 * scripts or images that fail. Whole-page error statuses are the app's answers (422 on a form)
 * and are checked by the steps; /favicon.ico is the browser's own guess.
 */
export function watchPage(page: Page, problems: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    const req = r.request();
    if (r.status() >= 400 && req.resourceType() !== 'document' && new URL(r.url()).pathname !== '/favicon.ico') {
      problems.push(`${r.status()} for ${req.resourceType()} ${r.url()}`);
    }
  });
  page.on('response', (r) => {
    // Every page the journey opens speaks in words: no locale key, stored value, digest or cron.
    if (r.request().resourceType() !== 'document' || r.status() !== 200 || !(r.headers()['content-type'] ?? '').includes('html')) return;
    Promise.all([r.text(), refreshUsernames()]).then(
      ([html]) => {
        // Login names are what people type, not words of the machine (the fixtures' hold dots).
        const words = machineWordsInContext(html, [...knownUsernames]);
        if (words.length > 0) problems.push(`machine words on ${new URL(r.url()).pathname}: ${words.join('; ')}`);
      },
      () => undefined,
    );
  });
  page.on('requestfailed', (req) => {
    if (new URL(req.url()).pathname !== '/favicon.ico') problems.push(`${req.failure()?.errorText ?? 'failed'}: ${req.url()}`);
  });
}

/** A phone-sized page (the answering and on-site pages are used on phones). */
export const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/**
 * A page in a browser profile of its own (own cookies), in Vietnamese, watched for script, CSP and
 * asset errors. The caller closes the returned context.
 */
export async function openPage(browser: Browser, problems: string[], options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  watchPage(page, problems);
  return { context, page };
}

/** Signs in through the login form and waits until the app has moved on from it. */
export async function signInThroughForm(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}

/**
 * The steps of a journey build on one another: once one fails, the next ones fail at once
 * pointing back to it (instead of failing for a reason the reader would chase). Pages opened
 * through it get browser profiles of their own, closed after the suite.
 */
export function journey(browser: () => Browser, problems: string[]): { page(options?: BrowserContextOptions): Promise<Page> } {
  const contexts: BrowserContext[] = [];
  let broken = false;
  beforeEach(() => {
    if (broken) throw new Error('an earlier step of the journey failed; see above');
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') broken = true;
  });
  after(async () => {
    for (const c of contexts) await c.close();
  });
  return {
    async page(options = {}) {
      const { context, page } = await openPage(browser(), problems, options);
      contexts.push(context);
      return page;
    },
  };
}
