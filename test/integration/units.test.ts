import { expect } from 'chai';
import { AppError } from '../../src/kernel/errors.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';

async function rejectsWith(p: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    expect((err as AppError).code).to.equal(code);
    return err as AppError;
  }
  throw new Error(`expected ${code}`);
}

forEachDatabase('units service', (ctx) => {
  before(async () => seedTree(ctx()));

  it('finds a unit by its name typed without diacritics', async () => {
    const page = await ctx().built.services.units.list(ctx().admin, { q: 'xa nam dong' });
    expect(page.items.map((u) => u.code)).to.deep.equal(['DNO-CJ-ND']);
  });

  it('counts active units per kind in the scope', async () => {
    const counts = await ctx().built.services.units.countsByKind(ctx().admin);
    expect(counts).to.deep.include({ province: 2, district: 1, commune: 2, town: 1, department: 1 });
  });

  it('refuses a duplicate unit code and changes nothing', async () => {
    const before = await ctx().db('units').count({ n: '*' });
    const err = await rejectsWith(ctx().built.services.units.create(ctx().admin, { code: 'DNO', name: 'Khác', kind: 'province' }), 'UNIT_CODE_TAKEN');
    expect(err.fields?.code?.key).to.equal('v.code_taken');
    expect(await ctx().db('units').count({ n: '*' })).to.deep.equal(before);
  });

  it('moves a unit with its subtree and keeps paths consistent', async () => {
    const s = ctx().built.services.units;
    const cj = await ctx().unitId('DNO-CJ');
    const lca = await ctx().unitId('LCA');
    await s.move(ctx().admin, cj, { parentId: lca });
    const nd = await s.get(ctx().admin, await ctx().unitId('DNO-CJ-ND'));
    expect(nd.path).to.equal(`/${lca}/${cj}/${nd.id}/`);
    expect(nd.depth).to.equal(2);
    await s.move(ctx().admin, cj, { parentCode: 'DNO' });
    const back = await s.get(ctx().admin, nd.id);
    expect(back.path.startsWith(`/${await ctx().unitId('DNO')}/${cj}/`)).to.equal(true);
  });

  it('refuses to move a unit under its own descendant', async () => {
    const s = ctx().built.services.units;
    await rejectsWith(s.move(ctx().admin, await ctx().unitId('DNO'), { parentCode: 'DNO-CJ-ND' }), 'UNIT_MOVE_INTO_OWN_SUBTREE');
    await rejectsWith(s.move(ctx().admin, await ctx().unitId('DNO-CJ'), { parentCode: 'DNO-CJ' }), 'UNIT_MOVE_INTO_OWN_SUBTREE');
  });

  it('merges two communes into a new one on a date, keeping their history', async () => {
    const s = ctx().built.services.units;
    const dno = await ctx().unitId('DNO');
    const target = await s.create(ctx().admin, { code: 'DNO-ND-2025', name: 'Xã Nam Dong (2025)', kind: 'commune', parentId: dno });
    await s.merge(ctx().admin, target.id, { sources: 'DNO-CJ-ND, DNO-CJ-ET', date: '2025-07-01' });
    const d = await s.details(ctx().admin, target.id);
    expect(d.predecessors.map((p) => p.code).sort()).to.deep.equal(['DNO-CJ-ET', 'DNO-CJ-ND']);
    expect(d.unit.activeFrom).to.equal('2025-07-01');
    const old = await s.details(ctx().admin, await ctx().unitId('DNO-CJ-ND'));
    expect(old.active).to.equal(false);
    expect(old.unit.name).to.equal('Xã Nam Dong');
    expect(old.mergedInto?.id).to.equal(target.id);
    const log = await ctx().db('audit_log').where({ entity: 'unit', action: 'merge' });
    expect(log).to.have.length(3);
  });

  it('refuses a merge of a unit into itself, into its lineage, or of an unknown code', async () => {
    const s = ctx().built.services.units;
    const pk = await ctx().unitId('LCA-TU-PK');
    await rejectsWith(s.merge(ctx().admin, pk, { sources: 'LCA-TU-PK', date: '2025-07-01' }), 'UNIT_MERGE_INTO_SELF');
    await rejectsWith(s.merge(ctx().admin, pk, { sources: 'LCA', date: '2025-07-01' }), 'UNIT_MERGE_INVALID');
    await rejectsWith(s.merge(ctx().admin, pk, { sources: 'KHONG-CO', date: '2025-07-01' }), 'UNIT_MERGE_INVALID');
    const unchanged = await s.get(ctx().admin, pk);
    expect(unchanged.activeTo).to.equal(null);
  });

  it('sets the ISO state by hand with its reason and date, and logs before and after', async () => {
    const s = ctx().built.services.units;
    const id = await ctx().unitId('LCA-TU-PK');
    const u = await s.setIsoState(ctx().admin, id, { state: 'building', standard: '2015', reason: 'Bắt đầu xây dựng HTQLCL' });
    expect(u.isoState).to.equal('building');
    expect(u.isoStandard).to.equal('2015');
    expect(u.isoStateChangedAt).to.equal(ctx().clock.now().toISOString());
    const row = await ctx().db('audit_log').where({ entity: 'unit', entity_id: id, action: 'iso_state' }).first();
    expect(JSON.parse(row.before).isoState).to.equal('not_started');
    expect(JSON.parse(row.after).isoState).to.equal('building');
  });

  it('keeps names with HTML, quotes, emoji and Vietnamese exactly as typed', async () => {
    const s = ctx().built.services.units;
    const name = `<script>alert("x")</script> Xã Đắk R'Lấp 🌾 "Ê"`;
    const u = await s.create(ctx().admin, { code: 'ODD-1', name, kind: 'commune', parentId: await ctx().unitId('LCA') });
    expect((await s.get(ctx().admin, u.id)).name).to.equal(name.normalize('NFC'));
  });

  it('refuses a name over 300 characters with a field message', async () => {
    const err = await rejectsWith(
      ctx().built.services.units.create(ctx().admin, { code: 'LONG-1', name: 'x'.repeat(5000), kind: 'commune', parentId: await ctx().unitId('LCA') }),
      'VALIDATION_FAILED',
    );
    expect(err.fields?.name?.key).to.equal('v.too_long');
  });
});
