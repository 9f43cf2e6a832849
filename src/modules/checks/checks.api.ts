import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import { pageBody } from '../units/units.api.ts';
import type { CheckDetails } from './checks.service.ts';
import type { Progress, Scoring } from './checks.logic.ts';
import { knownQuery } from '../../http/known-query.ts';
import { checkFilterInput } from './list.service.ts';

const scoreBody = (s: Scoring) => ({ overall: s.overall.percent, sections: Object.fromEntries(Object.entries(s.sections).map(([k, v]) => [k, v.percent])) });
const progressBody = (p: Progress) => ({ answered: p.answered, items: p.items, mandatory: p.mandatory, mandatoryLeft: p.missing.length, missing: p.missing });

/** A check as the API shows it: the unit's internal tree path stays inside. */
function plain<T extends { unitPath?: string }>(c: T): Omit<T, 'unitPath'> {
  const { unitPath: _p, ...rest } = c;
  return rest;
}

function checkBody(d: CheckDetails) {
  return {
    ...plain(d.check),
    auditors: d.auditors,
    form: d.form,
    answers: [...d.answers.values()],
    score: scoreBody(d.scoring),
    progress: progressBody(d.progress),
    findings: d.findings,
    // Metadata only: the content is at the page route `/checks/:id/files/:fileId`.
    files: d.files.map((f) => ({ ...f, url: `/checks/${d.check.id}/files/${f.id}` })),
    procedures: d.procedures,
    signOff: d.signOff,
    canAnswer: d.canAnswer,
  };
}

/** `/api/v1/checks`: plan, read with answers, save one item, submit. */
export function checkApi(s: Pick<Services, 'checks'>): Router {
  const r = Router();
  r.use(['/checks', '/units/:id/checks'], requireApiUser);

  r.get('/units/:id/checks', async (req, res) => {
    const { checks } = await s.checks.listForUnit(actorOf(req), parseId(req.params.id));
    res.json({ data: checks.map(plain) });
  });
  r.post('/units/:id/checks', async (req, res) => {
    const check = await s.checks.plan(actorOf(req), parseId(req.params.id), req.body);
    res.status(201).json({ data: plain(check) });
  });
  // Every check in the caller's scope: `unit` (a code: its subtree), status, form, from, to,
  // scoreMin, scoreMax, page (50 a page).
  r.get('/checks', knownQuery(checkFilterInput), async (req, res) => {
    res.json(pageBody((await s.checks.list.page(actorOf(req), req.query)).page));
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
    res.json({ data: { answer: out.answer, replaced: out.replaced ?? null, progress: progressBody(out.progress), score: scoreBody(out.scoring) } });
  });
  // An item's evidence file or photo: multipart, field `file` (JPG, PNG, WebP, PDF, DOCX, XLSX by
  // their first bytes, CHECK_UPLOAD_MAX_KB); refused once the check is submitted.
  r.post('/checks/:id/items/:itemId/files', async (req, res) => {
    const id = parseId(req.params.id);
    const file = req.file ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
    const f = await s.checks.files.uploadForItem(actorOf(req), id, String(req.params.itemId), file, res.locals.uploadProblem);
    res.status(201).json({ data: { ...f, url: `/checks/${id}/files/${f.id}` } });
  });
  // Takes an item's evidence back while the check is not submitted.
  r.delete('/checks/:id/files/:checkFileId', async (req, res) => {
    await s.checks.files.removeFromItem(actorOf(req), parseId(req.params.id), parseId(req.params.checkFileId));
    res.status(204).end();
  });
  r.post('/checks/:id/submit', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    await s.checks.submit(actor, id);
    res.json({ data: checkBody(await s.checks.details(actor, id)) });
  });
  // A finding added by hand: `{ severity, clauseRef, description, procedureId?, itemId? }`.
  r.post('/checks/:id/findings', async (req, res) => {
    res.status(201).json({ data: await s.checks.findings.add(actorOf(req), parseId(req.params.id), req.body) });
  });
  r.post('/checks/:id/sign-off', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    await s.checks.cycles.signOff(actor, id);
    res.json({ data: checkBody(await s.checks.details(actor, id)) });
  });
  return r;
}
