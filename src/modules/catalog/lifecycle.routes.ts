import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import { procedureKinds } from './catalog.types.ts';
import { can } from './procedures.access.ts';
import { isFormError } from './procedures.routes.ts';
import { diffContents, type ScalarField } from './revisions.diff.ts';

/** The procedure page, its life-cycle actions, one revision, and two revisions side by side. */
export function lifecycleRoutes(s: Pick<Services, 'catalog'>): Router {
  const r = Router();
  const c = s.catalog;

  async function show(req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const actor = actorOf(req);
    const d = await c.procedures.details(actor, parseId(req.params.id));
    const template = await c.templates.status(actor, d.procedure.id);
    res.status(status).render('catalog/procedure', {
      ...d,
      template,
      procedureKinds,
      today: c.procedures.today(),
      values: {},
      errors: {},
      can: {
        write: can(actor, d.procedure, 'catalog.write'),
        approve: can(actor, d.procedure, 'catalog.approve'),
        audit: can(actor, d.procedure, 'audit.read'),
        review: await c.lifecycle.mayReview(actor, d.procedure.unitId, d.head),
      },
      ...extra,
    });
  }

  r.get('/procedures/:id', (req, res) => show(req, res));

  /** A life-cycle action: done, back to the page; refused, the page again with the reason. */
  const action = (path: string, run: (actor: Actor, id: number, body: unknown) => Promise<unknown>) => {
    r.post(`/procedures/:id/${path}`, async (req, res) => {
      const id = parseId(req.params.id);
      try {
        await run(actorOf(req), id, req.body);
        res.redirect(withNotice(`/procedures/${id}`, 'saved'));
      } catch (err) {
        if (!isFormError(err)) throw err;
        await show(req, res, err.status, { actionError: { code: err.code, params: err.params }, values: req.body ?? {}, errors: err.fields ?? {} });
      }
    });
  };
  action('submit', (a, id) => c.lifecycle.submit(a, id));
  action('send-back', (a, id, b) => c.lifecycle.sendBack(a, id, b));
  action('review', (a, id) => c.lifecycle.review(a, id));
  action('approve', (a, id) => c.lifecycle.approve(a, id));
  action('issue', (a, id, b) => c.lifecycle.issue(a, id, b));
  action('withdraw', (a, id, b) => c.lifecycle.withdraw(a, id, b));
  action('reviewed', (a, id) => c.lifecycle.markReviewed(a, id));

  r.get('/procedures/:id/revisions/:no', async (req, res) => {
    const { procedure, revision } = await c.procedures.revision(actorOf(req), parseId(req.params.id), parseId(req.params.no));
    res.render('catalog/revision', { procedure, rev: revision });
  });

  r.get('/procedures/:id/compare', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    const a = await c.procedures.revision(actor, id, parseId(req.query.a));
    const b = await c.procedures.revision(actor, id, parseId(req.query.b));
    const t = res.locals.t as (k: string, p?: Record<string, string | number>) => string;
    const tthcCodes = new Map<number, string>();
    for (const x of [a.revision.tthcId, b.revision.tthcId]) {
      if (x !== null && !tthcCodes.has(x))
        tthcCodes.set(
          x,
          await c.tthc.get(actor, x).then(
            (tt) => `${tt.code} ${tt.name}`,
            () => String(x),
          ),
        );
    }
    const describe = (f: ScalarField, v: unknown) => {
      if (v === null || v === undefined) return '';
      if (f === 'kind') return t(`catalog.kinds.${String(v)}`);
      if (f === 'tthcId') return tthcCodes.get(Number(v)) ?? '';
      return String(v);
    };
    res.render('catalog/compare', { procedure: a.procedure, a: a.revision, b: b.revision, rows: diffContents(a.revision, b.revision, describe) });
  });

  return r;
}
