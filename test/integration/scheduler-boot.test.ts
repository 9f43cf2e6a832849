import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { boot } from '../../src/boot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createDb } from '../../src/db/knex.ts';
import { ManualClock } from '../../src/lib/clock.ts';

describe('scheduler settings', () => {
  const base = { NODE_ENV: 'test' as const };

  it('runs reminders by default, except in tests, where the suite drives the clock', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).scheduler.enabled).to.equal(true);
    expect(loadConfig({ NODE_ENV: 'production' }).scheduler.enabled).to.equal(true);
    expect(loadConfig(base).scheduler.enabled).to.equal(false);
    expect(loadConfig({ ...base, SCHEDULER_ENABLED: 'true' }).scheduler.enabled).to.equal(true);
    expect(loadConfig({ NODE_ENV: 'production', SCHEDULER_ENABLED: 'false' }).scheduler.enabled).to.equal(false);
  });

  it('reads the catch-up bound, the run time limit and the mail settings', () => {
    const c = loadConfig({
      ...base,
      SCHEDULER_CATCH_UP_HOURS: '6',
      SCHEDULER_RUN_TIMEOUT_MS: '30000',
      SMTP_HOST: 'mail.dno.gov.vn',
      SMTP_USER: 'isotrack',
      SMTP_PASS: 'bi-mat',
      EMAIL_MAX_ATTEMPTS: '5',
    });
    expect(c.scheduler).to.deep.equal({ enabled: false, catchUpMs: 6 * 3600_000, runTimeoutMs: 30_000 });
    expect(c.mail).to.deep.equal({
      smtp: { url: undefined, host: 'mail.dno.gov.vn', port: 587, secure: false, user: 'isotrack', pass: 'bi-mat' },
      from: 'isotrack <no-reply@isotrack.local>',
      maxAttempts: 5,
    });
    expect(loadConfig({ ...base, SMTP_URL: 'smtps://u:p@mail.example:465' }).mail.smtp?.url).to.equal('smtps://u:p@mail.example:465');
    expect(loadConfig({ ...base, SMTP_HOST: '' }).mail.smtp, 'an empty SMTP_HOST means no e-mail').to.equal(undefined);
    expect(() => loadConfig({ ...base, SMTP_URL: 'mail.example:25' })).to.throw(/SMTP_URL: must start with smtp:\/\/ or smtps:\/\//);
    expect(() => loadConfig({ ...base, SCHEDULER_RUN_TIMEOUT_MS: '10' })).to.throw(/SCHEDULER_RUN_TIMEOUT_MS/);
  });
});

describe('the scheduler stage of boot', () => {
  it('starts after the app, catches up on the slots of the last day at once, and stops with the app', async function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isotrack-boot-'));
    const file = path.join(dir, 'isotrack.sqlite');
    // 07:10 on Tuesday 3 March 2026 in Ha Noi, after a day switched off.
    const clock = new ManualClock('2026-03-03T00:10:00Z');
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write; // the first-run setup link
    try {
      const app = await boot({
        listen: false,
        clock,
        env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', PASSWORD_SCRYPT_COST: '1024', DATABASE_URL: `sqlite:${file}`, SCHEDULER_ENABLED: 'true' },
      });
      process.stdout.write = write;
      await app.stop();
      const db = createDb({ url: `sqlite:${file}` });
      try {
        const runs = await db('scheduler_runs').orderBy(['scheduled_for', 'job_id']).select('job_id', 'scheduled_for', 'status');
        expect(runs.map((r) => [r.job_id, r.scheduled_for, r.status])).to.deep.equal([
          ['iso-calendar/corrective-actions-overdue', '2026-03-02T00:15:00.000Z', 'ok'],
          ['iso-calendar/redeclaration-needed', '2026-03-02T00:30:00.000Z', 'ok'],
          ['discipline-inspection/conclusion-deadlines', '2026-03-03T00:00:00.000Z', 'ok'],
          ['iso-calendar/corrective-actions-due', '2026-03-03T00:00:00.000Z', 'ok'],
          ['iso-calendar/qms-report-due', '2026-03-03T00:00:00.000Z', 'ok'],
        ]);
      } finally {
        await db.destroy();
      }
    } finally {
      process.stdout.write = write;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
