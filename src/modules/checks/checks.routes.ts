import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { sizeText } from '../../http/uploads.ts';
import { itemsOf } from './checks.logic.ts';
import { checkKinds, type Replaced } from './checks.service.ts';
import { evidenceAccept, dispositionOf } from './evidence.ts';
import { severities } from './findings.service.ts';
import { trendChart } from './trend-chart.ts';

/** The check page, with whatever the request adds (errors, the typed finding, a notice). */
async function renderCheck(s: Pick<Services, 'checks'>, req: Request, res: Response, status: number, extra: Record<string, unknown> = {}): Promise<void> {
  const actor = actorOf(req);
  const d = await s.checks.details(actor, parseId(req.params.id));
  const itemText = new Map(itemsOf(d.form).map(({ item }) => [item.id, item]));
  const [diff, unitProcedures] = await Promise.all([s.checks.cycles.diff(d.check.id), d.canRecord ? s.checks.issuedProcedures(d.check.unitId) : []]);
  res.status(status).render('checks/show', {
    ...d,
    itemText,
    severities,
    replaced: [] as Replaced[],
    missing: [] as string[],
    diff,
    unitProcedures,
    canPlan: s.checks.canPlanPath(actor, d.check.unitPath),
    accept: evidenceAccept,
    maxSize: sizeText(s.checks.files.maxBytes),
    finding: {},
    ...extra,
  });
}

/** Errors a page form shows in place (422 with the fields, 409 for a check in the wrong state). */
const inPlace = (err: unknown): err is AppError => err instanceof AppError && (err.code === 'VALIDATION_FAILED' || err.status === 409);

