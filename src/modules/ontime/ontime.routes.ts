import { Router, type Request } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { sizeText, type UploadForm } from '../../http/uploads.ts';
import { ImportReportError, type UploadedFile } from '../catalog/excel.read.ts';
import { figureTemplate } from './ontime.excel.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The on-time import reads its file before the CSRF check (src/http/uploads.ts). */
export function onTimeUploadForm(maxBytes: number): UploadForm {
  return { path: /^\/on-time\/import$/, maxBytes };
}

/** Pages: a unit's on-time figures with their trend and the form; the province's Excel import. */
export function onTimeRoutes(s: Pick<Services, 'onTime'>, maxBytes: number): Router {
  const r = Router();
  r.use(['/units/:id/on-time', '/on-time'], requireUser);

  const unitPage = async (req: Request) => s.onTime.forUnit(actorOf(req), parseId(req.params.id));

  r.get('/units/:id/on-time', async (req, res) => {
    res.render('ontime/unit', { ...(await unitPage(req)) });
  });

  r.post('/units/:id/on-time', async (req, res) => {
    const locals = await unitPage(req);
    if (!locals.canWrite) throw new AppError('NOT_FOUND');
    await handleForm(
      req,
      res,
      'ontime/unit',
      () => ({ ...locals }),
      async () => {
        await s.onTime.add(actorOf(req), locals.unit.id, req.body);
        res.redirect(withNotice(`/units/${locals.unit.id}/on-time`, 'saved'));
      },
    );
  });

  const importable = (req: Request) => {
    if (!s.onTime.canImport(actorOf(req))) throw new AppError('NOT_FOUND');
    return { maxSize: sizeText(maxBytes) };
  };
  r.get('/on-time/import-template.xlsx', async (req, res) => {
    importable(req);
    res
      .attachment('mau-nhap-so-lieu-dung-han.xlsx')
      .type(xlsxType)
      .send(await figureTemplate());
  });
  r.get('/on-time/import', (req, res) => {
    res.render('ontime/import', importable(req));
  });
  r.post('/on-time/import', async (req, res) => {
    const base = importable(req);
    try {
      if (res.locals.uploadProblem === 'too_large') throw new AppError('UPLOAD_TOO_LARGE', { size: base.maxSize });
      if (res.locals.uploadProblem) throw new AppError('BAD_REQUEST');
      const file: UploadedFile | undefined = req.file ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
      const result = await s.onTime.importFile(actorOf(req), file);
      res.render('ontime/import', { ...base, result });
    } catch (err) {
      if (err instanceof ImportReportError)
        return void res.status(err.status).render('ontime/import', { ...base, report: err.problems, formError: { code: err.code, params: err.params } });
      if (err instanceof AppError && (err.status === 422 || err.status === 413 || err.status === 415 || err.status === 400)) {
        return void res.status(err.status).render('ontime/import', { ...base, formError: { code: err.code, params: err.params } });
      }
      throw err;
    }
  });
  return r;
}
