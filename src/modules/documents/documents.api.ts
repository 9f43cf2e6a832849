import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import { pdfRoutes } from './documents.routes.ts';
import type { DocumentRecord } from './documents.repository.ts';
import { knownQuery } from '../../http/known-query.ts';

const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const body = (d: DocumentRecord) => {
  const { unitPath: _path, ...rest } = d;
  return rest;
};

/**
 * `/api/v1/documents`: list, prepare, edit, approve, issue; `preview` answers the PDF of the
 * document as it stands, `download` the stored bytes of an issued one (SHA-256 in `X-Content-SHA256`).
 */
export function documentApi(s: Pick<Services, 'documents'>): Router {
  const r = Router();
  r.use(['/documents', '/units/:id/documents'], requireApiUser);

  r.get('/documents', knownQuery(['unitId', 'type', 'status', 'year']), async (req, res) => {
    const year = pick(req.query.year);
    const unitId = pick(req.query.unitId);
    const docs = await s.documents.list(actorOf(req), {
      unitId: unitId ? parseId(unitId) : undefined,
      type: pick(req.query.type),
      status: pick(req.query.status),
      year: year && /^\d{4}$/.test(year) ? Number(year) : undefined,
    });
    res.json({ data: docs.map(body) });
  });
  r.get('/documents/types', (_req, res) => {
    res.json({
      data: s.documents.definitions().map((d) => ({ id: d.id, title: d.title, form: d.form, appliesTo: d.appliesTo, textParts: d.textParts ?? [] })),
    });
  });
  r.post('/units/:id/documents', async (req, res) => {
    res.status(201).json({ data: body(await s.documents.prepare(actorOf(req), parseId(req.params.id), req.body)) });
  });
  r.get('/documents/:id', async (req, res) => {
    res.json({ data: body(await s.documents.get(actorOf(req), parseId(req.params.id))) });
  });
  r.put('/documents/:id', async (req, res) => {
    res.json({ data: body(await s.documents.update(actorOf(req), parseId(req.params.id), req.body, true)) });
  });
  r.post('/documents/:id/approve', async (req, res) => {
    res.json({ data: body(await s.documents.approve(actorOf(req), parseId(req.params.id))) });
  });
  r.post('/documents/:id/issue', async (req, res) => {
    res.json({ data: body(await s.documents.issue(actorOf(req), parseId(req.params.id), req.body)) });
  });
  const pdf = pdfRoutes(s);
  r.get('/documents/:id/preview', pdf.preview);
  r.get('/documents/:id/download', pdf.download);
  return r;
}
