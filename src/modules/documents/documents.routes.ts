import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { vnDate } from '../../lib/time.ts';
import type { Clock } from '../../lib/clock.ts';
import { documentStatuses, type DocumentRecord } from './documents.repository.ts';
import { batchFileName } from './documents.batch.ts';

/** The draft's fields as the form shows them (lines joined, parts as `part_<id>`). */
export function formValues(d: DocumentRecord): Record<string, string> {
  const f = d.fields;
  return {
    numberSeq: String(d.numberSeq),
    numberSuffix: d.numberSuffix,
    issueDate: d.issueDate ?? '',
    subject: f.subject,
    authority: f.authority,
    legalBases: f.legalBases.join('\n'),
    articles: f.articles.join('\n'),
    signerOnBehalf: f.signerOnBehalf,
    signerTitle: f.signerTitle,
    signerName: f.signerName,
    recipients: f.recipients.join('\n'),
    ...Object.fromEntries(Object.entries(f.parts).map(([k, v]) => [`part_${k}`, v])),
  };
}

const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const yearOf = (v: unknown) => (typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : undefined);

export function sendPdf(res: Response, pdf: Buffer, fileName: string, disposition: 'inline' | 'attachment', sha?: string | null): void {
  res.type('application/pdf').setHeader('Content-Disposition', `${disposition}; filename="${fileName}"`);
  if (sha) res.setHeader('X-Content-SHA256', sha);
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(pdf);
}

/** A draft's preview (inline) and an issued document's bytes (attachment), alike for pages and the API. */
export function pdfRoutes(s: Pick<Services, 'documents'>) {
  return {
    preview: async (req: Request, res: Response) => {
      const out = await s.documents.preview(actorOf(req), parseId(req.params.id));
      sendPdf(res, out.pdf, out.fileName, 'inline', out.doc.sha256);
    },
    download: async (req: Request, res: Response) => {
      const out = await s.documents.download(actorOf(req), parseId(req.params.id));
      sendPdf(res, out.pdf, out.fileName, 'attachment', out.doc.sha256);
    },
  };
}

