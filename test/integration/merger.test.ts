import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase, type Agent } from '../helpers/app.ts';
import { arrangeMerger, type MergerWorld } from '../fixtures/merger-world.ts';
import { docText, issuedProcedures, pdfPlain } from '../fixtures/documents-data.ts';

const squash = (s: string) => s.replace(/\s+/g, ' ');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

forEachDatabase('merger: a merger is an ISO event with carry-over', (ctx) => {
  let w: MergerWorld;
  let coordinator: Agent;
  let officer: Agent;
  let officerActor: Actor;
  let coordinatorActor: Actor;

  before(async function () {
    this.timeout(60_000);
    w = await arrangeMerger(ctx());
    const c = await ctx().userWith('coordinator', 'DNO');
    coordinatorActor = { user: c.user };
    coordinator = await ctx().signIn(c.username, c.password);
    const o = await ctx().userWith('officer', 'DNO-NDM');
    officerActor = { user: o.user };
    officer = await ctx().signIn(o.username, o.password);
  });

  /** The numbered fields of the carry-over page as a browser would post them, with changes. */
  async function carryForm(change: (fields: Record<string, string>, keys: string[]) => void = () => undefined) {
    const page = await officer.get(`/units/${w.target}/carry-over`);
    expect(page.status).to.equal(200);
    const fields: Record<string, string> = {};
    const keys: string[] = [];
    for (const m of page.text.matchAll(/name="key_(\d+)" value="([^"]*)"/g)) {
      const i = m[1]!;
      keys[Number(i)] = m[2]!.replace(/&#34;/g, '"').replace(/&amp;/g, '&');
      fields[`key_${i}`] = keys[Number(i)]!;
      if (page.text.includes(`name="take_${i}" value="1" checked`)) fields[`take_${i}`] = '1';
      const pick = new RegExp(`name="pick_${i}" value="(\\d+)" checked`).exec(page.text);
      if (pick) fields[`pick_${i}`] = pick[1]!;
      const code = new RegExp(`name="code_${i}" value="([^"]*)"`).exec(page.text);
      if (code) fields[`code_${i}`] = code[1]!;
    }
    change(fields, keys);
    return fields;
  }

  it('flags the new unit for re-declaration by the merger, naming its predecessors and resolution', async () => {
    const res = await coordinator.form(`/units/${w.target}/merge`, {
      sources: 'DNO-CJ-ND, DNO-CJ-ET',
      date: '2025-07-01',
      resolutionNumber: '1660/NQ-UBTVQH15',
      resolutionDate: '2025-06-16',
    });
    expect(res.status).to.equal(302);
    const unit = await ctx().built.services.units.get(ctx().admin, w.target);
    expect(unit.isoState).to.equal('needs_redeclaration');
    expect(unit.isoStateReason).to.equal("Sáp nhập: Xã Nam Dong, Thị trấn Ea T'ling");
    const page = await coordinator.get(`/units/${w.target}`);
    expect(page.text).to.include(docText('units.states.needs_redeclaration'));
    expect(page.text).to.include(html("Sáp nhập: Xã Nam Dong, Thị trấn Ea T'ling"));
    expect(page.text).to.include(docText('merger.resolution_line', { number: '1660/NQ-UBTVQH15', date: '16/06/2025' }));
  });

  it("puts the carry-over on the new unit's officer's home page", async () => {
    const home = await officer.get('/home');
    expect(home.status).to.equal(200);
    expect(home.text).to.include(docText('home.kinds.merger'));
    expect(home.text).to.include(`href="/units/${w.target}/carry-over"`);
  });

  it("lists the predecessors' open findings on the new unit's page, with links to their records", async () => {
    const page = await coordinator.get(`/units/${w.target}`);
    expect(page.text).to.include(docText('merger.predecessors'));
    for (const id of [w.nd, w.et]) {
      for (const area of ['catalog', 'checks', 'documents']) expect(page.text).to.include(`href="/units/${id}/${area}"`);
    }
    expect(page.text.match(/class="finding severity-major"/g)).to.have.length(2);
  });

  it('shows the union of the predecessors by TTHC, with the two khai sinh procedures side by side', async () => {
    const page = await officer.get(`/units/${w.target}/carry-over`);
    expect(page.status).to.equal(200);
    const rows = page.text.split('class="carry-item').slice(1);
    expect(rows).to.have.length(2);
    const khaiSinh = rows.find((r) => r.includes('1.001193'))!;
    expect(khaiSinh).to.include('QT-01/ND-HT').and.include('QT-05/ET-HT').and.include(docText('merger.conflict'));
    // The more recent revision is proposed: Ea T'ling's lần 3.
    expect(/value="(\d+)" checked>\s*<strong><code>QT-05\/ET-HT/.test(khaiSinh)).to.equal(true);
    expect(rows.find((r) => r.includes('2.000815')))
      .to.include('QT-02/ET-CT')
      .and.not.include(docText('merger.conflict'));
  });

  it('refuses a taken or empty code with 422 and keeps what was chosen', async () => {
    const fields = await carryForm((f) => {
      f.code_0 = '';
      f.code_1 = 'QT-99/Z';
    });
    const res = await officer
      .post(`/units/${w.target}/carry-over`)
      .type('form')
      .send({ ...fields, _csrf: await csrfFrom(officer) });
    expect(res.status).to.equal(422);
    expect(res.text).to.include(docText('v.required'));
    expect(res.text).to.include('value="QT-99/Z"');
    expect(await countOf(ctx().db('procedures').where('unit_id', w.target))).to.equal(0);
  });

  it('makes the chosen items drafts with their lineage and the TTHC scope, and a second run changes nothing', async () => {
    const ndProcedure = Number(((await ctx().db('procedures').where('code', 'QT-01/ND-HT').first('id')) as { id: number }).id);
    const fields = await carryForm((f, keys) => {
      const i = keys.indexOf('c:1.001193');
      f[`pick_${i}`] = String(ndProcedure);
    });
    const post = () =>
      csrfFrom(officer).then((t) =>
        officer
          .post(`/units/${w.target}/carry-over`)
          .type('form')
          .send({ ...fields, _csrf: t }),
      );
    const first = await post();
    expect(first.status).to.equal(302);
    const drafts = (await ctx().db('procedures').where('unit_id', w.target).orderBy('code').select('id', 'code', 'status', 'carried_from_label')) as Array<
      Record<string, unknown>
    >;
    expect(drafts.map((d) => [d.code, d.status, d.carried_from_label])).to.deep.equal([
      ['QT-02/DNO-NDM', 'draft', 'QT-02/ET-CT lần 1'],
      ['QT-05/DNO-NDM', 'draft', 'QT-01/ND-HT lần 2'],
    ]);
    const scope = (await ctx().db('unit_tthc').where('unit_id', w.target).whereNull('dropped_at').orderBy('tthc_id').select('tthc_id')) as Array<{
      tthc_id: number;
    }>;
    expect(scope.map((r) => Number(r.tthc_id)).sort()).to.deep.equal([w.tthc.khaiSinh, w.tthc.chungThuc].sort());
    const shown = await officer.get(`/procedures/${Number(drafts[1]!.id)}`);
    expect(shown.text).to.include(docText('merger.lineage', { label: 'QT-01/ND-HT lần 2' }));
    expect(shown.text).to.include('Tiếp nhận hồ sơ khai sinh');
    expect(await countOf(ctx().db('audit_log').where({ unit_id: w.target, action: 'carry_over' }))).to.equal(1);

    const again = await post();
    expect(again.status).to.be.oneOf([302, 422]);
    expect(await countOf(ctx().db('procedures').where('unit_id', w.target))).to.equal(2);
    const page = await officer.get(`/units/${w.target}/carry-over`);
    expect(page.text.match(new RegExp(docText('merger.carried'), 'g'))).to.have.length(2);
  });

  it("counts the predecessors' two open major findings in the new unit's readiness and the province dashboard", async () => {
    const { row } = await ctx().built.services.dashboard.unitReadiness(officerActor, w.target);
    expect(row.facts.openMajors).to.equal(2);
    expect(row.readiness.items.find((i) => i.key === 'no_open_major')?.status).to.equal('not_met');
    const out = await ctx().built.services.dashboard.open(coordinatorActor, {});
    if (!('province' in out)) throw new Error('expected the province dashboard');
    const codes = out.province.rows.map((r) => r.code);
    expect(codes).to.include('DNO-NDM').and.not.include('DNO-CJ-ND').and.not.include('DNO-CJ-ET');
    expect(out.province.rows.find((r) => r.code === 'DNO-NDM')?.facts.openMajors).to.equal(2);
  });

  it('answers 404 on the carry-over page to an officer of another unit, and to one of a predecessor', async () => {
    for (const code of ['LCA-TU-PK', 'DNO-CJ-ND']) {
      const u = await ctx().userWith('officer', code);
      const agent = await ctx().signIn(u.username, u.password);
      expect((await agent.get(`/units/${w.target}/carry-over`)).status).to.equal(404);
      const token = await csrfFrom(agent);
      expect((await agent.post(`/units/${w.target}/carry-over`).type('form').send({ _csrf: token, key_0: 'c:1.001193', take_0: '1' })).status).to.equal(404);
    }
  });

  it('prints the re-declaration with the merger as its reason, the predecessors and the resolution', async () => {
    await issuedProcedures(ctx(), 'DNO-NDM', [{ code: 'QT-09/DNO-NDM', title: 'Quy trình đăng ký khai sinh', tthcCode: '1.001193' }]);
    const docs = ctx().built.services.documents;
    const d = await docs.prepare(officerActor, w.target, { type: 'redeclaration' });
    const f = d.fields;
    expect(f.parts.reason).to.equal('merger');
    await docs.update(officerActor, d.id, {
      numberSeq: d.numberSeq,
      numberSuffix: d.numberSuffix,
      issueDate: '2026-03-02',
      subject: f.subject,
      authority: f.authority,
      legalBases: f.legalBases,
      articles: f.articles,
      signerOnBehalf: f.signerOnBehalf,
      signerTitle: f.signerTitle,
      signerName: 'Nguyễn Thị Hường',
      recipients: f.recipients,
      parts: f.parts,
    });
    const { pdf } = await docs.preview(officerActor, d.id);
    const text = squash(pdfPlain(pdf));
    expect(text).to.include('Căn cứ Nghị quyết số 1660/NQ-UBTVQH15 ngày 16 tháng 6 năm 2025 về việc sắp xếp, sáp nhập đơn vị hành chính;');
    expect(text).to.include("Lý do công bố lại: Sắp xếp, sáp nhập đơn vị hành chính (sáp nhập Xã Nam Dong, Thị trấn Ea T'ling).");
  });
});

/** Counts come back as numbers (SQLite) or strings (PostgreSQL). */
async function countOf(q: Knex.QueryBuilder): Promise<number> {
  const [row] = (await q.count({ n: '*' })) as Array<{ n: number | string }>;
  return Number(row?.n ?? 0);
}

async function csrfFrom(agent: Agent): Promise<string> {
  const page = await agent.get('/account');
  const m = /name="_csrf" value="([^"]+)"/.exec(page.text);
  if (!m) throw new Error('no CSRF token');
  return m[1]!;
}
