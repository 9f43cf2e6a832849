import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';

/** `/api/v1`: a unit's survey results of a quarter (`?q=2026-Q4`, the current one by default). */
export function satisfactionApi(s: Pick<Services, 'satisfaction'>): Router {
  const r = Router();
  r.use('/units/:id/satisfaction', requireApiUser);
  r.get('/units/:id/satisfaction', async (req, res) => {
    const d = await s.satisfaction.results(actorOf(req), parseId(req.params.id), req.query.q);
    res.json({
      data: {
        quarter: d.quarter,
        form: d.form ? { id: d.form.id, version: d.form.version } : null,
        summary: d.summary ?? null,
        perDay: d.perDay,
        comments: d.comments,
      },
      meta: { unitId: d.unit.id },
    });
  });
  return r;
}
