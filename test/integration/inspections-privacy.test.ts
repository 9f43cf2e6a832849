import { expect } from 'chai';
import { forEachDatabase } from '../helpers/app.ts';
import { addOfficials, buildWorld, form, post, put, type Person, type World } from '../fixtures/inspections-world.ts';

/**
 * The privacy rule of inspections: violations against a named official are seen by the team that
 * recorded them, the province's coordinators and the leader of the official's unit. The unit's
 * ISO officer sees the record and the conclusion without names; an ISO officer of another unit
 * and every other role see nothing of the inspection at all (404).
 */
forEachDatabase('inspections: who sees the personal violations', (ctx) => {
  let w: World;
  let id: number;
  const name = 'Đinh Thị Riêng Tư';

  before(async function () {
    this.timeout(60_000);
    w = await buildWorld(ctx());
    await addOfficials(w.officerNd, w.nd, [{ fullName: name, position: 'Công chức Địa chính' }]);
    const started = await post(w.inspector, '/api/v1/inspections', { unitCode: 'DNO-CJ-ND' });
    expect(started.status, started.text).to.equal(201);
    const data = (started.body as { data: { id: number; attendance: Array<{ id: number }> } }).data;
    id = data.id;
    await put(w.inspector, `/api/v1/inspections/${id}/arrival`, { arrivedAt: '2026-03-02T08:00' });
    await put(w.inspector, `/api/v1/inspections/${id}/attendance/${data.attendance[0]!.id}`, { presence: 'present' });
    await put(w.inspector, `/api/v1/inspections/${id}/answers/smoking`, { attendanceId: data.attendance[0]!.id, value: 'no' });
    await put(w.inspector, `/api/v1/inspections/${id}/answers/tidy`, { value: 'no' });
    const closed = await post(w.inspector, `/api/v1/inspections/${id}/close`, { teamLeaderName: 'Tổ trưởng', unitRepresentativeName: 'Đại diện' });
    expect(closed.status, closed.text).to.equal(200);
  });

  const sees = async (p: Person) => {
    const api = await p.agent.get(`/api/v1/inspections/${id}`);
    const page = await p.agent.get(`/inspections/${id}`);
    const record = await p.agent.get(`/inspections/${id}/record`);
    const list = await p.agent.get('/api/v1/inspections');
    return { api, page, record, list: (list.body as { data: Array<{ id: number }> }).data.map((i) => i.id) };
  };

  for (const who of ['inspector', 'member', 'coordinator', 'leaderNd', 'admin'] as const) {
    it(`${who}: sees the inspection and the named official's violation`, async () => {
      const s = await sees(w[who]);
      expect(s.api.status).to.equal(200);
      const v = (s.api.body as { data: { violations: Array<{ fullName: string | null; kind: string }> } }).data.violations;
      expect(v.map((x) => [x.fullName, x.kind])).to.deep.include([name, 'smoking']);
      expect(s.page.text).to.include(name);
      expect(s.record.text).to.include(name);
      expect(s.list).to.include(id);
    });
  }

  it("officer of the unit: sees the record and the unit's findings, never the name, only a count", async () => {
    const s = await sees(w.officerNd);
    expect(s.api.status).to.equal(200);
    const body = (
      s.api.body as {
        data: {
          violations: Array<{ fullName: string | null; kind: string }>;
          attendance?: unknown;
          personalViolationCount: number;
          answers: Array<{ attendanceId: number | null }>;
        };
      }
    ).data;
    expect(body.violations.map((x) => [x.fullName, x.kind])).to.deep.equal([[null, 'tidy']]);
    expect(body.attendance).to.equal(undefined);
    expect(body.answers.every((a) => a.attendanceId === null)).to.equal(true);
    expect(body.personalViolationCount).to.equal(1);
    for (const res of [s.api, s.page, s.record]) {
      expect(res.status).to.equal(200);
      expect(res.text).not.to.include(name);
      expect(res.text).not.to.include('Riêng Tư');
    }
    expect(s.list).to.include(id);
  });

  for (const who of ['officerEt', 'leaderEt', 'viewer', 'outsider', 'loneInspector'] as const) {
    it(`${who}: the inspection does not exist (404) and is not listed`, async () => {
      const s = await sees(w[who]);
      for (const res of [s.api, s.page, s.record]) {
        expect(res.status).to.equal(404);
        expect(res.text).not.to.include(name);
      }
      expect(s.list).not.to.include(id);
      // Nor can they act on it.
      expect((await put(w[who], `/api/v1/inspections/${id}/answers/tidy`, { value: 'yes' })).status).to.equal(404);
      expect((await form(w[who], `/inspections/${id}/reinspect`, {})).status).to.equal(404);
    });
  }

  it('statistics name repeat offenders to coordinators only', async () => {
    expect((await w.officerNd.agent.get('/inspections/stats')).status).to.equal(404);
    expect((await w.leaderNd.agent.get('/inspections/stats')).status).to.equal(404);
    expect((await w.inspector.agent.get('/inspections/stats.xlsx')).status).to.equal(404);
    expect((await w.coordinator.agent.get('/inspections/stats?year=2026')).status).to.equal(200);
  });
});
