import { Router, type Request } from 'express';
import type { Services } from '../../services.ts';
import { roles } from '../../auth/roles.ts';
import { actorOf } from '../../http/context.ts';
import { requireAdmin, requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';

/** User administration (administrators only; for anyone else these pages do not exist). */
export function userRoutes(s: Pick<Services, 'units' | 'users'>): Router {
  const r = Router();
  r.use('/admin', requireUser, requireAdmin);

  r.get('/admin/users', async (req, res) => {
    res.render('users/index', { page: await s.users.list(actorOf(req), req.query) });
  });
  r.get('/admin/users/new', (_req, res) => {
    res.render('users/new', { values: { locale: 'vi' } });
  });
  r.post('/admin/users', async (req, res) => {
    await handleForm(
      req,
      res,
      'users/new',
      () => ({}),
      async () => {
        const u = await s.users.create(actorOf(req), req.body);
        res.redirect(withNotice(`/admin/users/${u.id}`, 'created'));
      },
    );
  });

  const page = async (req: Request) => {
    const target = await s.users.get(actorOf(req), parseId(req.params.id));
    // Suggestions for the unit-code field: the top of the tree; any code can be typed.
    const units = await s.units.list(actorOf(req), { pageSize: 200, status: 'active', kind: 'province' });
    return { target, roles, units: units.items };
  };
  r.get('/admin/users/:id', async (req, res) => {
    const p = await page(req);
    res.render('users/show', { ...p, values: { fullName: p.target.fullName, email: p.target.email ?? '', isActive: p.target.isActive } });
  });
  r.post('/admin/users/:id', async (req, res) => {
    const p = await page(req);
    await handleForm(
      req,
      res,
      'users/show',
      () => p,
      async () => {
        await s.users.update(actorOf(req), p.target.id, req.body);
        res.redirect(withNotice(`/admin/users/${p.target.id}`, 'saved'));
      },
    );
  });
  r.post('/admin/users/:id/password', async (req, res) => {
    const p = await page(req);
    await handleForm(
      req,
      res,
      'users/show',
      () => ({ ...p, values: { fullName: p.target.fullName, email: p.target.email ?? '', isActive: p.target.isActive } }),
      async () => {
        await s.users.resetPassword(actorOf(req), p.target.id, req.body, { sessionId: req.sessionID });
        res.redirect(withNotice(`/admin/users/${p.target.id}`, 'password_changed'));
      },
    );
  });
  r.post('/admin/users/:id/roles', async (req, res) => {
    const p = await page(req);
    await handleForm(
      req,
      res,
      'users/show',
      () => ({ ...p, roleValues: req.body, values: { fullName: p.target.fullName, email: p.target.email ?? '', isActive: p.target.isActive } }),
      async () => {
        await s.users.addRole(actorOf(req), p.target.id, req.body);
        res.redirect(withNotice(`/admin/users/${p.target.id}`, 'role_added'));
      },
    );
  });
  r.post('/admin/users/:id/roles/:roleId/delete', async (req, res) => {
    const id = parseId(req.params.id);
    await s.users.removeRole(actorOf(req), id, parseId(req.params.roleId));
    res.redirect(withNotice(`/admin/users/${id}`, 'role_removed'));
  });
  return r;
}