export function checkRoutes(s: Pick<Services, 'actions' | 'checks'>): Router {
  const r = Router();
  r.use(['/checks', '/units/:id/checks'], requireUser);

  // The province view: every check in the caller's scope, with filters. Before `/checks/:id`.
  r.get('/checks', async (req, res) => {
    const locals = { forms: s.checks.list.forms(), query: req.query, values: req.query };
    try {
      const { page } = await s.checks.list.page(actorOf(req), req.query);
      res.render('checks/province', { ...locals, page });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
      res.status(422).render('checks/province', { ...locals, page: undefined, errors: err.fields ?? {} });
    }
  });
  r.get('/checks/export.xlsx', async (req, res) => {
    try {
      const buffer = await s.checks.list.exportXlsx(actorOf(req), req.query, req.locale, res.locals.t as (k: string) => string);
      res.attachment('kiem-tra-danh-gia.xlsx').type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buffer);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
      res
        .status(422)
        .render('checks/province', { forms: s.checks.list.forms(), query: req.query, values: req.query, page: undefined, errors: err.fields ?? {} });
    }
  });

  r.get('/units/:id/checks', async (req, res) => {
    const actor = actorOf(req);
    const { unit, checks } = await s.checks.listForUnit(actor, parseId(req.params.id));
    // What is still open beside the checks: the first page of the unit's open findings and unfinished actions.
    const [open, late] = await Promise.all([s.actions.forUnit(actor, unit.id), s.actions.list(actor, { unit: String(unit.id), overdue: '1', pageSize: '1' })]);
    res.render('checks/list', {
      unit,
      checks,
      canPlan: s.checks.canPlan(actor, unit),
      chart: trendChart(s.checks.cycles.trend(checks)),
      open,
      overdue: late.page.total,
    });
  });

  const planPage = async (req: Request, unitId = parseId(req.params.id)) => {
    const actor = actorOf(req);
    const { unit } = await s.checks.listForUnit(actor, unitId);
    if (!s.checks.canPlan(actor, unit)) throw new AppError('NOT_FOUND');
    return { unit, forms: s.checks.plannableForms(), kinds: checkKinds, procedures: await s.checks.issuedProcedures(unit.id) };
  };

  r.get('/units/:id/checks/new', async (req, res) => {
    res.render('checks/new', { ...(await planPage(req)), values: { kind: 'planned' } });
  });

  r.post('/units/:id/checks', async (req, res) => {
    const locals = await planPage(req);
    await handleForm(
      req,
      res,
      'checks/new',
      () => locals,
      async () => {
        const check = await s.checks.plan(actorOf(req), locals.unit.id, req.body);
        res.redirect(withNotice(`/checks/${check.id}`, 'created'));
      },
    );
  });

  r.get('/checks/:id', async (req, res) => {
    await renderCheck(s, req, res, 200);
  });

  // The next cycle: the plan form, filled in from this check.
  r.get('/checks/:id/next', async (req, res) => {
    const { check, values } = await s.checks.cycles.nextDraft(actorOf(req), parseId(req.params.id));
    res.render('checks/new', { ...(await planPage(req, check.unitId)), values, previous: check });
  });

  // An item's evidence file or photo (multipart, field `file`).
  r.post('/checks/:id/items/:itemId/files', async (req, res) => {
    const id = parseId(req.params.id);
    const itemId = String(req.params.itemId);
    const file = req.file ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
    try {
      await s.checks.files.uploadForItem(actorOf(req), id, itemId, file, res.locals.uploadProblem);
      res.redirect(`${withNotice(`/checks/${id}`, 'saved')}#i-${encodeURIComponent(itemId)}`);
    } catch (err) {
      if (!inPlace(err)) throw err;
      await renderCheck(s, req, res, err.status, err.fields ? { errors: err.fields } : { formError: { code: err.code, params: err.params } });
    }
  });

  r.post('/checks/:id/files/:checkFileId/remove', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      await s.checks.files.removeFromItem(actorOf(req), id, parseId(req.params.checkFileId));
      res.redirect(withNotice(`/checks/${id}`, 'removed'));
    } catch (err) {
      if (!inPlace(err)) throw err;
      await renderCheck(s, req, res, err.status, { formError: { code: err.code, params: err.params } });
    }
  });

  r.get('/checks/:id/files/:checkFileId', async (req, res) => {
    const f = await s.checks.files.get(actorOf(req), parseId(req.params.id), parseId(req.params.checkFileId));
    // Only allow-listed types are ever stored; images and PDF open in the browser, the rest download.
    const inline = f.image || f.mime === 'application/pdf';
    res.setHeader('Content-Disposition', dispositionOf(inline ? 'inline' : 'attachment', f.fileName));
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.type(f.mime).send(f.content);
  });

  // A finding added by hand, with its evidence file (optional).
  r.post('/checks/:id/findings', async (req, res) => {
    const id = parseId(req.params.id);
    const file = req.file && req.file.originalname ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
    try {
      await s.checks.findings.add(actorOf(req), id, req.body, file, res.locals.uploadProblem, s.checks.files.maxBytes);
      res.redirect(`${withNotice(`/checks/${id}`, 'saved')}#findings`);
    } catch (err) {
      if (!inPlace(err)) throw err;
      await renderCheck(
        s,
        req,
        res,
        err.status,
        err.fields ? { findingErrors: err.fields, finding: req.body as Record<string, unknown> } : { formError: { code: err.code, params: err.params } },
      );
    }
  });

  r.post('/checks/:id/sign-off', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      await s.checks.cycles.signOff(actorOf(req), id);
      res.redirect(withNotice(`/checks/${id}`, 'saved'));
    } catch (err) {
      if (!inPlace(err)) throw err;
      await renderCheck(s, req, res, err.status, { formError: { code: err.code, params: err.params } });
    }
  });

  // A section's save button: works without JavaScript.
  r.post('/checks/:id/sections/:sectionId', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      const out = await s.checks.saveSection(actorOf(req), id, String(req.params.sectionId), req.body as Record<string, unknown>);
      if (out.replaced.length) {
        // Say whose answers were replaced rather than redirecting past it.
        await renderCheck(s, req, res, 200, { replaced: out.replaced, notice: 'saved' });
        return;
      }
      res.redirect(`${withNotice(`/checks/${id}`, 'saved')}#s-${encodeURIComponent(String(req.params.sectionId))}`);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'VALIDATION_FAILED' || err.code === 'CHECK_LOCKED')) {
        await renderCheck(s, req, res, err.status, {
          errors: err.fields ?? {},
          formError: { code: err.code, params: err.params },
          values: req.body as Record<string, unknown>,
        });
        return;
      }
      throw err;
    }
  });

  r.post('/checks/:id/submit', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      await s.checks.submit(actorOf(req), id);
      res.redirect(withNotice(`/checks/${id}`, 'saved'));
    } catch (err) {
      if (err instanceof AppError && (err.code === 'CHECK_INCOMPLETE' || err.code === 'CHECK_LOCKED')) {
        await renderCheck(s, req, res, err.status, { formError: { code: err.code, params: err.params }, missing: Object.keys(err.fields ?? {}) });
        return;
      }
      throw err;
    }
  });

  return r;
}
