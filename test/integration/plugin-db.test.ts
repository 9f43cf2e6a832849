import { expect } from 'chai';
import { engines, freshDb, type TestDb } from '../helpers/databases.ts';
import { foreignTables, pluginDb } from '../../src/plugins/plugin-db.ts';

for (const dialect of engines()) {
  describe(`a plugin's database handle [${dialect}]`, function () {
    let t: TestDb;
    before(async () => {
      t = await freshDb(dialect);
      for (const name of ['notes__items', 'notes__tags', 'calendar__days']) {
        await t.db.schema.createTable(name, (tb) => {
          tb.increments('id');
          tb.string('text');
        });
      }
    });
    after(async () => t.drop());

    it('reads and writes the plugin own tables by their short name', async () => {
      const db = pluginDb(t.db, 'notes');
      await db('items').insert({ text: 'một' });
      const rows = (await db('items').select('text')) as Array<{ text: string }>;
      expect(rows.map((r) => r.text)).to.deep.equal(['một']);
      expect(await db.hasTable('items')).to.equal(true);
      expect(await db.hasTable('nothing')).to.equal(false);
    });

    it('refuses a join to a core table before the statement is sent', async () => {
      const db = pluginDb(t.db, 'notes');
      let error: Error | undefined;
      await db('items')
        .join('users', 'users.id', 'notes__items.id')
        .select('users.password_hash')
        .catch((e: Error) => (error = e));
      expect(error?.message).to.match(/only its own tables.*users/);
    });

    it('refuses raw SQL inside the builder that reads a core table', async () => {
      const db = pluginDb(t.db, 'notes');
      const tries = [
        () => db('items').whereRaw('id in (select id from users)'),
        () => db('items').whereIn('id', t.db('sessions').select('id')),
        () => db('items').whereExists(t.db('audit_log').select(t.db.raw('1'))),
      ];
      for (const run of tries) {
        let error: Error | undefined;
        await run().catch((e: Error) => (error = e));
        expect(error?.message, String(run)).to.match(/only its own tables/);
      }
    });

    it('refuses a table name that is not a plain name', () => {
      const db = pluginDb(t.db, 'notes');
      for (const bad of ['users; drop table users', '../users', 'Users', '', 'a.b']) {
        expect(() => db(bad), bad).to.throw(/not a table name/);
      }
    });

    it('opens the tables of a plugin it depends on, and no other plugin', async () => {
      const db = pluginDb(t.db, 'notes', ['calendar']);
      await db('calendar__days').insert({ text: 'thứ hai' });
      expect(await db('calendar__days').count({ n: '*' })).to.have.length(1);
      const alone = pluginDb(t.db, 'notes');
      let error: Error | undefined;
      await alone('tags')
        .join('calendar__days', 'calendar__days.id', 'notes__tags.id')
        .catch((e: Error) => (error = e));
      expect(error?.message).to.match(/calendar__days/);
    });

    it('keeps the limit inside a transaction and rolls back on failure', async () => {
      const db = pluginDb(t.db, 'notes');
      await db
        .transaction(async (trx) => {
          await trx('tags').insert({ text: 'giữ?' });
          await trx('tags').join('users', 'users.id', 'notes__tags.id');
        })
        .catch(() => undefined);
      expect(await db('tags').where({ text: 'giữ?' })).to.have.length(0);
    });
  });
}

describe('the tables a compiled statement names', function () {
  it('finds quoted, bare and schema-qualified tables and ignores the statement own CTEs', () => {
    expect(foreignTables('select * from `notes__a` inner join `users` on 1', ['notes__'])).to.deep.equal(['users']);
    expect(foreignTables('select * from "t_1"."units" where x', ['notes__'])).to.deep.equal(['units']);
    expect(foreignTables('with recent as (select * from "notes__a") select * from recent', ['notes__'])).to.deep.equal([]);
    expect(foreignTables('update "notes__a" set "x" = ? where id in (select id from sessions)', ['notes__'])).to.deep.equal(['sessions']);
  });
});
