import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import { pageBody } from '../units/units.api.ts';
import type { UserRecord } from './users.repository.ts';
import { knownQuery } from '../../http/known-query.ts';
import { userListQuery } from './users.schemas.ts';

function userBody(u: UserRecord) {
  return {
    id: u.id,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    locale: u.locale,
    isActive: u.isActive,
    lastLoginAt: u.lastLoginAt,
    roles: u.roles.map((r) => ({ id: r.id, role: r.role, unitId: r.unitId, unitCode: r.unitCode })),
  };
}

/** `/api/v1/users` (administrators) and `/api/v1/me` (anyone signed in). */
export function userApi(s: Pick<Services, 'users'>): Router {
  const r = Router();
  r.use(['/users', '/me'], requireApiUser);
  r.get('/me', async (req, res) => {
    const actor = actorOf(req);
    res.json({ data: userBody(await s.users.get(actor, actor.user.id)) });
  });
  r.get('/users', knownQuery(userListQuery), async (req, res) => {
    const p = await s.users.list(actorOf(req), req.query);
    res.json(pageBody({ ...p, items: p.items.map(userBody) }));
  });
  r.post('/users', async (req, res) => {
    res.status(201).json({ data: userBody(await s.users.create(actorOf(req), req.body)) });
  });
  r.get('/users/:id', async (req, res) => {
    res.json({ data: userBody(await s.users.get(actorOf(req), parseId(req.params.id))) });
  });
  r.patch('/users/:id', async (req, res) => {
    const actor = actorOf(req);
    const cur = await s.users.get(actor, parseId(req.params.id));
    const body = { fullName: cur.fullName, email: cur.email ?? '', isActive: cur.isActive, locale: cur.locale, ...(req.body as object) };
    res.json({ data: userBody(await s.users.update(actor, cur.id, body)) });
  });
  r.post('/users/:id/roles', async (req, res) => {
    res.status(201).json({ data: userBody(await s.users.addRole(actorOf(req), parseId(req.params.id), req.body)) });
  });
  r.delete('/users/:id/roles/:roleId', async (req, res) => {
    await s.users.removeRole(actorOf(req), parseId(req.params.id), parseId(req.params.roleId));
    res.status(204).end();
  });
  return r;
}
