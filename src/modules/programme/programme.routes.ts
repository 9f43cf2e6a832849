import { Router, type Request } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { parseYear } from './programme.service.ts';

/** Pages of the yearly audit programme: the list with what was done, add and remove, the print view. */
export function programmeRoutes(s: Pick<Services, 'programme'>): Router {
  const r = Router();
  r.use('/units/:id/programme', requireUser);

  const load = (req: Request) => s.programme.show(actorOf(req), parseId(req.params.id), parseYear(req.params.programmeYear));
  const url = (unitId: number, year: number) => `/units/${unitId}/programme/${year}`;

  // The current year's programme, so that a unit page can link to it without knowing the year.
  r.get('/units/:id/programme', async (req, res) => {
    const p = await s.programme.show(actorOf(req), parseId(req.params.id), s.programme.thisYear());
    res.redirect(url(p.unit.id, p.year));
  });

  r.get('/units/:id/programme/:programmeYear', async (req, res) => {
    res.render('programme/show', await load(req));
  });

  r.get('/units/:id/programme/:programmeYear/print', async (req, res) => {
    res.render('programme/print', { ...(await load(req)), today: s.programme.today() });
  });

  r.post('/units/:id/programme/:programmeYear/items', async (req, res) => {
    const p = await load(req);
    await handleForm(
      req,
      res,
      'programme/show',
      () => ({ ...p }),
      async () => {
        await s.programme.addItem(actorOf(req), p.unit.id, p.year, req.body);
        res.redirect(withNotice(url(p.unit.id, p.year), 'created'));
      },
    );
  });

  r.post('/units/:id/programme/:programmeYear/items/:programmeEntryId/delete', async (req, res) => {
    const unitId = parseId(req.params.id);
    const year = parseYear(req.params.programmeYear);
    await s.programme.removeItem(actorOf(req), unitId, year, parseId(req.params.programmeEntryId));
    res.redirect(withNotice(url(unitId, year), 'saved'));
  });

  return r;
}
