import { Router, type Request } from 'express';
import type { Services } from '../../services.ts';
import { isAdmin } from '../../auth/roles.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { isoStandards, isoStates, unitKinds, type Unit } from './units.types.ts';

const labels = { unitKinds, isoStates, isoStandards };

function unitValues(u: Unit): Record<string, unknown> {
  return {
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentId: u.parentId ?? '',
    placeName: u.placeName ?? '',
    activeFrom: u.activeFrom ?? '',
    activeTo: u.activeTo ?? '',
  };
}

export function unitRoutes(s: Pick<Services, 'inspections' | 'merger' | 'units'>): Router {
  const r = Router();
  r.use('/units', requireUser);

  // The tree: the top of the caller's scope with counts per kind, or a flat search result.
  r.get('/units', async (req, res) => {
    const actor = actorOf(req);
    const [page, counts] = await Promise.all([s.units.list(actor, req.query, { rootsOnly: true }), s.units.countsByKind(actor)]);
    const searching = ['q', 'kind', 'parentId'].some((k) => typeof req.query[k] === 'string' && req.query[k] !== '');
    res.render('units/index', { ...labels, page, counts, searching, canCreateRoot: isAdmin(actor.user) });
  });

  r.get('/units/new', async (req, res) => {
    const actor = actorOf(req);
    const parentId = typeof req.query.parentId === 'string' ? req.query.parentId : '';
    const parent = parentId ? await s.units.get(actor, parseId(parentId), 'unit.manage') : undefined;
    // Without a parent this creates a province, which only an administrator may do.
    if (!parent && !isAdmin(actor.user)) throw new AppError('NOT_FOUND');
    res.render('units/form', { ...labels, mode: 'create', parent, values: { parentId, kind: parent ? 'commune' : 'province' } });
  });

  r.post('/units', async (req, res) => {
    const actor = actorOf(req);
    const body = req.body as Record<string, unknown>;
    await handleForm(
      req,
      res,
      'units/form',
      async () => ({
        ...labels,
        mode: 'create',
        parent: body.parentId ? await s.units.get(actor, parseId(body.parentId), 'unit.read').catch(() => undefined) : undefined,
      }),
      async () => {
        const unit = await s.units.create(actor, body);
        res.redirect(withNotice(`/units/${unit.id}`, 'created'));
      },
    );
  });

  r.get('/units/:id', async (req, res) => {
    const actor = actorOf(req);
    const d = await s.units.details(actor, parseId(req.params.id));
    const [children, counts, predecessorWork] = await Promise.all([
      s.units.list(actor, { ...req.query, parentId: String(d.unit.id), status: req.query.status ?? 'all' }),
      s.units.countsByKind(actor, d.unit),
      d.predecessors.length ? s.merger.predecessorWork(d.unit) : Promise.resolve([]),
    ]);
    res.render('units/show', {
      ...labels,
      ...d,
      children,
      counts,
      canManage: s.units.can(actor, d.unit, 'unit.manage'),
      canSetIso: s.units.can(actor, d.unit, 'unit.iso_state'),
      canAudit: s.units.can(actor, d.unit, 'audit.read'),
      canSeeOfficials: s.inspections.officials.canRead(actor, d.unit),
      predecessorWork,
      canCarry: s.units.can(actor, d.unit, 'catalog.write'),
      canSeeSatisfaction: s.units.can(actor, d.unit, 'satisfaction.read'),
    });
  });

  const formPage = (mode: string) => async (req: Request) => {
    const actor = actorOf(req);
    const unit = await s.units.get(actor, parseId(req.params.id), mode === 'iso' ? 'unit.iso_state' : 'unit.manage');
    return { ...labels, mode, unit };
  };

  r.get('/units/:id/edit', async (req, res) => {
    const locals = await formPage('edit')(req);
    res.render('units/form', { ...locals, values: unitValues(locals.unit) });
  });
  r.post('/units/:id/edit', async (req, res) => {
    const locals = await formPage('edit')(req);
    await handleForm(
      req,
      res,
      'units/form',
      () => locals,
      async () => {
        await s.units.update(actorOf(req), locals.unit.id, req.body);
        res.redirect(withNotice(`/units/${locals.unit.id}`, 'saved'));
      },
    );
  });

  r.get('/units/:id/move', async (req, res) => {
    const locals = await formPage('move')(req);
    res.render('units/move', { ...locals, values: {} });
  });
  r.post('/units/:id/move', async (req, res) => {
    const locals = await formPage('move')(req);
    await handleForm(
      req,
      res,
      'units/move',
      () => locals,
      async () => {
        await s.units.move(actorOf(req), locals.unit.id, req.body);
        res.redirect(withNotice(`/units/${locals.unit.id}`, 'moved'));
      },
    );
  });

  r.get('/units/:id/merge', async (req, res) => {
    const locals = await formPage('merge')(req);
    res.render('units/merge', { ...locals, values: {} });
  });
  r.post('/units/:id/merge', async (req, res) => {
    const locals = await formPage('merge')(req);
    await handleForm(
      req,
      res,
      'units/merge',
      () => locals,
      async () => {
        await s.units.merge(actorOf(req), locals.unit.id, req.body);
        res.redirect(withNotice(`/units/${locals.unit.id}`, 'merged'));
      },
    );
  });

  r.get('/units/:id/iso-state', async (req, res) => {
    const locals = await formPage('iso')(req);
    res.render('units/iso-state', { ...locals, values: { state: locals.unit.isoState, standard: locals.unit.isoStandard ?? '' } });
  });
  r.post('/units/:id/iso-state', async (req, res) => {
    const locals = await formPage('iso')(req);
    await handleForm(
      req,
      res,
      'units/iso-state',
      () => locals,
      async () => {
        await s.units.setIsoState(actorOf(req), locals.unit.id, req.body);
        res.redirect(withNotice(`/units/${locals.unit.id}`, 'saved'));
      },
    );
  });
  return r;
}