/** Pages of the printable documents: lists, prepare, edit, approve, issue, preview, download, batch ZIP. */
export function documentRoutes(s: Pick<Services, 'documents' | 'units'>, clock: Clock): Router {
  const r = Router();
  const batch = s.documents.batch;
  r.use(['/documents', '/units/:id/documents'], requireUser);

  r.get('/documents', async (req, res) => {
    // The page's choice of unit leads to that unit's documents (and its prepare form).
    if (pick(req.query.unitId)) {
      res.redirect(`/units/${parseId(req.query.unitId)}/documents`);
      return;
    }
    const filter = { type: pick(req.query.type), year: yearOf(req.query.year), status: pick(req.query.status) };
    const docs = await s.documents.list(actorOf(req), filter);
    const actor = actorOf(req);
    res.render('documents/list', {
      docs,
      filter,
      defs: s.documents.definitions(),
      statuses: documentStatuses,
      unit: null,
      units: await s.documents.writableUnits(actor),
      canBatch: (await s.documents.batchRoots(actor)).length > 0,
    });
  });

  const batchParams = (req: Request) => ({
    provinceId: req.query.provinceId ? parseId(req.query.provinceId) : undefined,
    type: pick(req.query.type) ?? 'yearly-report',
    year: yearOf(req.query.year) ?? Number(vnDate(clock.now()).slice(0, 4)),
  });

  r.get('/documents/batch', async (req, res) => {
    const actor = actorOf(req);
    const p = batchParams(req);
    const provinces = await s.documents.batchRoots(actor);
    if (!provinces.length) throw new AppError('NOT_FOUND');
    const plan = p.provinceId ? await batch.plan(actor, p.provinceId, p.type, p.year) : null;
    res.render('documents/batch', { provinces, plan, values: { ...p, provinceId: p.provinceId ?? '' }, defs: s.documents.definitions() });
  });

  r.get('/documents/batch.zip', async (req, res) => {
    const p = batchParams(req);
    if (!p.provinceId) throw new AppError('NOT_FOUND');
    const def = s.documents.definition(p.type);
    if (!def) throw new AppError('NOT_FOUND');
    const plan = await batch.plan(actorOf(req), p.provinceId, p.type, p.year);
    res.type('application/zip').setHeader('Content-Disposition', `attachment; filename="${batchFileName(def.title.vi, p.year, plan.province.code)}"`);
    // Streamed while it is built, yet of a size known in advance: the browser shows how far it is.
    res.setHeader('Content-Length', String(batch.size(plan, def.title.vi)));
    await batch.stream(plan, def.title.vi, res);
  });

  async function unitPage(req: Request) {
    const actor = actorOf(req);
    const unitId = parseId(req.params.id);
    const unit = await s.units.get(actor, unitId);
    const canWrite = await s.documents.canWriteUnit(actor, unitId);
    return {
      unit,
      canWrite,
      docs: await s.documents.list(actor, { unitId }),
      defs: s.documents.definitions(),
      sources: canWrite ? await s.documents.sourcesOf(unitId) : [],
      statuses: documentStatuses,
      filter: {},
    };
  }

  r.get('/units/:id/documents', async (req, res) => {
    res.render('documents/list', { ...(await unitPage(req)), values: { year: vnDate(clock.now()).slice(0, 4) } });
  });

  r.post('/units/:id/documents', async (req, res) => {
    const locals = await unitPage(req);
    if (!locals.canWrite) throw new AppError('NOT_FOUND');
    await handleForm(
      req,
      res,
      'documents/list',
      () => locals,
      async () => {
        const d = await s.documents.prepare(actorOf(req), locals.unit.id, req.body);
        res.redirect(withNotice(`/documents/${d.id}`, 'created'));
      },
    );
  });

  async function showLocals(req: Request) {
    const actor = actorOf(req);
    const doc = await s.documents.get(actor, parseId(req.params.id));
    const checks = doc.status === 'issued' ? null : await s.documents.checks(doc);
    return { doc, def: s.documents.definition(doc.type), can: s.documents.rights(actor, doc), checks, values: formValues(doc), errors: {} };
  }

  r.get('/documents/:id', async (req, res) => {
    res.render('documents/show', await showLocals(req));
  });

  r.post('/documents/:id', async (req, res) => {
    const locals = await showLocals(req);
    if (!locals.can.write) throw new AppError('NOT_FOUND');
    await handleForm(
      req,
      res,
      'documents/show',
      () => locals,
      async () => {
        await s.documents.update(actorOf(req), locals.doc.id, req.body);
        res.redirect(withNotice(`/documents/${locals.doc.id}`, 'saved'));
      },
    );
  });

  // Approve and issue: a refusal (not approved, already issued, nothing to print) is shown on the page.
  for (const step of ['approve', 'issue'] as const) {
    r.post(`/documents/:id/${step}`, async (req, res) => {
      const id = parseId(req.params.id);
      try {
        await (step === 'approve' ? s.documents.approve(actorOf(req), id) : s.documents.issue(actorOf(req), id, req.body));
        res.redirect(withNotice(`/documents/${id}`, step === 'approve' ? 'approved' : 'issued'));
      } catch (err) {
        if (err instanceof AppError && err.status !== 404 && err.status < 500) {
          const overrideReason = step === 'issue' ? String((req.body as Record<string, unknown>).overrideReason ?? '') : '';
          res.status(err.status).render('documents/show', { ...(await showLocals(req)), overrideReason, formError: { code: err.code, params: err.params } });
          return;
        }
        throw err;
      }
    });
  }

  const pdf = pdfRoutes(s);
  r.get('/documents/:id/preview.pdf', pdf.preview);
  r.get('/documents/:id/download', pdf.download);

  return r;
}
