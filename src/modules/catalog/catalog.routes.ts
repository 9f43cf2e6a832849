import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { inScope, scopeFor } from '../../auth/roles.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import type { Unit } from '../units/units.types.ts';
import { procedureKinds, procedureStatuses } from './catalog.types.ts';
import { excelRoutes } from './excel.routes.ts';
import { lifecycleRoutes } from './lifecycle.routes.ts';
import { printRoutes } from './print.routes.ts';
import { procedureFormRoutes } from './procedures.routes.ts';
import { qualityRoutes } from './quality.routes.ts';
import { templateRoutes } from './templates.routes.ts';
import { tthcRoutes } from './tthc.routes.ts';

/** Every page of the catalog; all need a signed-in user. */
export function catalogRoutes(s: Pick<Services, 'catalog' | 'units'>, maxUploadBytes: number): Router {
  const r = Router();
  for (const p of [
    '/catalog',
    '/procedures',
    '/tthc',
    '/units/:id/catalog',
    '/units/:id/procedures',
    '/units/:id/tthc',
    '/units/:id/templates',
    '/units/:id/quality',
  ])
    r.use(p, requireUser);

  async function list(req: Request, res: Response, unit?: Unit) {
    const actor = actorOf(req);
    const page = await s.catalog.procedures.list(actor, req.query, { unit });
    const fields = await s.catalog.tthc.fields(actor);
    res.render('catalog/list', {
      unit,
      page,
      fields,
      procedureKinds,
      procedureStatuses,
      canWrite: unit ? inScope(scopeFor(actor.user, 'catalog.write'), unit.path) : false,
    });
  }

  // A search across every unit of the caller's scope (a province-wide search for a coordinator).
  r.get('/catalog', (req, res) => list(req, res));
  r.get('/units/:id/catalog', async (req, res) => {
    const unit = await s.catalog.procedures.unit(actorOf(req), parseId(req.params.id), 'catalog.read');
    await list(req, res, unit);
  });

  // Excel first: its fixed paths (/tthc/import) must win over /tthc/:id.
  r.use(excelRoutes(s, maxUploadBytes), procedureFormRoutes(s), lifecycleRoutes(s), tthcRoutes(s), templateRoutes(s), qualityRoutes(s), printRoutes(s));
  return r;
}
