import { expect } from 'chai';
import { ManualClock } from '../../src/lib/clock.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { engines, freshDb } from '../helpers/databases.ts';
import { adminOf, reminderApp, signInAs } from '../helpers/reminders.ts';
import { machineWordsInContext } from '../helpers/machine-words.ts';
import { seedTree } from '../fixtures/tree.ts';
import { castRoles, signInCast, type CastRole, type Member } from '../fixtures/cast.ts';
import { send } from '../fixtures/http.ts';
import { accessWorld, fillPath, type Fixture } from '../fixtures/access-world.ts';
import { expected, isScoped, routes } from '../fixtures/access-table.ts';

/**
 * The pages of the access table, as each role reads them: no locale key and no stored value
 * (a status, a kind, a form's id) in the text an officer sees. Technical details behind the
 * "Chi tiết kỹ thuật" toggle are allowed.
 */
forEachDatabase('machine words: no page shows a locale key or a stored value', (ctx) => {
  let cast: Record<CastRole, Member>;
  let f: Fixture;

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    cast = await signInCast(ctx(), 'mw');
    f = await accessWorld(ctx());
  });

  it('every page each role opens speaks in words', async function () {
    this.timeout(300_000);
    const problems: string[] = [];
    // A username is what its owner typed, not a word of the machine (the fixtures put them in names).
    const usernames = ((await ctx().db('users').select('username')) as Array<{ username: string }>).map((u) => u.username);
    for (const row of routes.filter((r) => r.method === 'GET' && !r.path.startsWith('/api/'))) {
      for (const role of castRoles) {
        for (const where of isScoped(row) ? (['inside', 'outside'] as const) : (['inside'] as const)) {
          if (expected(row, role, where) !== 200) continue;
          const m = cast[role];
          const { url } = await fillPath(row, f[where], f, m);
          const res = await send(m.agent, 'GET', url, { csrf: m.csrf });
          if (res.status !== 200 || !String(res.type).includes('html')) continue;
          const words = machineWordsInContext(res.text, usernames);
          if (words.length > 0) problems.push(`${role} GET ${url}: ${words.join('; ')}`);
        }
      }
    }
    expect(problems.join('\n'), `${problems.length} pages show machine words`).to.equal('');
  });
});

/** The plugins page with the bundled plugins: reminders say when they run, ids wait behind the toggle. */
for (const dialect of engines()) {
  describe(`machine words on the plugins page [${dialect}]`, () => {
    it('names each schedule in words and keeps ids, setting keys and cron behind the technical toggle', async function () {
      this.timeout(60_000);
      const tdb = await freshDb(dialect);
      try {
        const built = await reminderApp({ db: tdb.db, url: tdb.url, clock: new ManualClock('2026-10-01T00:00:00Z') });
        await adminOf(built);
        const page = await (await signInAs(built, 'root')).get('/admin/plugins');
        expect(page.status).to.equal(200);
        expect(machineWordsInContext(page.text).join('\n')).to.equal('');
        expect(page.text).to.include('Từ thứ Hai đến thứ Sáu, lúc 07:00');
        expect(page.text).to.include('Hằng ngày lúc 07:00');
        expect(page.text).to.match(/<details class="technical">[\s\S]*<code>0 7 \* \* 1-5<\/code>/);
      } finally {
        await tdb.drop();
      }
    });
  });
}
