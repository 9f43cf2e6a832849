import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';

/** Pages of management reviews: a unit's list, a new record, a record (edit while draft, make final). */
export function reviewRoutes(s: Pick<Services, 'reviews'>): Router {
  const r = Router();
  r.use(['/reviews', '/units/:id/reviews'], requireUser);

  r.get('/units/:id/reviews', async (req, res) => {
    res.render('reviews/list', await s.reviews.list(actorOf(req), parseId(req.params.id)));
  });

  r.get('/units/:id/reviews/new', async (req, res) => {
    const unit = await s.reviews.manageable(actorOf(req), parseId(req.params.id));
    res.render('reviews/new', { unit, values: { reviewDate: s.reviews.today() } });
  });

  r.post('/units/:id/reviews', async (req, res) => {
    const unit = await s.reviews.manageable(actorOf(req), parseId(req.params.id));
    await handleForm(
      req,
      res,
      'reviews/new',
      () => ({ unit }),
      async () => {
        const review = await s.reviews.create(actorOf(req), unit.id, req.body);
        res.redirect(withNotice(`/reviews/${review.id}`, 'created'));
      },
    );
  });

  r.get('/reviews/:id', async (req, res) => {
    const d = await s.reviews.get(actorOf(req), parseId(req.params.id));
    const { review } = d;
    res.render('reviews/show', { ...d, values: { decisions: review.decisions ?? '', attendees: review.attendees ?? '', chairedBy: review.chairedBy ?? '' } });
  });

  // The save button keeps a draft; the "make final" button (op=final) saves and locks it.
  r.post('/reviews/:id', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.id);
    const d = await s.reviews.get(actor, id);
    await handleForm(
      req,
      res,
      'reviews/show',
      () => d,
      async () => {
        await s.reviews.save(actor, id, req.body, (req.body as Record<string, unknown>).op === 'final');
        res.redirect(withNotice(`/reviews/${id}`, 'saved'));
      },
    );
  });

  return r;
}
