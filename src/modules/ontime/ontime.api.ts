import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';

/** `/api/v1`: a unit's on-time figures, and the push of one period by a provincial one-stop system. */
export function onTimeApi(s: Pick<Services, 'onTime'>): Router {
  const r = Router();
  r.use(['/on-time', '/units/:id/on-time'], requireApiUser);
  r.get('/units/:id/on-time', async (req, res) => {
    const d = await s.onTime.forUnit(actorOf(req), parseId(req.params.id));
    res.json({ data: d.figures, meta: { unitId: d.unit.id, total: d.total } });
  });
  r.post('/on-time', async (req, res) => {
    res.status(201).json({ data: await s.onTime.addFromApi(actorOf(req), req.body) });
  });
  return r;
}
