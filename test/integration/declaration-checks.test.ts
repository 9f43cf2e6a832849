import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { rejectsWith } from '../fixtures/catalog.ts';
import { csrfOfSignedIn, escapeHtml } from '../fixtures/http.ts';
import { DashboardData } from '../fixtures/dashboard-data.ts';
import { docText, issuedProcedures, pdfPlain } from '../fixtures/documents-data.ts';
import { readyToDeclare } from '../fixtures/declaration-ready.ts';

type Person = Actor & { username: string; password: string };

/** A declaration checks what it declares before it is issued; the leader alone may issue it anyway, with a reason. */
forEachDatabase('documents: what a declaration checks before it is issued', (ctx) => {
  let officer: Person;
  let leader: Person;
  let nd: number;
  let auditId: number;
  let reviewId: number;
  const svc = () => ctx().built.services.documents;
  const person = async (role: 'officer' | 'leader'): Promise<Person> => {
    const u = await ctx().userWith(role, 'DNO-CJ-ND');
    return { user: u.user, username: u.username, password: u.password };
  };
  const approved = async (type = 'declaration') => {
    const d = await svc().prepare(officer, nd, { type });
    await svc().approve(leader, d.id);
    return svc().get(officer, d.id);
  };
  const unmet = async (d: Awaited<ReturnType<typeof approved>>) => ((await svc().checks(d)) ?? []).filter((c) => !c.met).map((c) => c.key);

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    nd = await ctx().unitId('DNO-CJ-ND');
    officer = await person('officer');
    leader = await person('leader');
    await issuedProcedures(ctx(), 'DNO-CJ-ND', [{ code: 'QT-01/ND-HT', title: 'Quy trình đăng ký khai sinh', tthcCode: '1.001193' }]);
    const t = await ctx().db('tthc').where('code', '1.001193').first('id');
    await ctx().db('unit_tthc').insert({
      unit_id: nd,
      tthc_id: t.id,
      adopted_at: '2026-01-05T01:00:00.000Z',
      created_at: '2026-01-05T01:00:00.000Z',
      updated_at: '2026-01-05T01:00:00.000Z',
    });
    ({ auditId, reviewId } = await readyToDeclare(ctx(), 'DNO-CJ-ND'));
  });

  it('finds a ready unit meeting every check, and the officer issues its declaration as before', async () => {
    const d = await approved();
    expect(await unmet(d)).to.deep.equal([]);
    const issued = await svc().issue(officer, d.id);
    expect(issued.status).to.equal('issued');
    expect(issued.issuedBy).to.equal(officer.user.id);
  });

  it('finds each missing precondition in turn, and names what is missing', async () => {
    const d = await approved('redeclaration');
    const db = ctx().db;
    const data = new DashboardData(db);
    // A TTHC adopted without an issued process.
    const tthc = await data.adoptTthc(nd, Number((await db('units').where('id', nd).first('path')).path.split('/')[1]));
    expect(await unmet(d)).to.deep.equal(['tthc_processes']);
    expect((await svc().checks(d))![0]!.text).to.contain((await db('tthc').where('id', tthc).first('code')).code);
    await db('unit_tthc').where('tthc_id', tthc).update({ dropped_at: '2026-02-01T00:00:00.000Z' });
    // A system procedure withdrawn.
    await db('procedures').where('kind', 'risks').update({ status: 'withdrawn' });
    expect(await unmet(d)).to.deep.equal(['system_procedures']);
    expect((await svc().checks(d))![1]!.text).to.contain('Rủi ro và cơ hội (6.1)');
    await db('procedures').where('kind', 'risks').update({ status: 'issued' });
    // The internal audit more than 12 months before the document's date.
    await db('checks').where('id', auditId).update({ check_date: '2025-02-01' });
    expect(await unmet(d)).to.deep.equal(['internal_audit']);
    await db('checks').where('id', auditId).update({ check_date: '2026-02-10' });
    // The management review still a draft.
    await db('management_reviews').where('id', reviewId).update({ status: 'draft' });
    expect(await unmet(d)).to.deep.equal(['management_review']);
    await db('management_reviews').where('id', reviewId).update({ status: 'final' });
    // An open major finding.
    const finding = await data.finding(auditId, { severity: 'major' });
    expect(await unmet(d)).to.deep.equal(['no_open_major']);
    await db('check_findings').where('id', finding).update({ status: 'closed' });
    // An open major finding of a commune merged into this one counts here.
    const [older] = (await db('units').whereNot('id', nd).where('kind', 'commune').select('id')) as Array<{ id: number }>;
    await db('units').where('id', older!.id).update({ merged_into_id: nd, active_to: '2026-01-01' });
    const inherited = await data.finding(await data.check(older!.id, { date: '2025-12-01' }), { severity: 'major' });
    expect(await unmet(d)).to.deep.equal(['no_open_major']);
    await db('check_findings').where('id', inherited).update({ status: 'closed' });
    await db('units').where('id', older!.id).update({ merged_into_id: null, active_to: null });
    expect(await unmet(d)).to.deep.equal([]);
  });

  it('blocks the issue (422, naming what is missing, nothing changed); the officer cannot override; the leader issues with a reason kept in the log only', async () => {
    const db = ctx().db;
    await db('procedures').where('kind', 'risks').update({ status: 'withdrawn' });
    try {
      const d = await approved();
      const before = await db('documents').where('id', d.id).first();
      const blocked = await rejectsWith(svc().issue(officer, d.id), 'DOCUMENT_PRECONDITIONS');
      expect(blocked.status).to.equal(422);
      expect(docText('errors.DOCUMENT_PRECONDITIONS', blocked.params)).to.contain('Chưa ban hành quy trình hệ thống: Rủi ro và cơ hội (6.1)');
      const officerTried = await rejectsWith(svc().issue(officer, d.id, { overrideReason: 'Cần công bố gấp' }), 'DOCUMENT_OVERRIDE_LEADER');
      expect(officerTried.status).to.equal(422);
      expect(await db('documents').where('id', d.id).first()).to.deep.equal(before);

      // The page: the list with ✓/✗ and links; the leader's form with a reason and a box to tick.
      const agent = await ctx().signIn(leader.username, leader.password);
      const page = await agent.get(`/documents/${d.id}`);
      expect(page.text).to.contain('✗');
      expect(page.text).to.contain('✓');
      expect(page.text).to.contain(`href="/units/${nd}/catalog"`);
      expect(page.text).to.contain('name="overrideReason"');
      const csrf = await csrfOfSignedIn(agent);
      const empty = await agent.post(`/documents/${d.id}/issue`).type('form').send({ _csrf: csrf, confirm: 'yes', overrideReason: '  ' });
      expect(empty.status).to.equal(422);
      expect(empty.text).to.contain(escapeHtml('Rủi ro và cơ hội (6.1)'));
      const reason = 'Quy trình rủi ro đang trình ký, công bố để kịp kế hoạch của huyện';
      const ok = await agent.post(`/documents/${d.id}/issue`).type('form').send({ _csrf: csrf, confirm: 'yes', overrideReason: reason });
      expect(ok.status, ok.text.slice(0, 2000)).to.equal(302);
      const issued = await svc().get(leader, d.id);
      expect(issued.status).to.equal('issued');
      const row = await db('audit_log').where({ entity: 'document', entity_id: d.id, action: 'issue' }).first();
      expect(JSON.parse(String(row.after)).overrideReason).to.equal(reason);
      const pdf = pdfPlain((await svc().download(leader, d.id)).pdf);
      expect(pdf).not.to.contain('trình ký');
      expect(pdf).not.to.contain('kịp kế hoạch');
    } finally {
      await db('procedures').where('kind', 'risks').update({ status: 'issued' });
    }
  });

  it('leaves other document types as they were: a yearly report is issued by the officer whatever the unit misses', async () => {
    const db = ctx().db;
    await db('procedures').where('kind', 'risks').update({ status: 'withdrawn' });
    try {
      const d = await approved('yearly-report');
      expect(await svc().checks(d)).to.equal(null);
      expect((await svc().issue(officer, d.id)).status).to.equal('issued');
    } finally {
      await db('procedures').where('kind', 'risks').update({ status: 'issued' });
    }
  });
});
