import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { sizeText } from '../../http/uploads.ts';
import { parseId } from '../../kernel/validation.ts';
import { ImportReportError } from '../catalog/excel.read.ts';

/** A unit's staff list: add, edit, deactivate, import from .xlsx, export. */
export function officialRoutes(s: Pick<Services, 'inspections'>, importMaxBytes: number): Router {
  const r = Router();
  r.use(['/officials', '/units/:id/officials'], requireUser);
  const off = s.inspections.officials;

  const listPage = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}, unitId = parseId(req.params.id)) => {
    const actor = actorOf(req);
    const { unit, officials } = await off.list(actor, unitId);
    res.status(status).render('officials/list', { unit, officials, canManage: off.canManage(actor, unit), problems: [], ...extra });
  };
  r.get('/units/:id/officials', async (req, res) => {
    await listPage(req, res);
  });
  r.post('/units/:id/officials', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      await off.add(actorOf(req), id, req.body);
      res.redirect(withNotice(`/units/${id}/officials`, 'created'));
    } catch (err) {
      if (err instanceof AppError && err.status === 422) {
        await listPage(req, res, 422, { errors: err.fields ?? {}, values: req.body as Record<string, unknown> });
        return;
      }
      throw err;
    }
  });
  r.get('/units/:id/officials/export.xlsx', async (req, res) => {
    const { unit, buffer } = await off.exportXlsx(actorOf(req), parseId(req.params.id));
    res
      .attachment(`danh-sach-can-bo-${unit.code.replace(/[^\w.-]+/g, '_')}.xlsx`)
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(buffer);
  });
  r.post('/units/:id/officials/import', async (req, res) => {
    const id = parseId(req.params.id);
    const actor = actorOf(req);
    try {
      if (res.locals.uploadProblem === 'too_large') throw new AppError('INSPECTION_FILE_TOO_LARGE', { size: sizeText(importMaxBytes) });
      const file = req.file ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
      const out = await off.importXlsx(actor, id, file);
      await listPage(req, res, 200, { imported: out });
    } catch (err) {
      if (err instanceof ImportReportError) {
        await listPage(req, res, 422, { problems: err.problems, formError: { code: err.code, params: err.params } });
        return;
      }
      if (err instanceof AppError && err.status !== 404 && err.status < 500) {
        await listPage(req, res, 422, { formError: { code: err.code, params: err.params } });
        return;
      }
      throw err;
    }
  });

  const editLocals = async (req: Request) => off.get(actorOf(req), parseId(req.params.id));
  r.get('/officials/:id/edit', async (req, res) => {
    const { unit, official } = await editLocals(req);
    res.render('officials/edit', {
      unit,
      official,
      values: { fullName: official.fullName, position: official.position, department: official.department ?? '', badgeNo: official.badgeNo ?? '' },
    });
  });
  r.post('/officials/:id/edit', async (req, res) => {
    const locals = await editLocals(req);
    await handleForm(
      req,
      res,
      'officials/edit',
      () => locals,
      async () => {
        await off.update(actorOf(req), locals.official.id, req.body);
        res.redirect(withNotice(`/units/${locals.unit.id}/officials`, 'saved'));
      },
    );
  });
  for (const [action, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    r.post(`/officials/:id/${action}`, async (req, res) => {
      const actor = actorOf(req);
      const id = parseId(req.params.id);
      try {
        const o = await off.setActive(actor, id, active);
        res.redirect(withNotice(`/units/${o.unitId}/officials`, 'saved'));
      } catch (err) {
        if (err instanceof AppError && err.status === 422) {
          const { unit } = await off.get(actor, id);
          await listPage(req, res, 422, { formError: { code: err.code, params: err.params } }, unit.id);
          return;
        }
        throw err;
      }
    });
  }
  return r;
}
