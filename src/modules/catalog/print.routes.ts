import { Router, type Request } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { fmtDay } from '../../http/locals.ts';
import { parseId } from '../../kernel/validation.ts';
import { kindLabels } from './excel.sheets.ts';
import { procedurePdf } from './print.pdf.ts';

/** The printable procedure: an HTML print view and a PDF, of the revision in force unless `?rev=` names one. */
export function printRoutes(s: Pick<Services, 'catalog' | 'units'>): Router {
  const r = Router();
  const c = s.catalog;

  async function data(req: Request) {
    const actor = actorOf(req);
    const p = await c.procedures.get(actor, parseId(req.params.id));
    const no = typeof req.query.rev === 'string' && req.query.rev !== '' ? parseId(req.query.rev) : undefined;
    const head = (await c.procedures.details(actor, p.id)).head;
    const revNo = no ?? p.revisionNo ?? head.revisionNo;
    const { revision } = await c.procedures.revision(actor, p.id, revNo);
    const unit = await s.units.details(actor, p.unitId);
    const parent = unit.ancestors[unit.ancestors.length - 1];
    const tthc = revision.tthcId ? await c.tthc.get(actor, revision.tthcId).catch(() => undefined) : undefined;
    return { procedure: p, rev: revision, unit: unit.unit, parentName: parent?.name ?? null, tthc, kindLabel: kindLabels[revision.kind] };
  }

  r.get('/procedures/:id/print', async (req, res) => {
    res.render('catalog/print', await data(req));
  });

  r.get('/procedures/:id/pdf', async (req, res) => {
    const d = await data(req);
    const pdf = await procedurePdf({
      unitName: d.unit.name,
      parentName: d.parentName,
      rev: d.rev,
      kindLabel: d.kindLabel,
      tthcText: d.tthc ? `${d.tthc.code} ${d.tthc.name}` : null,
      fmtDay,
    });
    const name = `${d.rev.code.replace(/[^\w.-]+/g, '_')}-lan-${d.rev.revisionNo}.pdf`;
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${name}"`);
    res.send(pdf);
  });
  return r;
}
