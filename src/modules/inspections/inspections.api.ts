import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import { pageBody } from '../units/units.api.ts';
import type { InspectionRecord } from './record.service.ts';
import { knownQuery } from '../../http/known-query.ts';
import { listQuery as inspectionListQuery } from './inspections.schemas.ts';

/** The record as the API gives it: personal data only to those the privacy rule allows. */
function recordBody(r: InspectionRecord) {
  return {
    ...r.inspection,
    form: r.form,
    access: { personal: r.access.personal, record: r.access.record, conclude: r.access.conclude, answer: r.access.answer },
    attendance: r.access.personal ? r.attendance : undefined,
    answers: r.answers,
    files: r.files,
    violations: r.violations,
    personalViolationCount: r.personalViolationCount,
    unmarked: r.unmarked,
    conclusion: r.conclusion,
    corrections: r.corrections,
  };
}

/** `/api/v1/inspections` (list, start, on-site entries, record, conclusion, corrections) and `/api/v1/teams`. */
export function inspectionApi(s: Pick<Services, 'inspections'>): Router {
  const r = Router();
  r.use(['/inspections', '/corrections', '/teams'], requireApiUser);
  const svc = s.inspections;
  const full = async (actor: ReturnType<typeof actorOf>, id: number) => recordBody(await svc.record.record(actor, id));

  r.get('/inspections', knownQuery(inspectionListQuery), async (req, res) => {
    res.json(pageBody((await svc.onSite.list(actorOf(req), req.query)).page));
  });
  r.post('/inspections', async (req, res) => {
    const actor = actorOf(req);
    const i = await svc.onSite.start(actor, req.body);
    res.status(201).json({ data: await full(actor, i.id) });
  });
  r.get('/inspections/:id', async (req, res) => {
    res.json({ data: await full(actorOf(req), parseId(req.params.id)) });
  });
  r.put('/inspections/:id/arrival', async (req, res) => {
    res.json({ data: { arrivedAt: await svc.onSite.setArrival(actorOf(req), parseId(req.params.id), req.body) } });
  });
  r.post('/inspections/:id/people', async (req, res) => {
    res.status(201).json({ data: await svc.onSite.addPerson(actorOf(req), parseId(req.params.id), req.body) });
  });
  r.put('/inspections/:id/attendance/:aid', async (req, res) => {
    res.json({ data: await svc.onSite.setPresence(actorOf(req), parseId(req.params.id), parseId(req.params.aid), req.body) });
  });
  // One answer: `{ value, note, attendanceId }`; without attendanceId it is an item of the unit.
  r.put('/inspections/:id/answers/:itemId', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const raw = body.attendanceId;
    const attendanceId = raw === undefined || raw === null || raw === '' ? null : parseId(raw);
    const { attendanceId: _a, ...rest } = body;
    res.json({ data: await svc.onSite.saveAnswer(actorOf(req), parseId(req.params.id), String(req.params.itemId), attendanceId, rest) });
  });
  r.post('/inspections/:id/close', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    await svc.record.close(actor, id, req.body);
    res.json({ data: await full(actor, id) });
  });
  r.post('/inspections/:id/conclusion', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    await svc.record.conclude(actor, id, req.body);
    res.json({ data: await full(actor, id) });
  });
  r.post('/corrections/:id/answer', async (req, res) => {
    res.json({ data: await svc.record.answer(actorOf(req), parseId(req.params.id), req.body) });
  });
  r.post('/corrections/:id/review', async (req, res) => {
    res.json({ data: await svc.record.review(actorOf(req), parseId(req.params.id), req.body) });
  });

  r.get('/teams', knownQuery([]), async (req, res) => {
    res.json({ data: await svc.teams.list(actorOf(req)) });
  });
  r.get('/teams/:id', async (req, res) => {
    const actor = actorOf(req);
    const { team } = await svc.teams.get(actor, parseId(req.params.id));
    const year = /^\d{4}$/.test(String(req.query.year ?? '')) ? Number(req.query.year) : team.year;
    res.json({ data: { ...team, plan: await svc.teams.plan(actor, team.id, year) } });
  });
  r.post('/teams', async (req, res) => {
    const t = await svc.teams.create(actorOf(req), req.body);
    res.status(201).json({ data: t });
  });
  return r;
}
