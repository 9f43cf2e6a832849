import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireApiUser } from '../../http/guards.ts';
import { optionalId, parseId, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import { z } from 'zod';
import { pageBody } from '../units/units.api.ts';
import type { Revision } from './catalog.types.ts';
import { ImportReportError } from './excel.read.ts';
import { sizeText } from './upload.ts';
import { knownQuery } from '../../http/known-query.ts';
import { procedureListQuery, tthcListQuery } from './catalog.schemas.ts';

const unitIdInput = z.object({ unitId: optionalId });

/** A revision as the API gives it: content, signatures (ids and names), dates. */
function revisionBody(r: Revision) {
  const { id: _id, procedureId: _p, ...rest } = r;
  return rest;
}

/**
 * `/api/v1/tthc` and `/api/v1/procedures`: the catalog's use cases in JSON, with the same filters
 * and the same scope rules as the pages (anything outside the caller's scope is 404).
 */
export function catalogApi(s: Pick<Services, 'catalog'>, uploadMaxBytes = 0): Router {
  const r = Router();
  const c = s.catalog;
  r.use(['/tthc', '/procedures'], requireApiUser);

  r.get('/tthc', knownQuery(tthcListQuery), async (req, res) => {
    res.json(pageBody(await c.tthc.list(actorOf(req), req.query)));
  });
  // The province's list as .xlsx in the import format (`provinceId`), for those who keep it.
  r.get('/tthc/export.xlsx', async (req, res) => {
    const { province, buffer } = await c.excel.exportTthc(actorOf(req), parseId(req.query.provinceId));
    res
      .attachment(`danh-muc-tthc-${province.code.replace(/[^\w.-]+/g, '_')}.xlsx`)
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(buffer);
  });
  r.get('/tthc/:id', async (req, res) => {
    res.json({ data: await c.tthc.get(actorOf(req), parseId(req.params.id)) });
  });
  r.post('/tthc', async (req, res) => {
    res.status(201).json({ data: await c.tthc.create(actorOf(req), req.body) });
  });
  // A province's list as published (multipart: `provinceId`, `file` as .xlsx, .csv or .txt,
  // `clearBlanks=1` to let empty cells clear values, `dryRun=true` for the preview alone); the
  // same checks as the import page.
  r.post('/tthc/import', async (req, res) => {
    if (res.locals.uploadProblem === 'too_large') throw new AppError('UPLOAD_TOO_LARGE', { size: sizeText(uploadMaxBytes) });
    if (res.locals.uploadProblem) throw new AppError('BAD_REQUEST');
    const body = (req.body ?? {}) as { provinceId?: string; clearBlanks?: string; dryRun?: string };
    const file = req.file ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
    const provinceId = Number(body.provinceId) || undefined;
    const clearBlanks = body.clearBlanks === '1';
    try {
      // `dryRun=true`: the preview the import page shows, row by row; nothing is written.
      if (body.dryRun === 'true' || body.dryRun === '1') {
        const { preview } = await c.excel.previewTthc(actorOf(req), provinceId, file, clearBlanks, false);
        return res.status(preview.refusedCount ? 422 : 200).json({ data: preview });
      }
      res.json({ data: await c.excel.importTthc(actorOf(req), provinceId, file, clearBlanks) });
    } catch (err) {
      if (!(err instanceof ImportReportError)) throw err;
      res.status(err.status).json({ error: { code: err.code, problems: err.problems } });
    }
  });

  r.get('/procedures', knownQuery(procedureListQuery), async (req, res) => {
    res.json(pageBody(await c.procedures.list(actorOf(req), req.query)));
  });

  const full = async (actor: Actor, id: number) => {
    const d = await c.procedures.details(actor, id);
    return {
      ...d.procedure,
      dueForReview: d.dueForReview,
      checks: d.checks,
      head: revisionBody(d.head),
      inForce: d.issued ? revisionBody(d.issued) : d.head.status === 'issued' ? revisionBody(d.head) : null,
      revisions: d.revisions.map((x) => ({ revisionNo: x.revisionNo, status: x.status, issueDate: x.issueDate, changeSummary: x.changeSummary })),
    };
  };

  r.get('/procedures/:id', async (req, res) => {
    res.json({ data: await full(actorOf(req), parseId(req.params.id)) });
  });
  r.get('/procedures/:id/revisions/:no', async (req, res) => {
    const { revision } = await c.procedures.revision(actorOf(req), parseId(req.params.id), parseId(req.params.no));
    res.json({ data: revisionBody(revision) });
  });

  r.post('/procedures', async (req, res) => {
    const actor = actorOf(req);
    const { unitId } = validate(unitIdInput, req.body);
    if (unitId === undefined) throw new AppError('VALIDATION_FAILED', {}, { unitId: { key: 'v.required' } });
    const p = await c.procedures.create(actor, unitId, req.body);
    res.status(201).json({ data: await full(actor, p.id) });
  });
  r.put('/procedures/:id/draft', async (req, res) => {
    const actor = actorOf(req);
    const p = await c.procedures.saveDraft(actor, parseId(req.params.id), req.body);
    res.json({ data: await full(actor, p.id) });
  });
  r.post('/procedures/:id/revise', async (req, res) => {
    const actor = actorOf(req);
    const rev = await c.procedures.revise(actor, parseId(req.params.id), req.body);
    res.status(201).json({ data: revisionBody(rev) });
  });

  const step = (path: string, run: (actor: Actor, id: number, body: unknown) => Promise<unknown>) => {
    r.post(`/procedures/:id/${path}`, async (req, res) => {
      const actor = actorOf(req);
      const id = parseId(req.params.id);
      await run(actor, id, req.body ?? {});
      res.json({ data: await full(actor, id) });
    });
  };
  step('submit', (a, id) => c.lifecycle.submit(a, id));
  step('review', (a, id) => c.lifecycle.review(a, id));
  step('approve', (a, id) => c.lifecycle.approve(a, id));
  step('issue', (a, id, b) => c.lifecycle.issue(a, id, b));
  step('send-back', (a, id, b) => c.lifecycle.sendBack(a, id, b));
  step('withdraw', (a, id, b) => c.lifecycle.withdraw(a, id, b));
  return r;
}
