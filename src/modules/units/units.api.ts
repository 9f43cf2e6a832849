import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import type { Page } from '../../kernel/pagination.ts';
import type { Unit } from './units.types.ts';
import { knownQuery } from '../../http/known-query.ts';
import { unitListQuery } from './units.schemas.ts';

export function pageBody<T>(p: Page<T>) {
  return { data: p.items, meta: { total: p.total, page: p.page, pageSize: p.pageSize, pages: p.pages } };
}

/** `/api/v1/units`: the same use cases as the pages, in JSON. */
export function unitApi(s: Pick<Services, 'units'>): Router {
  const r = Router();
  r.use('/units', requireApiUser);
  r.get('/units', knownQuery(unitListQuery), async (req, res) => {
    res.json(pageBody(await s.units.list(actorOf(req), req.query)));
  });
  r.post('/units', async (req, res) => {
    res.status(201).json({ data: await s.units.create(actorOf(req), req.body) });
  });
  r.get('/units/:id', async (req, res) => {
    const d = await s.units.details(actorOf(req), parseId(req.params.id));
    res.json({
      data: {
        ...d.unit,
        active: d.active,
        ancestors: d.ancestors,
        predecessors: d.predecessors.map((p) => ({ id: p.id, code: p.code, name: p.name, activeTo: p.activeTo })),
        mergedInto: d.mergedInto ? { id: d.mergedInto.id, code: d.mergedInto.code, name: d.mergedInto.name } : null,
      },
    });
  });
  r.patch('/units/:id', async (req, res) => {
    const actor = actorOf(req);
    const cur: Unit = await s.units.get(actor, parseId(req.params.id), 'unit.manage');
    // PATCH: fields not sent keep their value.
    const body = {
      code: cur.code,
      name: cur.name,
      kind: cur.kind,
      placeName: cur.placeName,
      activeFrom: cur.activeFrom,
      activeTo: cur.activeTo,
      ...(req.body as object),
    };
    res.json({ data: await s.units.update(actor, cur.id, body) });
  });
  r.post('/units/:id/move', async (req, res) => {
    res.json({ data: await s.units.move(actorOf(req), parseId(req.params.id), req.body) });
  });
  r.post('/units/:id/merge', async (req, res) => {
    const body = { ...(req.body as Record<string, unknown>) };
    if (Array.isArray(body.sources)) body.sources = body.sources.join(',');
    const out = await s.units.merge(actorOf(req), parseId(req.params.id), body);
    res.json({ data: { target: out.target, sources: out.sources.map((u) => ({ id: u.id, code: u.code, name: u.name })) } });
  });
  r.put('/units/:id/iso-state', async (req, res) => {
    res.json({ data: await s.units.setIsoState(actorOf(req), parseId(req.params.id), req.body) });
  });
  return r;
}
