import { Router } from 'express';
import type { Services } from '../../app.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../http/validation.ts';
import type { CheckDetails } from './checks.service.ts';

function checkBody(d: CheckDetails) {
  return {
    ...d.check,
    auditors: d.auditors,
    form: d.form,
    answers: [...d.answers.values()],
    score: { overall: d.scoring.overall.percent, sections: Object.fromEntries(Object.entries(d.scoring.sections).map(([k, v]) => [k, v.percent])) },
    progress: { answered: d.progress.answered, items: d.progress.items, mandatory: d.progress.mandatory, mandatoryLeft: d.progress.missing.length, missing: d.progress.missing },
    findings: d.findings,
    canAnswer: d.canAnswer,
  };
}

/** `/api/v1/checks`: plan, read with answers, save one item, submit. */
export function checkApi(s: Services): Router {
  const r = Router();
  r.use(['/checks', '/units/:id/checks'], requireApiUser);

  r.get('/units/:id/checks', async (req, res) => {
    const { checks } = await s.checks.listForUnit(actorOf(req), parseId(req.params.id));
    res.json({ data: checks });
  });
  r.post('/units/:id/checks', async (req, res) => {
    const check = await s.checks.plan(actorOf(req), parseId(req.params.id), req.body);
    res.status(201).json({ data: check });
  });
  r.get('/checks/:id', async (req, res) => {
    res.json({ data: checkBody(await s.checks.details(actorOf(req), parseId(req.params.id))) });
  });
  // One item, saved as given: `{ value, note }`. `replaced` names the author of the answer this
  // save overwrote, when it was someone else.
  r.put('/checks/:id/answers/:itemId', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    const out = await s.checks.saveAnswer(actor, id, String(req.params.itemId), req.body);
    const d = await s.checks.details(actor, id);
    const body = checkBody(d);
    res.json({ data: { answer: out.answer, replaced: out.replaced ?? null, progress: body.progress, score: body.score } });
  });
  r.post('/checks/:id/submit', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    await s.checks.submit(actor, id);
    res.json({ data: checkBody(await s.checks.details(actor, id)) });
  });
  return r;
}
