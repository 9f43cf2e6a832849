import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';

/** `/units/:id/carry-over`: the predecessors' scopes and procedures, reviewed and carried in one step. */
export function mergerRoutes(s: Pick<Services, 'merger'>): Router {
  const r = Router();
  r.use('/units/:id/carry-over', requireUser);

  r.get('/units/:id/carry-over', async (req, res) => {
    const plan = await s.merger.plan(actorOf(req), parseId(req.params.id));
    res.render('merger/carry-over', { plan, values: {} });
  });

  r.post('/units/:id/carry-over', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    // Out of scope is a 404 before anything typed is looked at.
    const plan = await s.merger.plan(actor, id);
    await handleForm(
      req,
      res,
      'merger/carry-over',
      () => ({ plan }),
      async () => {
        const out = await s.merger.carryOver(actor, id, req.body);
        res.redirect(withNotice(`/units/${id}/carry-over`, out.adopted || out.drafts ? 'carried' : 'nothing_new'));
      },
    );
  });
  return r;
}
