import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import type { Team } from './teams.service.ts';

const yearOf = (req: Request, fallback: number) =>
  /^\d{4}$/.test(String(req.query.year ?? req.body?.year ?? '')) ? Number(req.query.year ?? req.body?.year) : fallback;

/** A team as its edit form shows it: user names and unit codes as typed. */
const asValues = (t: Team) => ({
  name: t.name,
  year: String(t.year),
  leader: t.members.find((m) => m.isLeader)?.username ?? '',
  members: t.members
    .filter((m) => !m.isLeader)
    .map((m) => m.username)
    .join(', '),
  units: t.units.map((u) => u.code).join(', '),
});

export function teamRoutes(s: Pick<Services, 'inspections'>): Router {
  const r = Router();
  r.use(['/teams', '/plan-items'], requireUser);
  const teams = s.inspections.teams;

  r.get('/teams', async (req, res) => {
    const actor = actorOf(req);
    res.render('teams/list', { teams: await teams.list(actor), canManage: teams.canManage(actor) });
  });

  const newLocals = async (req: Request) => {
    const provinces = await teams.provinces(actorOf(req));
    if (!provinces.length) throw new AppError('NOT_FOUND');
    return { provinces, team: null };
  };
  r.get('/teams/new', async (req, res) => {
    res.render('teams/form', { ...(await newLocals(req)), values: { year: String(s.inspections.stats.defaultYear()) } });
  });
  r.post('/teams', async (req, res) => {
    const locals = await newLocals(req);
    await handleForm(
      req,
      res,
      'teams/form',
      () => locals,
      async () => {
        const t = await teams.create(actorOf(req), req.body);
        res.redirect(withNotice(`/teams/${t.id}`, 'created'));
      },
    );
  });

  const showTeam = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const actor = actorOf(req);
    const { team, canManage } = await teams.get(actor, parseId(req.params.id));
    const year = yearOf(req, team.year);
    res.status(status).render('teams/show', {
      team,
      canManage,
      isMember: team.members.some((m) => m.userId === actor.user.id),
      plan: await teams.plan(actor, team.id, year),
      year,
      ...extra,
    });
  };
  r.get('/teams/:id', async (req, res) => {
    await showTeam(req, res);
  });

  const editLocals = async (req: Request) => {
    const { team, canManage } = await teams.get(actorOf(req), parseId(req.params.id));
    if (!canManage) throw new AppError('NOT_FOUND');
    return { team, provinces: [] };
  };
  r.get('/teams/:id/edit', async (req, res) => {
    const locals = await editLocals(req);
    res.render('teams/form', { ...locals, values: asValues(locals.team) });
  });
  r.post('/teams/:id/edit', async (req, res) => {
    const locals = await editLocals(req);
    await handleForm(
      req,
      res,
      'teams/form',
      () => locals,
      async () => {
        await teams.update(actorOf(req), locals.team.id, req.body);
        res.redirect(withNotice(`/teams/${locals.team.id}`, 'saved'));
      },
    );
  });

  r.post('/teams/:id/plan', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      await teams.addPlanItem(actorOf(req), id, req.body);
      res.redirect(withNotice(`/teams/${id}?year=${encodeURIComponent(String((req.body as Record<string, unknown>).year ?? ''))}`, 'saved'));
    } catch (err) {
      if (err instanceof AppError && err.status === 422) {
        await showTeam(req, res, 422, { errors: err.fields ?? {}, values: req.body as Record<string, unknown> });
        return;
      }
      throw err;
    }
  });
  r.post('/plan-items/:id/delete', async (req, res) => {
    const out = await teams.removePlanItem(actorOf(req), parseId(req.params.id));
    res.redirect(withNotice(`/teams/${out.teamId}?year=${out.year}`, 'saved'));
  });
  return r;
}
