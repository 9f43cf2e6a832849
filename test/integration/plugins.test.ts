import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { pino, type Logger } from 'pino';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { Translator } from '../../src/lib/i18n.ts';
import { loadPlugins, type LoadOptions } from '../../src/plugins/loader.ts';
import type { PluginRegistry } from '../../src/plugins/registry.ts';
import { createDb } from '../../src/db/knex.ts';
import { engines, freshDb, type TestDb } from '../helpers/databases.ts';
import { makeAgent, testConfig, testPassword, type Agent } from '../helpers/app.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/plugins');
const bundled = ['discipline-inspection', 'iso-calendar', 'iso-internal-audit', 'one-stop-shop', 'sipas'];

/** A logger whose error lines the test can read. */
function capturingLogger(): { logger: Logger; errors: Array<{ plugin?: string; phase?: string; msg: string }> } {
  const errors: Array<{ plugin?: string; phase?: string; msg: string }> = [];
  const logger: Logger = pino({ level: 'error' }, { write: (line: string) => errors.push(JSON.parse(line) as { msg: string }) });
  return { logger, errors };
}

async function hasTable(db: TestDb['db'], name: string): Promise<boolean> {
  return db.schema.hasTable(name);
}

for (const dialect of engines()) {
  describe(`plugin loader [${dialect}]`, function () {
    let tdb: TestDb;
    const clock = new ManualClock('2026-03-02T02:00:00Z');
    before(async function () {
      this.timeout(60_000);
      tdb = await freshDb(dialect);
    });
    after(async () => tdb?.drop());

    const load = (enabled: string[], extra: Partial<LoadOptions> = {}) => {
      const cap = capturingLogger();
      const registry = loadPlugins({
        db: tdb.db,
        logger: cap.logger,
        clock,
        translator: new Translator(),
        dir: fixtures,
        enabled,
        initTimeoutMs: 300,
        reservedDocumentIds: ['declaration'],
        ...extra,
      });
      return registry.then((r) => ({ registry: r, errors: cap.errors }));
    };

    it('loads a healthy plugin: its migration into its own ledger, then init, its forms, reminders and settings', async () => {
      const { registry } = await load(['good']);
      const good = registry.get('good')!;
      expect(good.status, good.error).to.equal('loaded');
      expect(good.migrationsApplied).to.deep.equal(['20260101000000_notes.ts']);
      expect(await tdb.db('knex_migrations__good').pluck('name')).to.deep.equal(['20260101000000_notes.ts']);
      expect(await tdb.db('good__notes').pluck('body')).to.deep.equal(['đã khởi động']);
      expect(registry.formVersions('good-check').map((f) => f.version)).to.deep.equal([1, 2]);
      expect(registry.form('good-check')?.title.vi).to.equal('Phiếu kiểm tra mẫu (sửa đổi)');
      expect(registry.form('good-check', 1)?.sections).to.have.length(1);
      expect(registry.reminders().map((r) => `${r.pluginId}/${r.reminder.id}`)).to.deep.equal(['good/weekly']);
      expect(good.settings).to.deep.equal({ greeting: 'Xin chào' });
    });

    it('runs a migration once: the next start applies nothing and keeps one ledger row', async () => {
      const { registry } = await load(['good']);
      expect(registry.get('good')?.status).to.equal('loaded');
      expect(registry.get('good')?.migrationsApplied).to.deep.equal([]);
      expect(await tdb.db('knex_migrations__good').count({ n: '*' })).to.deep.equal([{ n: dialect === 'postgres' ? '1' : 1 }]);
    });

    it('migrates once when two processes start at the same time on one database, and loads in both', async function () {
      // Both "processes" share this one's thread pool: on SQLite one may wait out a busy timeout
      // (5 s) or two before the other's migration is through.
      this.timeout(60_000);
      const fresh = await freshDb(dialect);
      const second = createDb({ url: fresh.url, schema: fresh.schema });
      try {
        const start = (db: TestDb['db']) =>
          loadPlugins({ db, logger: pino({ level: 'silent' }), clock, translator: new Translator(), dir: fixtures, enabled: ['good'] });
        const [a, b] = await Promise.all([start(fresh.db), start(second)]);
        expect([a.get('good')?.status, b.get('good')?.status], `${a.get('good')?.error} ${b.get('good')?.error}`).to.deep.equal(['loaded', 'loaded']);
        expect([...a.get('good')!.migrationsApplied, ...b.get('good')!.migrationsApplied]).to.deep.equal(['20260101000000_notes.ts']);
        expect(await fresh.db('knex_migrations__good').pluck('name')).to.deep.equal(['20260101000000_notes.ts']);
        expect(await fresh.db('good__notes').pluck('body')).to.deep.equal(['đã khởi động', 'đã khởi động']);
      } finally {
        await second.destroy();
        await fresh.drop();
      }
    });

    it('recovers a ledger whose lock row two starting processes both inserted', async () => {
      const fresh = await freshDb(dialect);
      try {
        await fresh.db.migrate.latest({
          tableName: 'knex_migrations__good',
          migrationSource: { getMigrations: async () => [], getMigrationName: (n: string) => n, getMigration: async () => ({ up: async () => undefined }) },
        });
        // The race of two first starts: knex found the lock table empty in both and inserted twice.
        await fresh.db('knex_migrations__good_lock').insert({ is_locked: 0 });
        expect(
          await fresh
            .db('knex_migrations__good_lock')
            .count({ n: '*' })
            .then((r) => Number((r[0] as { n: unknown }).n)),
        ).to.equal(2);
        const reg = await loadPlugins({
          db: fresh.db,
          logger: pino({ level: 'silent' }),
          clock,
          translator: new Translator(),
          dir: fixtures,
          enabled: ['good'],
        });
        expect(reg.get('good')?.status, reg.get('good')?.error).to.equal('loaded');
        expect(reg.get('good')?.migrationsApplied).to.deep.equal(['20260101000000_notes.ts']);
        expect(await fresh.db('knex_migrations__good_lock').pluck('is_locked')).to.deep.equal([0]);
      } finally {
        await fresh.drop();
      }
    });

    it("waits while another process holds the plugin's migration lock, then migrates", async () => {
      const fresh = await freshDb(dialect);
      try {
        // Another process has created the ledger and holds its lock.
        await fresh.db.migrate.latest({
          tableName: 'knex_migrations__good',
          migrationSource: { getMigrations: async () => [], getMigrationName: (n: string) => n, getMigration: async () => ({ up: async () => undefined }) },
        });
        await fresh.db('knex_migrations__good_lock').update({ is_locked: 1 });
        const started = Date.now();
        const loading = loadPlugins({ db: fresh.db, logger: pino({ level: 'silent' }), clock, translator: new Translator(), dir: fixtures, enabled: ['good'] });
        await new Promise((resolve) => setTimeout(resolve, 700));
        await fresh.db('knex_migrations__good_lock').update({ is_locked: 0 });
        const reg = await loading;
        expect(reg.get('good')?.status, reg.get('good')?.error).to.equal('loaded');
        expect(reg.get('good')?.migrationsApplied).to.deep.equal(['20260101000000_notes.ts']);
        expect(Date.now() - started).to.be.at.least(700);
      } finally {
        await fresh.drop();
      }
    });

    it('reads a setting from PLUGIN_<ID>_<NAME>', async () => {
      const { registry } = await load(['good'], { settingsEnv: { PLUGIN_GOOD_GREETING: 'Chào buổi sáng' } });
      expect(registry.get('good')?.settings.greeting).to.equal('Chào buổi sáng');
    });

    const faults: Array<[fixture: string, phase: string, error: RegExp, alsoEnable?: string[]]> = [
      ['throws-in-register', 'register', /register\(\) threw: cannot read my configuration/],
      ['throws-in-init', 'init', /init\(\) threw: the remote service is unreachable/],
      [
        'invalid-form',
        'register',
        /invalid form: form "broken-check" v1: .*weight must be 0 or more.*"below" fits only scale and number answers, not yes-no-na/,
      ],
      ['reuses-form-id', 'register', /duplicate form id "good-check": already registered by plugin "good"/],
      ['invalid-document', 'register', /invalid document: document "broken-notice": .*form.*build must be a function/],
      ['reuses-document-id', 'register', /duplicate document id "declaration": already registered by the core/],
      ['reads-core-table', 'init', /may use only its own tables \(reads-core-table__\.\.\.\), not users/],
      ['bad-cron', 'register', /reminder "at-25-oclock": cron: bad cron expression "0 25 \* \* \*": hour: 25 is outside 0-23/],
      ['hung-init', 'init', /init\(\) did not finish within 300 ms/],
      ['failed-migration', 'migrate', /migration failed/],
      ['unprefixed-table', 'migrate', /table "notes" must be named "unprefixed-table__\.\.\."/],
      ['missing-dependency', 'dependencies', /depends on "nowhere", which is not installed/],
      ['depends-on-failed', 'dependencies', /depends on "throws-in-init", which is failed/, ['throws-in-init']],
      ['wrong-host', 'manifest', /needs host \^9\.0\.0, this host is 0\.1\.0/],
      ['id-mismatch', 'manifest', /manifest id "good" differs from its folder "id-mismatch"/],
    ];
    for (const [fixture, phase, error, alsoEnable = []] of faults) {
      it(`fails ${fixture} alone at ${phase}, logs it, and loads the healthy plugin next to it`, async () => {
        const { registry, errors } = await load(['good', fixture, ...alsoEnable]);
        const bad = registry.get(fixture)!;
        expect(bad.status).to.equal('failed');
        expect(bad.phase).to.equal(phase);
        expect(bad.error).to.match(error);
        expect(bad.forms).to.deep.equal([]);
        expect(bad.reminders).to.deep.equal([]);
        expect(bad.router).to.equal(undefined);
        expect(errors.some((e) => e.plugin === fixture && e.phase === phase)).to.equal(true);
        expect(registry.get('good')?.status).to.equal('loaded');
        expect(registry.form('good-check')?.version).to.equal(2);
      });
    }

    it('rolls a failed migration back: no table, no ledger row', async () => {
      await load(['failed-migration']);
      expect(await hasTable(tdb.db, 'failed-migration__temp')).to.equal(false);
      expect(await tdb.db('knex_migrations__failed-migration').count({ n: '*' })).to.deep.equal([{ n: dialect === 'postgres' ? '0' : 0 }]);
    });

    it('refuses an unprefixed table before creating it', async () => {
      await load(['unprefixed-table']);
      expect(await hasTable(tdb.db, 'notes')).to.equal(false);
    });

    it('fails a plugin that does not parse, and loads the others', async () => {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'isotrack-plugins-'));
      try {
        fs.mkdirSync(path.join(scratch, 'syntax-error'));
        fs.copyFileSync(path.join(fixtures, 'syntax-error/index.ts.txt'), path.join(scratch, 'syntax-error/index.ts'));
        fs.symlinkSync(path.join(fixtures, 'good'), path.join(scratch, 'good'), 'dir');
        const { registry, errors } = await load(['*'], { dir: scratch });
        expect(registry.get('syntax-error')?.status).to.equal('failed');
        expect(registry.get('syntax-error')?.phase).to.equal('import');
        expect(registry.get('syntax-error')?.error).to.match(/cannot import index\.ts: [\s\S]*index\.ts:9:2: ERROR: Unexpected "}"/);
        expect(errors.map((e) => e.plugin)).to.deep.equal(['syntax-error']);
        expect(registry.get('good')?.status).to.equal('loaded');
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    });

    it('fails both plugins of a dependency cycle', async () => {
      const { registry } = await load(['cycle-a', 'cycle-b']);
      for (const id of ['cycle-a', 'cycle-b']) {
        expect(registry.get(id)?.status).to.equal('failed');
        expect(registry.get(id)?.error).to.equal('dependency cycle among cycle-a, cycle-b');
      }
    });

    it('loads a dependency first, whatever order the configuration names them in', async () => {
      const { registry } = await load(['needs-good', 'good']);
      expect(registry.get('needs-good')?.status, registry.get('needs-good')?.error).to.equal('loaded');
    });

    it('lists plugins left out of the configuration as disabled, and fails what depends on them', async () => {
      const { registry } = await load(['needs-good']);
      expect(registry.get('good')?.status).to.equal('disabled');
      expect(registry.form('good-check')).to.equal(undefined);
      expect(registry.get('needs-good')?.error).to.equal('depends on "good", which is disabled');
      expect(registry.get('hung-init')?.status).to.equal('disabled');
    });

    it('reports a plugin named in the configuration that is not installed', async () => {
      const { registry } = await load(['good', 'not-installed']);
      expect(registry.get('not-installed')).to.include({ status: 'failed', phase: 'discover' });
    });

    it('loads the five bundled plugins, and each can be disabled without touching the others', async () => {
      const all = await loadPlugins({ db: tdb.db, logger: pino({ level: 'silent' }), clock, translator: new Translator() });
      expect(all.list().map((r) => [r.id, r.status, r.error])).to.deep.equal(bundled.map((id) => [id, 'loaded', undefined]));
      for (const off of bundled) {
        const reg = await loadPlugins({ db: tdb.db, logger: pino({ level: 'silent' }), clock, translator: new Translator(), enabled: ['*', `-${off}`] });
        expect(reg.get(off)?.status).to.equal('disabled');
        for (const other of bundled.filter((b) => b !== off)) expect(reg.get(other)?.status, `${other} without ${off}`).to.equal('loaded');
        expect(reg.reminders().every((r) => r.pluginId !== off)).to.equal(true);
      }
    });
  });

  describe(`plugin pages and API [${dialect}]`, function () {
    let tdb: TestDb;
    let withBundled: BuiltApp;
    let withFixtures: BuiltApp;
    const clock = new ManualClock('2026-03-02T02:00:00Z');

    async function appWith(registry: PluginRegistry, translator: Translator): Promise<BuiltApp> {
      return buildApp({
        config: testConfig(tdb.url),
        db: tdb.db,
        clock,
        logger: pino({ level: 'silent' }),
        sessionSecret: 'test-secret-test-secret-test-secret-0123',
        translator,
        plugins: registry,
      });
    }
    async function signIn(built: BuiltApp, username: string): Promise<Agent> {
      const agent = makeAgent(built);
      const token = await agent.csrf();
      const res = await agent.post('/login').type('form').send({ username, password: testPassword, _csrf: token });
      expect(res.status, `sign-in of ${username}`).to.equal(302);
      return agent;
    }

    before(async function () {
      this.timeout(60_000);
      tdb = await freshDb(dialect);
      const t1 = new Translator();
      withBundled = await appWith(await loadPlugins({ db: tdb.db, logger: pino({ level: 'silent' }), clock, translator: t1 }), t1);
      const t2 = new Translator();
      withFixtures = await appWith(
        await loadPlugins({ db: tdb.db, logger: pino({ level: 'silent' }), clock, translator: t2, dir: fixtures, enabled: ['good', 'throws-in-init'] }),
        t2,
      );
      const users = withBundled.services.users;
      const root = await users.create(undefined, { username: 'root', fullName: 'Quản trị', password: testPassword }, { admin: true });
      await users.create({ user: root }, { username: 'xem', fullName: 'Người xem', password: testPassword });
    });
    after(async () => tdb?.drop());

    it('shows administrators every bundled plugin with its forms as a read-only preview and its reminders', async () => {
      const admin = await signIn(withBundled, 'root');
      const res = await admin.get('/admin/plugins');
      expect(res.status).to.equal(200);
      for (const id of bundled) expect(res.text).to.match(new RegExp(`id="plugin-${id}"[\\s\\S]*?data-status="loaded"`));
      expect(res.text).to.include('Danh mục kiểm tra đánh giá nội bộ HTQLCL theo TCVN ISO 9001:2015');
      expect(res.text).to.include('Bối cảnh của cơ quan (Điều 4)');
      expect(res.text).to.include('Cải tiến (Điều 10)');
      expect(res.text).to.include('<span class="tag" title="Căn cứ">9.2</span>');
      expect(res.text).to.include('Nhóm câu hỏi này được lặp lại cho từng cán bộ, công chức được kiểm tra.');
      expect(res.text).to.include('Vắng không có lý do');
      expect(res.text).to.include('TT 03/2025/TT-VPCP, Mẫu số 04');
      const previews = res.text.slice(res.text.indexOf('class="form-preview"'));
      const controls = previews.match(/<(input|textarea)\b[^>]*>/g) ?? [];
      expect(controls.length).to.be.greaterThan(100);
      expect(controls.filter((c) => !/\sdisabled[\s>]/.test(c))).to.deep.equal([]);
      expect(res.text).to.include('<code>0 7 1 10 *</code>');
      expect(res.text).to.include('01/10/2026 07:00');
    });

    it('shows a failed plugin with the phase and its error', async () => {
      const admin = await signIn(withFixtures, 'root');
      const res = await admin.get('/admin/plugins');
      expect(res.text).to.match(
        /id="plugin-throws-in-init"[\s\S]*?data-status="failed"[\s\S]*?Lỗi ở bước khởi tạo:[\s\S]*?init\(\) threw: the remote service is unreachable/,
      );
      expect(res.text).not.to.include('Không hiện');
    });

    it('serves the same as JSON at /api/v1/plugins', async () => {
      const admin = await signIn(withBundled, 'root');
      const res = await admin.get('/api/v1/plugins');
      expect(res.status).to.equal(200);
      const body = res.body as {
        hostVersion: string;
        data: Array<{
          id: string;
          status: string;
          forms: Array<{ id: string; versions: number[]; latest: { sections: unknown[] } }>;
          reminders: Array<{ id: string; cron: string; nextRun: string }>;
        }>;
      };
      expect(body.hostVersion).to.equal('0.1.0');
      expect(body.data.map((p) => [p.id, p.status])).to.deep.equal(bundled.map((id) => [id, 'loaded']));
      const audit = body.data.find((p) => p.id === 'iso-internal-audit')!;
      expect(audit.forms.map((f) => [f.id, f.versions, f.latest.sections.length])).to.deep.equal([['iso-internal-audit', [1], 7]]);
      expect(audit.reminders.map((r) => [r.id, r.cron, r.nextRun])).to.deep.equal([
        ['internal-audit-due', '0 7 1 10 *', '2026-10-01T00:00:00.000Z'],
        ['management-review-due', '0 7 1 11 *', '2026-11-01T00:00:00.000Z'],
      ]);
    });

    it('hides the plugins page and API from everyone but administrators', async () => {
      const anonymous = makeAgent(withBundled);
      expect((await anonymous.get('/admin/plugins')).status).to.equal(302);
      expect((await anonymous.get('/api/v1/plugins')).status).to.equal(401);
      const someone = await signIn(withBundled, 'xem');
      expect((await someone.get('/admin/plugins')).status).to.equal(404);
      expect((await someone.get('/api/v1/plugins')).status).to.equal(404);
    });

    it("mounts a plugin's routes under /p/<id> behind sign-in, with its views and texts", async () => {
      const anonymous = makeAgent(withFixtures);
      const out = await anonymous.get('/p/good/hello');
      expect(out.status).to.equal(302);
      expect(out.headers.location).to.equal('/login?next=%2Fp%2Fgood%2Fhello');
      const admin = await signIn(withFixtures, 'root');
      const res = await admin.get('/p/good/hello');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('<h1>Trang của plugin mẫu</h1>');
      expect(res.text).to.include('<p class="greeting">Xin chào, Quản trị.</p>');
      expect(res.text).to.include('href="/static/app.css"');
    });

    it('mounts nothing for a failed plugin', async () => {
      const admin = await signIn(withFixtures, 'root');
      expect((await admin.get('/p/throws-in-init/hello')).status).to.equal(404);
    });
  });
}
