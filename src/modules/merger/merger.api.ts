import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import type { CarryPlan } from './merger.service.ts';

const planBody = (p: CarryPlan) => ({
  unit: { id: p.unit.id, code: p.unit.code, name: p.unit.name, isoState: p.unit.isoState, isoStateReason: p.unit.isoStateReason },
  merger: p.merger ?? null,
  items: p.items.map((i) => ({
    key: i.key,
    tthcCode: i.tthcCode,
    tthcName: i.tthcName,
    adopted: i.adopted,
    proposedId: i.proposedId,
    proposedCode: i.proposedCode,
    carried: i.carried,
    procedures: i.procedures.map((x) => ({ id: x.id, unitName: x.unitName, code: x.code, title: x.title, revisionNo: x.revisionNo, issueDate: x.issueDate })),
  })),
});

/** `/api/v1/units/:id/carry-over`: the same review and step as the page, in JSON. */
export function mergerApi(s: Pick<Services, 'merger'>): Router {
  const r = Router();
  r.use('/units/:id/carry-over', requireApiUser);
  r.get('/units/:id/carry-over', async (req, res) => {
    res.json({ data: planBody(await s.merger.plan(actorOf(req), parseId(req.params.id))) });
  });
  // Body: {"items":[{"key":"c:1.001193","pick":12,"code":"QT-01/X"}]}; an item named is taken.
  r.post('/units/:id/carry-over', async (req, res) => {
    const items = (req.body as { items?: unknown }).items;
    const form: Record<string, unknown> = {};
    if (Array.isArray(items)) {
      items.slice(0, 2000).forEach((raw, i) => {
        const it = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
        form[`key_${i}`] = it.key;
        form[`take_${i}`] = '1';
        form[`pick_${i}`] = it.pick === undefined || it.pick === null ? undefined : String(it.pick as string | number);
        form[`code_${i}`] = it.code;
      });
    }
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    const out = await s.merger.carryOver(actor, id, form);
    res.json({ data: { ...out, plan: planBody(await s.merger.plan(actor, id)) } });
  });
  return r;
}
