import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { isFormError } from './procedures.routes.ts';

/** A unit's quality policy and yearly quality objectives. */
export function qualityRoutes(s: Pick<Services, 'catalog' | 'units'>): Router {
  const r = Router();
  const q = s.catalog.quality;

  async function page(req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const actor = actorOf(req);
    const d = await q.overview(actor, parseId(req.params.id));
    res.status(status).render('catalog/quality', {
      ...d,
      canWrite: s.units.can(actor, d.unit, 'catalog.write'),
      thisYear: Number(s.catalog.procedures.today().slice(0, 4)),
      values: {},
      errors: {},
      policyValues: { text: d.policy?.text ?? '', issuedOn: d.policy?.issuedOn ?? '' },
      ...extra,
    });
  }

  /** A write from the page: done, back to the page; refused, the page with what was typed. */
  const write = (path: string, form: string, run: (req: Request) => Promise<unknown>) => {
    r.post(path, async (req, res) => {
      try {
        await run(req);
        res.redirect(withNotice(`/units/${parseId(req.params.id)}/quality`, 'saved'));
      } catch (err) {
        if (!isFormError(err)) throw err;
        const typed =
          form === 'policy'
            ? { policyValues: req.body, policyErrors: err.fields ?? {} }
            : { values: req.body, errors: err.fields ?? {}, editing: req.params.oid ? Number(req.params.oid) : undefined };
        await page(req, res, err.status, { ...typed, formError: err.fields ? undefined : { code: err.code, params: err.params } });
      }
    });
  };

  r.get('/units/:id/quality', (req, res) => page(req, res));
  r.get('/units/:id/quality/objectives/:oid/edit', async (req, res) => {
    const { objective } = await q.getObjective(actorOf(req), parseId(req.params.id), parseId(req.params.oid));
    const values = {
      ...objective,
      achieved: objective.achieved === null ? '' : objective.achieved ? 'yes' : 'no',
      measure: objective.measure ?? '',
      actual: objective.actual ?? '',
    };
    await page(req, res, 200, { values, editing: objective.id });
  });
  write('/units/:id/quality/policy', 'policy', (req) => q.savePolicy(actorOf(req), parseId(req.params.id), req.body));
  write('/units/:id/quality/objectives', 'objective', (req) => q.addObjective(actorOf(req), parseId(req.params.id), req.body));
  write('/units/:id/quality/objectives/:oid', 'objective', (req) => q.updateObjective(actorOf(req), parseId(req.params.id), parseId(req.params.oid), req.body));
  write('/units/:id/quality/objectives/:oid/delete', 'objective', (req) => q.deleteObjective(actorOf(req), parseId(req.params.id), parseId(req.params.oid)));
  return r;
}
