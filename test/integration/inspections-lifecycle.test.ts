import { expect } from 'chai';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { forEachDatabase, makeAgent, testConfig, testPassword } from '../helpers/app.ts';
import { csrfOfSignedIn } from '../fixtures/http.ts';
import { addOfficials, buildWorld, form, inspectionRegistry, pngBytes, post, put, viHtml, viMsg, type World } from '../fixtures/inspections-world.ts';

interface Rec {
  id: number;
  status: string;
  arrivedAt: string | null;
  closedAt: string | null;
  earlierInspectionId: number | null;
  inspectionDate: string;
  attendance?: Array<{ id: number; fullName: string; presence: string | null; officialId: number | null }>;
  answers: Array<{ attendanceId: number | null; itemId: string; value: string | null; note: string | null }>;
  violations: Array<{ attendanceId: number | null; fullName: string | null; kind: string; severity: string }>;
  personalViolationCount: number;
  files: Array<{ id: number; sha256: string; size: number }>;
  conclusion: { text: string } | null;
  corrections: Array<{ id: number; status: string; deadline: string; overdue: boolean }>;
}

forEachDatabase('inspections: an unannounced inspection from arrival to follow-up', (ctx) => {
  let w: World;
  let id: number;
  const rec = async (who = w.inspector, i = id) => {
    const res = await who.agent.get(`/api/v1/inspections/${i}`);
    expect(res.status, res.text).to.equal(200);
    return (res.body as { data: Rec }).data;
  };
  const tables = async () => {
    const out: Record<string, number> = {};
    for (const t of [
      'inspections',
      'inspection_attendance',
      'inspection_answers',
      'inspection_violations',
      'inspection_corrections',
      'inspection_files',
      'unit_officials',
    ]) {
      out[t] = Number(((await ctx().db(t).count({ n: '*' }).first()) as { n: unknown }).n);
    }
    return out;
  };

  before(async function () {
    this.timeout(60_000);
    w = await buildWorld(ctx());
    await addOfficials(w.officerNd, w.nd, [
      { fullName: 'Nguyễn Văn An', position: 'Chủ tịch UBND', badgeNo: 'ND-01' },
      { fullName: 'Trần Thị Bình', position: 'Công chức Văn phòng - Thống kê', badgeNo: 'ND-02' },
      { fullName: 'Lê Văn Cường', position: 'Công chức Tư pháp - Hộ tịch' },
    ]);
  });

  it("refuses to start at a unit outside the team's assignment, and starts one inside with the staff list as attendance", async () => {
    const before = await tables();
    const out = await post(w.inspector, '/api/v1/inspections', { unitCode: 'LCA-TU-PK' });
    expect(out.status).to.equal(422);
    expect((out.body as { error: { fields: Record<string, string> } }).error.fields.unitCode).to.equal(viMsg('v.insp_unit_not_assigned'));
    // The province office itself is outside DNO-CJ too.
    const page = await form(w.inspector, '/inspections', { unitCode: 'DNO-SKHCN' });
    expect(page.status).to.equal(422);
    expect(page.text).to.include(viHtml('v.insp_unit_not_assigned'));
    // An inspector in no team cannot start anything: the page does not exist for them.
    expect((await w.loneInspector.agent.get('/inspections/new')).status).to.equal(404);
    expect(await tables()).to.deep.equal(before);

    const ok = await form(w.member, '/inspections', { unitCode: 'DNO-CJ-ND' });
    expect(ok.status, ok.text.slice(0, 300)).to.equal(302);
    id = Number(/\/inspections\/(\d+)/.exec(String(ok.headers.location))![1]);
    const r = await rec();
    expect(r.status).to.equal('on_site');
    expect(r.inspectionDate).to.equal('2026-03-02');
    expect(r.attendance!.map((a) => [a.fullName, a.presence])).to.deep.equal([
      ['Lê Văn Cường', null],
      ['Nguyễn Văn An', null],
      ['Trần Thị Bình', null],
    ]);
  });

  it('refuses an arrival time in the future and keeps one typed in Viet Nam time', async () => {
    // The test clock is 2026-03-02 09:00 in Viet Nam.
    const blank = await w.inspector.agent.get(`/inspections/${id}`);
    expect(blank.text, 'the arrival starts at the present moment, as DD/MM/YYYY HH:mm').to.include('value="02/03/2026 09:00"');
    expect(blank.text).to.include('Bây giờ');
    const unreadable = await form(w.inspector, `/inspections/${id}/arrival`, { arrivedAt: '31/02/2026 08:00' });
    expect(unreadable.status).to.equal(422);
    const future = await form(w.inspector, `/inspections/${id}/arrival`, { arrivedAt: '2026-03-02T09:30' });
    expect(future.status).to.equal(422);
    expect(future.text).to.include(viHtml('v.insp_arrival_future'));
    expect(future.text).to.include('value="2026-03-02T09:30"');
    expect((await rec()).arrivedAt).to.equal(null);
    const ok = await put(w.inspector, `/api/v1/inspections/${id}/arrival`, { arrivedAt: '2026-03-02T08:15' });
    expect(ok.status, ok.text).to.equal(200);
    expect((await rec()).arrivedAt).to.equal('2026-03-02T01:15:00.000Z');
    const typed = await form(w.inspector, `/inspections/${id}/arrival`, { arrivedAt: '02/03/2026 08:10' });
    expect(typed.status, typed.text).to.equal(302);
    expect((await rec()).arrivedAt).to.equal('2026-03-02T01:10:00.000Z');
    await put(w.inspector, `/api/v1/inspections/${id}/arrival`, { arrivedAt: '2026-03-02T08:15' });
  });

  it('saves every entry as it is made: presence, a person added by name, personal and office items; a reload shows them', async () => {
    const r0 = await rec();
    const [cuong, an, binh] = r0.attendance!;
    expect((await put(w.inspector, `/api/v1/inspections/${id}/attendance/${an!.id}`, { presence: 'present' })).status).to.equal(200);
    expect((await put(w.member, `/api/v1/inspections/${id}/attendance/${binh!.id}`, { presence: 'late', reason: 'Đưa con đi khám bệnh' })).status).to.equal(
      200,
    );
    const bad = await put(w.inspector, `/api/v1/inspections/${id}/attendance/${cuong!.id}`, { presence: 'maybe' });
    expect(bad.status).to.equal(422);
    const added = await post(w.inspector, `/api/v1/inspections/${id}/people`, { fullName: 'Phạm Văn Dũng', position: 'Bảo vệ' });
    expect(added.status, added.text).to.equal(201);
    // Personal items by JSON, as the page's script sends them, and by the no-JS section form.
    expect((await put(w.inspector, `/api/v1/inspections/${id}/answers/badge`, { attendanceId: an!.id, value: 'no', note: 'Không đeo thẻ' })).status).to.equal(
      200,
    );
    const section = await form(w.member, `/inspections/${id}/people/${binh!.id}`, { 'a.badge': 'yes', 'a.alcohol': 'no', 'n.alcohol': 'Có mùi rượu' });
    expect(section.status, section.text.slice(0, 300)).to.equal(302);
    const office = await form(w.inspector, `/inspections/${id}/sections/office`, { 'a.door-plates': 'no', 'a.tidy': 'yes' });
    expect(office.status).to.equal(302);
    // A bad answer on the section form: 422, the form again, nothing of that section saved.
    const badSection = await form(w.inspector, `/inspections/${id}/sections/one-stop`, { 'a.leader-on-duty': 'perhaps', 'a.procedures-posted': 'yes' });
    expect(badSection.status).to.equal(422);
    expect(badSection.text).to.include(viHtml('v.answer_yes_no_na'));
    // The page after a reload shows all of it.
    const page = await w.inspector.agent.get(`/inspections/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Phạm Văn Dũng');
    expect(page.text).to.include('Không đeo thẻ');
    expect(page.text).to.include('value="02/03/2026 08:15"');
    const r = await rec();
    expect(r.answers.map((a) => [a.attendanceId, a.itemId, a.value]).sort()).to.deep.equal(
      [
        [an!.id, 'badge', 'no'],
        [binh!.id, 'alcohol', 'no'],
        [binh!.id, 'badge', 'yes'],
        [null, 'door-plates', 'no'],
        [null, 'tidy', 'yes'],
      ].sort(),
    );
  });

  it('takes a photo checked by type, size and magic bytes, and keeps its SHA-256', async () => {
    const up = (name: string, content: Buffer) =>
      w.inspector.agent.post(`/inspections/${id}/files`).field('_csrf', w.inspector.token).attach('file', content, name);
    const fake = await up('anh.png', Buffer.from('không phải ảnh'));
    expect(fake.status).to.equal(422);
    expect(fake.text).to.include(viHtml('errors.INSPECTION_FILE_TYPE'));
    const exe = await up('virus.exe', pngBytes);
    expect(exe.status).to.equal(422);
    const big = await up('lon.png', Buffer.concat([pngBytes, Buffer.alloc(9 * 1024 * 1024)]));
    expect(big.status).to.equal(422);
    expect(big.text).to.include(viHtml('errors.INSPECTION_FILE_TOO_LARGE', { size: '8 MB' }));
    expect((await rec()).files).to.have.length(0);
    // The limit is a setting: the same photo over 1 KB is refused by an app started with INSPECTION_UPLOAD_MAX_KB=1.
    const c = ctx();
    const small = buildApp({
      config: testConfig(c.url, { INSPECTION_UPLOAD_MAX_KB: '1' }),
      db: c.db,
      clock: c.clock,
      logger: pino({ level: 'silent' }),
      sessionSecret: 'test-secret-test-secret-test-secret-0123',
      plugins: inspectionRegistry(),
    });
    const agent = makeAgent(small);
    const csrf = await agent.csrf();
    expect((await agent.post('/login').type('form').send({ username: w.inspector.username, password: testPassword, _csrf: csrf })).status).to.equal(302);
    const token = await csrfOfSignedIn(agent);
    const tight = await agent
      .post(`/inspections/${id}/files`)
      .field('_csrf', token)
      .attach('file', Buffer.concat([pngBytes, Buffer.alloc(2048)]), 'anh.png');
    expect(tight.status).to.equal(422);
    expect(tight.text).to.include(viHtml('errors.INSPECTION_FILE_TOO_LARGE', { size: '1 KB' }));
    expect((await rec()).files).to.have.length(0);
    const ok = await up('phong-lam-viec.png', pngBytes);
    expect(ok.status).to.equal(302);
    const files = (await rec()).files;
    expect(files).to.have.length(1);
    expect(files[0]!.sha256).to.match(/^[0-9a-f]{64}$/);
    const got = await w.inspector.agent.get(`/inspection-files/${files[0]!.id}`).buffer(true);
    expect(got.status).to.equal(200);
    expect(Buffer.compare(got.body as Buffer, pngBytes)).to.equal(0);
  });

  it('refuses to close the record while someone is unmarked, naming them, and changes nothing', async () => {
    const res = await form(w.inspector, `/inspections/${id}/close`, { teamLeaderName: 'Hoàng Văn Tổ', unitRepresentativeName: 'Nguyễn Văn An' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Lê Văn Cường');
    expect(res.text).to.include('Phạm Văn Dũng');
    const api = await post(w.inspector, `/api/v1/inspections/${id}/close`, { teamLeaderName: 'Hoàng Văn Tổ', unitRepresentativeName: 'Nguyễn Văn An' });
    expect(api.status).to.equal(422);
    expect((api.body as { error: { code: string } }).error.code).to.equal('INSPECTION_UNMARKED');
    const r = await rec();
    expect(r.status).to.equal('on_site');
    expect(r.violations).to.deep.equal([]);
  });

  it('marks a signatory left out or sent twice on the close form, and an officer of the unit may not close at all', async () => {
    const rep = `unitRepresentativeName=${encodeURIComponent('Nguyễn Văn An')}&_csrf=${encodeURIComponent(w.inspector.token)}`;
    for (const body of [`teamLeaderName=&${rep}`, `teamLeaderName=Mot&teamLeaderName=Hai&${rep}`]) {
      const res = await w.inspector.agent.post(`/inspections/${id}/close`).type('form').send(body);
      expect(res.status, res.text.slice(0, 300)).to.equal(422);
      expect(res.text).to.match(/id="f-teamLeaderName"[^>]*aria-invalid=true/);
    }
    // Not of the team: no such record to close, whatever the form holds.
    expect((await form(w.officerNd, `/inspections/${id}/close`, { teamLeaderName: '', unitRepresentativeName: '' })).status).to.equal(404);
    expect((await rec()).status).to.equal('on_site');
  });

  it('closes the record with both signatories and derives the violations; entries are locked after', async () => {
    const r0 = await rec();
    const byName = (n: string) => r0.attendance!.find((a) => a.fullName === n)!;
    // The attendance section's button, without JavaScript.
    const att = await form(w.inspector, `/inspections/${id}/attendance`, {
      [`p.${byName('Lê Văn Cường').id}`]: 'absent_without_reason',
      [`p.${byName('Phạm Văn Dũng').id}`]: 'absent_with_reason',
      [`r.${byName('Phạm Văn Dũng').id}`]: 'Nghỉ phép',
    });
    expect(att.status).to.equal(302);
    const ok = await form(w.inspector, `/inspections/${id}/close`, { teamLeaderName: 'Hoàng Văn Tổ', unitRepresentativeName: 'Nguyễn Văn An' });
    expect(ok.status, ok.text.slice(0, 300)).to.equal(302);
    const r = await rec();
    expect(r.status).to.equal('record_closed');
    expect(r.closedAt).to.equal('2026-03-02T02:00:00.000Z');
    expect(r.violations.map((v) => [v.fullName, v.kind, v.severity]).sort()).to.deep.equal(
      [
        ['Lê Văn Cường', 'absent-unexcused', 'major'],
        ['Nguyễn Văn An', 'badge', 'minor'],
        ['Trần Thị Bình', 'alcohol', 'major'],
        ['Trần Thị Bình', 'late', 'minor'],
        [null, 'door-plates', 'minor'],
      ].sort(),
    );
    const late = await put(w.inspector, `/api/v1/inspections/${id}/answers/tidy`, { value: 'no' });
    expect(late.status).to.equal(409);
    const printed = await w.inspector.agent.get(`/inspections/${id}/record`);
    expect(printed.status).to.equal(200);
    expect(printed.text).to.include('BIÊN BẢN KIỂM TRA');
    expect(printed.text).to.include('Hoàng Văn Tổ');
  });

  it('refuses a conclusion whose deadline is before the inspection date, then concludes with two corrections', async () => {
    const before = await tables();
    const bad = await form(w.inspector, `/inspections/${id}/conclusion`, {
      text: 'Đơn vị chấp hành chưa nghiêm kỷ luật hành chính.',
      'c.0.text': 'Đeo thẻ công chức',
      'c.0.responsible': 'Văn phòng UBND',
      'c.0.deadline': '2026-03-01',
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include(viHtml('v.insp_deadline_before', { date: '02/03/2026' }));
    expect(bad.text).to.include('Đơn vị chấp hành chưa nghiêm');
    expect(await tables()).to.deep.equal(before);
    const ok = await form(w.inspector, `/inspections/${id}/conclusion`, {
      text: 'Đơn vị chấp hành chưa nghiêm kỷ luật hành chính.',
      'c.0.text': 'Đeo thẻ công chức trong giờ làm việc',
      'c.0.responsible': 'Văn phòng UBND',
      'c.0.deadline': '2026-03-05',
      'c.1.text': 'Gắn biển tên phòng làm việc',
      'c.1.responsible': 'Công chức Văn phòng - Thống kê',
      'c.1.deadline': '2026-03-20',
    });
    expect(ok.status, ok.text.slice(0, 300)).to.equal(302);
    const r = await rec();
    expect(r.status).to.equal('concluded');
    expect(r.corrections.map((c) => [c.deadline, c.status])).to.deep.equal([
      ['2026-03-05', 'open'],
      ['2026-03-20', 'open'],
    ]);
  });

  it('the unit answers a correction with evidence; the team returns it, the unit answers again, the team accepts', async () => {
    const [first] = (await rec()).corrections;
    // Only the unit answers; the team reviews.
    expect((await post(w.inspector, `/api/v1/corrections/${first!.id}/answer`, { answer: 'Đã đeo thẻ' })).status).to.equal(404);
    const empty = await w.officerNd.agent.post(`/corrections/${first!.id}/answer`).field('_csrf', w.officerNd.token).field('answer', '');
    expect(empty.status).to.equal(422);
    const answered = await w.officerNd.agent
      .post(`/corrections/${first!.id}/answer`)
      .field('_csrf', w.officerNd.token)
      .field('answer', 'Toàn bộ công chức đã đeo thẻ')
      .attach('file', pngBytes, 'the.png');
    expect(answered.status, answered.text.slice(0, 300)).to.equal(302);
    expect((await post(w.officerNd, `/api/v1/corrections/${first!.id}/review`, { decision: 'accept' })).status).to.equal(404);
    const noNote = await form(w.inspector, `/corrections/${first!.id}/review`, { decision: 'return', note: '' });
    expect(noNote.status).to.equal(422);
    expect((await form(w.inspector, `/corrections/${first!.id}/review`, { decision: 'return', note: 'Thiếu ảnh của bộ phận một cửa' })).status).to.equal(302);
    expect((await rec()).corrections[0]!.status).to.equal('returned');
    expect((await post(w.leaderNd, `/api/v1/corrections/${first!.id}/answer`, { answer: 'Đã bổ sung ảnh' })).status).to.equal(200);
    expect((await post(w.coordinator, `/api/v1/corrections/${first!.id}/review`, { decision: 'accept' })).status).to.equal(200);
    const again = await post(w.inspector, `/api/v1/corrections/${first!.id}/review`, { decision: 'accept' });
    expect(again.status).to.equal(409);
    expect((await rec()).corrections.map((c) => c.status)).to.deep.equal(['accepted', 'open']);
  });

  it('shows overdue corrections to the coordinator once the deadline passes', async () => {
    ctx().clock.set('2026-03-23T02:00:00Z');
    const page = await w.coordinator.agent.get('/inspections/corrections?overdue=1');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Gắn biển tên phòng làm việc');
    expect(page.text).not.to.include('Đeo thẻ công chức trong giờ làm việc');
    expect((await w.officerNd.agent.get('/inspections/corrections')).status).to.equal(404);
    ctx().clock.set('2026-03-02T02:00:00Z');
  });

  it('links a re-inspection to the earlier one', async () => {
    const res = await form(w.member, `/inspections/${id}/reinspect`, {});
    expect(res.status).to.equal(302);
    const again = Number(/\/inspections\/(\d+)/.exec(String(res.headers.location))![1]);
    const r = await rec(w.inspector, again);
    expect(r.earlierInspectionId).to.equal(id);
    expect(r.attendance!.map((a) => a.fullName)).to.include('Nguyễn Văn An');
  });
});
