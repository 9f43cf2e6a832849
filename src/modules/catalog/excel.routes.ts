import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { dispositionOf } from '../../kernel/files/file-name.ts';
import type { Unit } from '../units/units.types.ts';
import { ImportReportError, type UploadedFile } from './excel.read.ts';
import { proceduresTemplate, tthcTemplate } from './excel.export.ts';
import { isFormError } from './procedures.routes.ts';
import { sizeText } from './upload.ts';
import { pendingMinutes } from './tthc.pending.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendXlsx(res: Response, fileName: string, buffer: Buffer): void {
  res.attachment(fileName).type(xlsxType).send(buffer);
}

/** The uploaded file, or the reason there is none usable (over the size limit, broken form). */
function uploaded(req: Request, res: Response, maxBytes: number): UploadedFile | undefined {
  if (res.locals.uploadProblem === 'too_large') throw new AppError('UPLOAD_TOO_LARGE', { size: sizeText(maxBytes) });
  if (res.locals.uploadProblem) throw new AppError('BAD_REQUEST');
  return req.file ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
}

/** Excel export and import of the catalog, the import templates, and attached form files. */
export function excelRoutes(s: Pick<Services, 'catalog'>, maxBytes: number): Router {
  const r = Router();
  const x = s.catalog.excel;

  r.get('/units/:id/catalog/export.xlsx', async (req, res) => {
    const { unit, buffer } = await x.exportCatalog(actorOf(req), parseId(req.params.id));
    sendXlsx(res, `danh-muc-quy-trinh-${unit.code.replace(/[^\w.-]+/g, '_')}.xlsx`, buffer);
  });
  r.get('/catalog/import-template.xlsx', async (_req, res) => sendXlsx(res, 'mau-nhap-quy-trinh.xlsx', await proceduresTemplate()));
  r.get('/tthc/export.xlsx', async (req, res) => {
    const { province, buffer } = await x.exportTthc(actorOf(req), parseId(req.query.provinceId));
    sendXlsx(res, `danh-muc-tthc-${province.code.replace(/[^\w.-]+/g, '_')}.xlsx`, buffer);
  });
  r.get('/tthc/import-template.xlsx', async (_req, res) => sendXlsx(res, 'mau-nhap-tthc.xlsx', await tthcTemplate()));

  /** The import page, after a try: the result, or the problems row by row (nothing was changed). */
  async function importPage(req: Request, res: Response, locals: Record<string, unknown>, run?: () => Promise<unknown>) {
    const base = { maxSize: sizeText(maxBytes), errors: {}, values: req.body ?? {}, ...locals };
    if (!run) return res.render('catalog/import', base);
    try {
      const out = await run();
      // The TTHC import answers a preview first (with its status), or the applied result.
      if (locals.kind === 'tthc') {
        const o = out as { status?: number };
        return res.status(o.status ?? 200).render('catalog/import', { ...base, ...o, pendingMinutes });
      }
      res.render('catalog/import', { ...base, result: out });
    } catch (err) {
      if (err instanceof ImportReportError)
        return res.status(err.status).render('catalog/import', { ...base, report: err.problems, formError: { code: err.code, params: err.params } });
      if (!isFormError(err)) throw err;
      res.status(err.status).render('catalog/import', { ...base, errors: err.fields ?? {}, formError: { code: err.code, params: err.params } });
    }
  }

  const unitLocals = async (req: Request): Promise<{ unit: Unit; kind: 'procedures' }> => ({
    unit: await s.catalog.procedures.unit(actorOf(req), parseId(req.params.id), 'catalog.write'),
    kind: 'procedures',
  });
  r.get('/units/:id/catalog/import', async (req, res) => importPage(req, res, await unitLocals(req)));
  r.post('/units/:id/catalog/import', async (req, res) => {
    const locals = await unitLocals(req);
    await importPage(req, res, locals, async () => x.importProcedures(actorOf(req), locals.unit.id, uploaded(req, res, maxBytes)));
  });

  const tthcLocals = async (req: Request) => {
    const provinces = await s.catalog.tthc.managedProvinces(actorOf(req));
    if (provinces.length === 0) throw new AppError('NOT_FOUND');
    return { provinces, kind: 'tthc' };
  };
  r.get('/tthc/import', async (req, res) => importPage(req, res, await tthcLocals(req)));
  r.post('/tthc/import', async (req, res) => {
    const locals = await tthcLocals(req);
    const body = req.body as { provinceId?: string; clearBlanks?: string } | undefined;
    const provinceId = Number(body?.provinceId) || undefined;
    const file = uploaded(req, res, maxBytes);
    await importPage(req, res, locals, async () => {
      const { preview, token } = await x.previewTthc(actorOf(req), provinceId, file, body?.clearBlanks === '1');
      return { preview, token, status: preview.refusedCount ? 422 : 200 };
    });
  });
  r.post('/tthc/import/apply', async (req, res) => {
    const locals = await tthcLocals(req);
    const token = String((req.body as { token?: unknown } | undefined)?.token ?? '');
    await importPage(req, res, locals, async () => {
      try {
        return { result: await x.applyTthc(actorOf(req), token, req.body) };
      } catch (err) {
        // A retirement typed wrong: the same preview again, with the errors by its fields.
        const again = isFormError(err) && err.fields ? await x.pendingPreview(actorOf(req), token) : undefined;
        if (!again || !isFormError(err)) throw err;
        return { ...again, status: err.status, errors: err.fields ?? {}, values: req.body ?? {} };
      }
    });
  });

  r.post('/procedures/:id/forms/:index/file', async (req, res) => {
    const id = parseId(req.params.id);
    const index = Number(req.params.index);
    const file = uploaded(req, res, maxBytes);
    const version = Number((req.body as { version?: string } | undefined)?.version);
    await s.catalog.files.attach(actorOf(req), id, index, version, file);
    res.redirect(withNotice(`/procedures/${id}`, 'saved'));
  });

  r.get('/catalog/files/:id', async (req, res) => {
    const f = await s.catalog.files.get(actorOf(req), parseId(req.params.id));
    // Always a download, with the type sniffed from the bytes, and the browser told not to guess
    // another one: an attached form never opens as a page of this site.
    res.setHeader('Content-Disposition', dispositionOf('attachment', f.fileName));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(f.mime).send(f.content);
  });
  return r;
}
