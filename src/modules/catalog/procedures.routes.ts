import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Unit } from '../units/units.types.ts';
import { procedureKinds } from './catalog.types.ts';
import { applyOp, emptyRow, readForm, toInput, valuesOf, type FormValues } from './form-state.ts';

/** Errors that re-show the form with what was typed (never a 404 or a server fault). */
export function isFormError(err: unknown): err is AppError {
  return err instanceof AppError && err.status !== 404 && err.status < 500 && err.code !== 'CSRF_INVALID';
}

/** Writing procedures: the form (create and edit a draft), with row editing that works without JavaScript. */
export function procedureFormRoutes(s: Pick<Services, 'catalog'>): Router {
  const r = Router();
  const c = s.catalog;

  const formLocals = async (unit: Unit, extra: Record<string, unknown>) => ({
    unit,
    procedureKinds,
    tthcGroups: await c.tthc.optionsFor(unit),
    errors: {},
    ...extra,
  });

  /** Renders the form again after a failed save, with the rows as typed and one message per field. */
  async function reshow(req: Request, res: Response, err: AppError, unit: Unit, values: FormValues, extra: Record<string, unknown>) {
    const locals = await formLocals(unit, extra);
    res.status(err.status).render('catalog/form', {
      ...locals,
      values,
      errors: err.fields ?? {},
      formError: err.fields ? undefined : { code: err.code, params: err.params },
    });
  }

  function unitForCreate(actor: Actor, unitId: number, template: boolean): Promise<Unit> {
    return c.procedures.unit(actor, unitId, template ? 'tthc.manage' : 'catalog.write');
  }

  r.get('/units/:id/procedures/new', async (req, res) => {
    const isTemplate = req.query.template === '1';
    const unit = await unitForCreate(actorOf(req), parseId(req.params.id), isTemplate);
    const values: FormValues = { kind: 'tthc', steps: [emptyRow('steps')], forms: [], records: [] };
    res.render('catalog/form', { ...(await formLocals(unit, { mode: 'create', isTemplate, revisionNo: 1 })), values });
  });

  r.post('/units/:id/procedures', async (req, res) => {
    const actor = actorOf(req);
    const body = req.body as Record<string, unknown>;
    const isTemplate = body.isTemplate === '1';
    const unit = await unitForCreate(actor, parseId(req.params.id), isTemplate);
    const extra = { mode: 'create', isTemplate, revisionNo: 1 };
    if (typeof body.op === 'string' && body.op !== '') {
      res.render('catalog/form', { ...(await formLocals(unit, extra)), values: applyOp(readForm(body, { keepBlank: true }), body.op) });
      return;
    }
    const values = readForm(body);
    try {
      const p = await c.procedures.create(actor, unit.id, toInput(values), { isTemplate });
      res.redirect(withNotice(`/procedures/${p.id}`, 'created'));
    } catch (err) {
      if (!isFormError(err)) throw err;
      await reshow(req, res, err, unit, values, extra);
    }
  });

  /** The draft being written, or back to the procedure page when there is none to edit. */
  async function editContext(req: Request) {
    const actor = actorOf(req);
    const { procedure: p, head, unit } = await c.procedures.editable(actor, parseId(req.params.id));
    return {
      actor,
      p,
      head,
      unit,
      extra: { mode: 'edit', procedure: p, isTemplate: p.isTemplate, revisionNo: head.revisionNo, codeFixed: p.issuedRevisionId !== null },
    };
  }

  r.get('/procedures/:id/edit', async (req, res) => {
    const { p, head, unit, extra } = await editContext(req);
    if (head.status !== 'draft') {
      res.redirect(`/procedures/${p.id}`);
      return;
    }
    res.render('catalog/form', { ...(await formLocals(unit, extra)), values: valuesOf(head, head.version) });
  });

  r.post('/procedures/:id/edit', async (req, res) => {
    const { actor, p, unit, extra } = await editContext(req);
    const body = req.body as Record<string, unknown>;
    if (typeof body.op === 'string' && body.op !== '') {
      res.render('catalog/form', { ...(await formLocals(unit, extra)), values: applyOp(readForm(body, { keepBlank: true }), body.op) });
      return;
    }
    const values = readForm(body);
    try {
      await c.procedures.saveDraft(actor, p.id, toInput(values));
      res.redirect(withNotice(`/procedures/${p.id}`, 'saved'));
    } catch (err) {
      if (!isFormError(err)) throw err;
      if (err.code === 'STALE_EDIT' || err.code === 'PROCEDURE_WRONG_STATE') {
        // Someone saved (or submitted) the draft meanwhile: keep every word typed here, and
        // carry the current version so that a deliberate second save replaces theirs.
        const { head: now } = await c.procedures.editable(actor, p.id);
        const stale = new AppError('STALE_EDIT', {}, { version: { key: 'v.stale' } });
        await reshow(
          req,
          res,
          stale,
          unit,
          { ...values, version: String(now.version) },
          { ...extra, staleBy: now.updatedByName ?? '', staleAt: now.updatedAt },
        );
        return;
      }
      await reshow(req, res, err, unit, values, extra);
    }
  });

  r.post('/procedures/:id/revise', async (req, res) => {
    const id = parseId(req.params.id);
    await c.procedures.revise(actorOf(req), id);
    res.redirect(`/procedures/${id}/edit`);
  });

  r.post('/procedures/:id/discard', async (req, res) => {
    const actor = actorOf(req);
    const p = await c.procedures.get(actor, parseId(req.params.id), ['catalog.write']);
    const out = await c.procedures.discard(actor, p.id);
    res.redirect(withNotice(out.deleted ? `/units/${p.unitId}/catalog` : `/procedures/${p.id}`, 'saved'));
  });
  return r;
}
