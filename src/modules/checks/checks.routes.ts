import { Router, type Request, type Response } from 'express';
import type { Services } from '../../app.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../http/validation.ts';
import { itemsOf } from './checks.logic.ts';
import { checkKinds, type Replaced } from './checks.service.ts';

/** What the check page needs besides the check itself. */
const severities = ['major', 'minor', 'observation'] as const;

async function renderCheck(s: Services, req: Request, res: Response, status: number, extra: Record<string, unknown> = {}): Promise<void> {
  const d = await s.checks.details(actorOf(req), parseId(req.params.id));
  const itemText = new Map(itemsOf(d.form).map(({ item }) => [item.id, item]));
  res.status(status).render('checks/show', { ...d, itemText, severities, replaced: [] as Replaced[], missing: [] as string[], ...extra });
}

export function checkRoutes(s: Services): Router {
  const r = Router();
  r.use(['/checks', '/units/:id/checks'], requireUser);

  r.get('/units/:id/checks', async (req, res) => {
    const actor = actorOf(req);
    const { unit, checks } = await s.checks.listForUnit(actor, parseId(req.params.id));
    res.render('checks/list', { unit, checks, canPlan: s.checks.canPlan(actor, unit) });
  });

  const planPage = async (req: Request) => {
    const actor = actorOf(req);
    const { unit } = await s.checks.listForUnit(actor, parseId(req.params.id));
    if (!s.checks.canPlan(actor, unit)) throw new AppError('NOT_FOUND');
    return { unit, forms: s.checks.plannableForms(), kinds: checkKinds };
  };

  r.get('/units/:id/checks/new', async (req, res) => {
    res.render('checks/new', { ...(await planPage(req)), values: { kind: 'planned' } });
  });

  r.post('/units/:id/checks', async (req, res) => {
    const locals = await planPage(req);
    await handleForm(req, res, 'checks/new', () => locals, async () => {
      const check = await s.checks.plan(actorOf(req), locals.unit.id, req.body);
      res.redirect(withNotice(`/checks/${check.id}`, 'created'));
    });
  });

  r.get('/checks/:id', async (req, res) => {
    await renderCheck(s, req, res, 200);
  });

  // A section's save button: works without JavaScript.
  r.post('/checks/:id/sections/:sectionId', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      const out = await s.checks.saveSection(actorOf(req), id, String(req.params.sectionId), req.body as Record<string, unknown>);
      if (out.replaced.length) {
        // Say whose answers were replaced rather than redirecting past it.
        await renderCheck(s, req, res, 200, { replaced: out.replaced, notice: 'saved' });
        return;
      }
      res.redirect(`${withNotice(`/checks/${id}`, 'saved')}#s-${encodeURIComponent(String(req.params.sectionId))}`);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'VALIDATION_FAILED' || err.code === 'CHECK_LOCKED')) {
        await renderCheck(s, req, res, err.status, { errors: err.fields ?? {}, formError: { code: err.code, params: err.params }, values: req.body as Record<string, unknown> });
        return;
      }
      throw err;
    }
  });

  r.post('/checks/:id/submit', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      await s.checks.submit(actorOf(req), id);
      res.redirect(withNotice(`/checks/${id}`, 'saved'));
    } catch (err) {
      if (err instanceof AppError && (err.code === 'CHECK_INCOMPLETE' || err.code === 'CHECK_LOCKED')) {
        await renderCheck(s, req, res, err.status, { formError: { code: err.code, params: err.params }, missing: Object.keys(err.fields ?? {}) });
        return;
      }
      throw err;
    }
  });

  return r;
}
