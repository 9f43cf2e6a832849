import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import { actionStatuses, severities } from './actions.logic.ts';

/** Errors a finding page shows beside its forms instead of an error page. */
const shownOnPage = new Set(['VALIDATION_FAILED', 'ACTION_WRONG_STATE', 'ACTION_SELF_VERIFY', 'FINDING_CLOSED', 'FINDING_ACTIONS_UNVERIFIED', 'STALE_EDIT']);

async function renderFinding(
  s: Pick<Services, 'actions'>,
  req: Request,
  res: Response,
  findingId: number,
  status: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const d = await s.actions.finding(actorOf(req), findingId);
  const owners = d.canManage ? await s.actions.ownerCandidates(d.finding.unitPath) : [];
  res.status(status).render('actions/finding', { ...d, owners, today: s.actions.today(), severities, failedAction: null, ...extra });
}

/** Runs a write of the finding page; a rule or input error shows the page again with it. */
async function onFindingPage(
  s: Pick<Services, 'actions'>,
  req: Request,
  res: Response,
  findingId: number,
  action: () => Promise<string>,
  form: 'add' | 'move' | 'close',
): Promise<void> {
  try {
    res.redirect(await action());
  } catch (err) {
    if (err instanceof AppError && shownOnPage.has(err.code)) {
      const body = req.body as Record<string, unknown>;
      await renderFinding(s, req, res, findingId, err.status, {
        errors: err.fields ?? {},
        formError: { code: err.code, params: err.params },
        values: form === 'add' ? body : {},
        failedAction: form === 'move' ? { id: Number(req.params.id), note: body.note ?? '' } : null,
      });
      return;
    }
    throw err;
  }
}

/** Pages of corrective actions: the province's list, a unit's, a finding's with its actions. */
export function actionRoutes(s: Pick<Services, 'actions'>): Router {
  const r = Router();
  r.use(['/actions', '/findings', '/units/:id/actions'], requireUser);

  r.get('/actions', async (req, res) => {
    const out = await s.actions.list(actorOf(req), req.query);
    res.render('actions/list', { ...out, statuses: actionStatuses, severities, today: s.actions.today() });
  });

  r.get('/actions/export.xlsx', async (req, res) => {
    const buffer = await s.actions.exportXlsx(actorOf(req), req.query, res.locals.t as (key: string, params?: Record<string, string | number>) => string);
    res.attachment('hanh-dong-khac-phuc.xlsx').type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buffer);
  });

  r.get('/units/:id/actions', async (req, res) => {
    const out = await s.actions.forUnit(actorOf(req), parseId(req.params.id), req.query as Record<string, unknown>);
    res.render('actions/unit', { ...out, today: s.actions.today() });
  });

  r.get('/findings/:id', async (req, res) => {
    await renderFinding(s, req, res, parseId(req.params.id), 200);
  });

  r.post('/findings/:id/actions', async (req, res) => {
    const id = parseId(req.params.id);
    await onFindingPage(
      s,
      req,
      res,
      id,
      async () => {
        const a = await s.actions.create(actorOf(req), id, req.body);
        return `${withNotice(`/findings/${id}`, 'created')}#a-${a.id}`;
      },
      'add',
    );
  });

  r.post('/findings/:id/close', async (req, res) => {
    const id = parseId(req.params.id);
    await onFindingPage(
      s,
      req,
      res,
      id,
      async () => {
        await s.actions.closeFinding(actorOf(req), id);
        return withNotice(`/findings/${id}`, 'saved');
      },
      'close',
    );
  });

  r.post('/actions/:id/transition', async (req, res) => {
    const actor = actorOf(req);
    const a = await s.actions.action(actor, parseId(req.params.id));
    await onFindingPage(
      s,
      req,
      res,
      a.findingId,
      async () => {
        await s.actions.transition(actor, a.id, req.body);
        return `${withNotice(`/findings/${a.findingId}`, 'saved')}#a-${a.id}`;
      },
      'move',
    );
  });

  const editLocals = async (req: Request) => {
    const a = await s.actions.action(actorOf(req), parseId(req.params.id));
    if (!a.canEdit) throw new AppError('NOT_FOUND');
    return { a, owners: await s.actions.ownerCandidates(a.unitPath) };
  };

  r.get('/actions/:id/edit', async (req, res) => {
    const locals = await editLocals(req);
    const { a } = locals;
    res.render('actions/edit', { ...locals, values: { cause: a.cause, action: a.action, dueDate: a.dueDate, version: a.version, owner: a.ownerUsername } });
  });

  r.post('/actions/:id/edit', async (req, res) => {
    const locals = await editLocals(req);
    await handleForm(
      req,
      res,
      'actions/edit',
      () => locals,
      async () => {
        await s.actions.update(actorOf(req), locals.a.id, req.body);
        res.redirect(`${withNotice(`/findings/${locals.a.findingId}`, 'saved')}#a-${locals.a.id}`);
      },
    );
  });

  return r;
}
