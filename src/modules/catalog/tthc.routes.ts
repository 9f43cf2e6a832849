import { Router, type Request } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { onlineLevels, tthcLevels, type Tthc } from './catalog.types.ts';
import { isFormError } from './procedures.routes.ts';
import { dayText } from '../../lib/time.ts';

const labels = { tthcLevels, onlineLevels };

function tthcValues(t: Tthc): Record<string, unknown> {
  return {
    provinceId: t.provinceId,
    code: t.code,
    name: t.name,
    field: t.field,
    level: t.level,
    legalDays: t.legalDays ?? '',
    fees: t.fees ?? '',
    legalBasis: t.legalBasis ?? '',
    onlineLevel: t.onlineLevel,
    version: t.version,
  };
}

/** The province's TTHC list (kept by coordinators) and a unit's TTHC scope (adopt, drop). */
export function tthcRoutes(s: Pick<Services, 'catalog' | 'units'>): Router {
  const r = Router();
  const c = s.catalog.tthc;

  r.get('/tthc', async (req, res) => {
    const actor = actorOf(req);
    const [page, fields, provinces] = await Promise.all([c.list(actor, req.query), c.fields(actor), c.managedProvinces(actor)]);
    res.render('catalog/tthc-list', { ...labels, page, fields, provinces, canManage: provinces.length > 0 });
  });

  const newLocals = async (req: Request) => ({ ...labels, mode: 'create', provinces: await c.managedProvinces(actorOf(req)) });

  r.get('/tthc/new', async (req, res) => {
    const locals = await newLocals(req);
    if (locals.provinces.length === 0) throw new AppError('NOT_FOUND');
    res.render('catalog/tthc-form', { ...locals, values: { provinceId: locals.provinces[0]?.id, level: 'commune', onlineLevel: 'none' } });
  });

  r.post('/tthc', async (req, res) => {
    await handleForm(
      req,
      res,
      'catalog/tthc-form',
      () => newLocals(req),
      async () => {
        const t = await c.create(actorOf(req), req.body);
        res.redirect(withNotice(`/tthc/${t.id}`, 'created'));
      },
    );
  });

  r.get('/tthc/:id', async (req, res) => {
    const actor = actorOf(req);
    const t = await c.get(actor, parseId(req.params.id));
    res.render('catalog/tthc-show', { ...labels, tthc: t, canManage: await c.canManage(actor, t), dayText });
  });

  r.post('/tthc/:id/retire', async (req, res) => {
    const actor = actorOf(req);
    const t = await c.get(actor, parseId(req.params.id));
    if (!(await c.canManage(actor, t))) throw new AppError('NOT_FOUND');
    await handleForm(
      req,
      res,
      'catalog/tthc-show',
      async () => ({ ...labels, tthc: t, canManage: true, dayText }),
      async () => {
        await c.retire(actor, t.id, req.body);
        res.redirect(withNotice(`/tthc/${t.id}`, 'saved'));
      },
    );
  });

  const editLocals = async (req: Request) => {
    const actor = actorOf(req);
    const t = await c.get(actor, parseId(req.params.id));
    if (!(await c.canManage(actor, t))) throw new AppError('NOT_FOUND');
    return { ...labels, mode: 'edit', tthc: t, provinces: [] };
  };

  r.get('/tthc/:id/edit', async (req, res) => {
    const locals = await editLocals(req);
    res.render('catalog/tthc-form', { ...locals, values: tthcValues(locals.tthc) });
  });

  r.post('/tthc/:id/edit', async (req, res) => {
    const locals = await editLocals(req);
    try {
      await c.update(actorOf(req), locals.tthc.id, { ...(req.body as object), provinceId: String(locals.tthc.provinceId) });
      res.redirect(withNotice(`/tthc/${locals.tthc.id}`, 'saved'));
    } catch (err) {
      if (!isFormError(err)) throw err;
      // On a stale save the typed values stay and the form takes the current version, so that a
      // deliberate second save goes through.
      const now = err.code === 'STALE_EDIT' ? await c.get(actorOf(req), locals.tthc.id) : locals.tthc;
      res.status(err.status).render('catalog/tthc-form', {
        ...locals,
        values: { ...(req.body as object), version: now.version },
        errors: err.fields ?? {},
        formError: err.fields ? undefined : { code: err.code, params: err.params },
      });
    }
  });

  const scopeLocals = async (req: Request) => {
    const actor = actorOf(req);
    const d = await c.adopted(actor, parseId(req.params.id));
    return { ...d, canWrite: s.units.can(actor, d.unit, 'catalog.write') };
  };

  r.get('/units/:id/tthc', async (req, res) => {
    res.render('catalog/unit-tthc', { ...(await scopeLocals(req)), values: {} });
  });

  r.post('/units/:id/tthc', async (req, res) => {
    const locals = await scopeLocals(req);
    await handleForm(
      req,
      res,
      'catalog/unit-tthc',
      () => locals,
      async () => {
        await c.adopt(actorOf(req), locals.unit.id, req.body);
        res.redirect(withNotice(`/units/${locals.unit.id}/tthc`, 'saved'));
      },
    );
  });

  r.post('/units/:id/tthc/:tthcId/drop', async (req, res) => {
    const unitId = parseId(req.params.id);
    await c.drop(actorOf(req), unitId, parseId(req.params.tthcId));
    res.redirect(withNotice(`/units/${unitId}/tthc`, 'saved'));
  });
  return r;
}
