import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { AppError } from '../../kernel/errors.ts';
import { requireUser } from '../../http/guards.ts';
import { handleForm, withNotice } from '../../http/render.ts';
import { parseId } from '../../kernel/validation.ts';
import type { AppConfig } from '../../config/config.ts';
import { sizeText, type UploadForm } from '../../http/uploads.ts';
import { isoToVnLocal, kindLabel, personalItems, presences, unitSections } from './inspections.logic.ts';
import type { FormDefinition } from '../../plugins/contract.ts';
/**
 * Photos on site, evidence of a correction (`INSPECTION_UPLOAD_MAX_KB`), a staff list to import
 * (an Excel import, `CATALOG_UPLOAD_MAX_KB` as the catalog's), read before the CSRF check.
 */
export function inspectionUploadForms(config: AppConfig): UploadForm[] {
  return [
    { path: /^\/inspections\/\d+\/files$/, maxBytes: config.inspections.uploadMaxBytes },
    { path: /^\/corrections\/\d+\/answer$/, maxBytes: config.inspections.uploadMaxBytes },
    { path: /^\/units\/\d+\/officials\/import$/, maxBytes: config.catalog.uploadMaxBytes },
  ];
}

const inlineTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);

/** A violation as the record names it: the item (or attendance option) in the page's language. */
const kindTextFor = (form: FormDefinition, locale: 'vi' | 'en') => (v: { kind: string }) => kindLabel([form], v.kind, locale);

/** What the inspection page shows: the on-site entry when the actor records, else the record. */
export async function renderInspection(
  s: Pick<Services, 'inspections'>,
  req: Request,
  res: Response,
  status: number,
  extra: Record<string, unknown> = {},
  id = parseId(req.params.id),
): Promise<void> {
  const actor = actorOf(req);
  const rec = await s.inspections.record.record(actor, id);
  const members = await s.inspections.teams.membersOf(rec.inspection.teamId);
  const leader = members.find((m) => m.isLeader);
  res.status(status).render('inspections/show', {
    ...rec,
    presences,
    personalItems: personalItems(rec.form),
    unitSections: unitSections(rec.form),
    teamMembers: members,
    leaderName: leader?.fullName ?? '',
    // Empty until saved: the field starts at the present moment, for the team to correct.
    arrivalLocal: isoToVnLocal(rec.inspection.arrivedAt ?? s.inspections.onSite.now().toISOString()),
    fileMax: sizeText(s.inspections.onSite.fileMaxBytes),
    closeErrors: {},
    kindText: kindTextFor(rec.form, req.locale),
    ...extra,
  });
}

/** Runs a section save; a refusal re-shows the page with the messages and what was typed. */
async function sectionSave(s: Pick<Services, 'inspections'>, req: Request, res: Response, anchor: string, save: () => Promise<unknown>): Promise<void> {
  const id = parseId(req.params.id);
  try {
    await save();
    res.redirect(`${withNotice(`/inspections/${id}`, 'saved')}#${anchor}`);
  } catch (err) {
    if (err instanceof AppError && (err.status === 422 || err.status === 409 || err.status === 400)) {
      await renderInspection(s, req, res, err.status, {
        errors: err.fields ?? {},
        formError: err.fields ? undefined : { code: err.code, params: err.params },
        values: req.body as Record<string, unknown>,
      });
      return;
    }
    throw err;
  }
}

export function inspectionRoutes(s: Pick<Services, 'inspections'>): Router {
  const r = Router();
  r.use(['/inspections', '/corrections', '/inspection-files'], requireUser);
  const svc = s.inspections;

  r.get('/inspections', async (req, res) => {
    const actor = actorOf(req);
    // The filter comes from the page's own links: one it cannot read shows the whole list.
    const { filter, page } = await svc.onSite.list(actor, req.query).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED') return svc.onSite.list(actor, {});
      throw err;
    });
    res.render('inspections/list', {
      inspections: page.items,
      page,
      canStart: (await svc.onSite.myTeams(actor)).length > 0,
      canManage: svc.teams.canManage(actor),
      status: filter.status,
    });
  });

  const startLocals = async (req: Request) => {
    const actor = actorOf(req);
    const teams = await svc.onSite.myTeams(actor);
    if (!teams.length) throw new AppError('NOT_FOUND');
    return { teams, forms: svc.onSite.forms() };
  };
  r.get('/inspections/new', async (req, res) => {
    res.render('inspections/new', { ...(await startLocals(req)), values: { unitCode: typeof req.query.unitCode === 'string' ? req.query.unitCode : '' } });
  });
  r.post('/inspections', async (req, res) => {
    const locals = await startLocals(req);
    await handleForm(
      req,
      res,
      'inspections/new',
      () => locals,
      async () => {
        const i = await svc.onSite.start(actorOf(req), req.body);
        res.redirect(withNotice(`/inspections/${i.id}`, 'created'));
      },
    );
  });

  // Coordinators: corrections still to do, overdue first.
  r.get('/inspections/corrections', async (req, res) => {
    const actor = actorOf(req);
    if (!svc.teams.canManage(actor)) throw new AppError('NOT_FOUND');
    const overdue = req.query.overdue === '1';
    res.render('inspections/corrections', { corrections: await svc.record.pending(actor, overdue), overdue });
  });

  r.get('/inspections/stats', async (req, res) => {
    const actor = actorOf(req);
    const year = /^\d{4}$/.test(String(req.query.year ?? '')) ? Number(req.query.year) : svc.stats.defaultYear();
    res.render('inspections/stats', { stats: await svc.stats.compute(actor, year, req.locale) });
  });
  r.get('/inspections/stats.xlsx', async (req, res) => {
    const year = /^\d{4}$/.test(String(req.query.year ?? '')) ? Number(req.query.year) : svc.stats.defaultYear();
    const buffer = await svc.stats.xlsx(actorOf(req), year);
    res.attachment(`thong-ke-kiem-tra-${year}.xlsx`).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buffer);
  });

  r.get('/inspections/:id', async (req, res) => {
    await renderInspection(s, req, res, 200);
  });
  r.get('/inspections/:id/record', async (req, res) => {
    const rec = await svc.record.record(actorOf(req), parseId(req.params.id));
    res.render('inspections/record', {
      ...rec,
      personalItems: personalItems(rec.form),
      unitSections: unitSections(rec.form),
      kindText: kindTextFor(rec.form, req.locale),
    });
  });

  r.post('/inspections/:id/arrival', async (req, res) => {
    await sectionSave(s, req, res, 'arrival', () => svc.onSite.setArrival(actorOf(req), parseId(req.params.id), req.body));
  });
  r.post('/inspections/:id/attendance', async (req, res) => {
    await sectionSave(s, req, res, 'attendance', () => svc.onSite.saveAttendance(actorOf(req), parseId(req.params.id), req.body as Record<string, unknown>));
  });
  r.post('/inspections/:id/people', async (req, res) => {
    await sectionSave(s, req, res, 'attendance', () => svc.onSite.addPerson(actorOf(req), parseId(req.params.id), req.body));
  });
  r.post('/inspections/:id/people/:aid', async (req, res) => {
    const aid = parseId(req.params.aid);
    await sectionSave(s, req, res, `p-${aid}`, () => svc.onSite.saveMany(actorOf(req), parseId(req.params.id), aid, null, req.body as Record<string, unknown>));
  });
  r.post('/inspections/:id/sections/:sectionId', async (req, res) => {
    const sectionId = String(req.params.sectionId);
    await sectionSave(s, req, res, `s-${sectionId}`, () =>
      svc.onSite.saveMany(actorOf(req), parseId(req.params.id), null, sectionId, req.body as Record<string, unknown>),
    );
  });
  r.post('/inspections/:id/files', async (req, res) => {
    const file = req.file ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
    const itemId =
      typeof (req.body as Record<string, unknown>)?.itemId === 'string' ? String((req.body as Record<string, unknown>).itemId) || undefined : undefined;
    await sectionSave(s, req, res, 'photos', () =>
      svc.onSite.addFile(actorOf(req), parseId(req.params.id), file, res.locals.uploadProblem as string | undefined, itemId),
    );
  });
  r.post('/inspections/:id/close', async (req, res) => {
    const id = parseId(req.params.id);
    try {
      await svc.record.close(actorOf(req), id, req.body);
      res.redirect(withNotice(`/inspections/${id}`, 'saved'));
    } catch (err) {
      if (err instanceof AppError && (err.status === 422 || err.status === 409)) {
        // The people still unmarked are listed above the form; a name left out is marked on its field.
        const fields = err.fields ?? {};
        const listed = err.code === 'INSPECTION_UNMARKED' ? { closeErrors: fields } : { errors: fields };
        await renderInspection(s, req, res, err.status, {
          ...listed,
          formError: { code: err.code, params: err.params },
          values: req.body as Record<string, unknown>,
        });
        return;
      }
      throw err;
    }
  });
  r.post('/inspections/:id/conclusion', async (req, res) => {
    await sectionSave(s, req, res, 'conclusion', () => svc.record.conclude(actorOf(req), parseId(req.params.id), req.body));
  });
  r.post('/inspections/:id/reinspect', async (req, res) => {
    const i = await svc.record.reinspect(actorOf(req), parseId(req.params.id));
    res.redirect(withNotice(`/inspections/${i.id}`, 'created'));
  });

  // Follow-up of a correction: the unit answers (with an evidence file), the team reviews.
  const correctionPage = async (req: Request, res: Response, act: () => Promise<{ inspectionId: number }>) => {
    try {
      const c = await act();
      res.redirect(`${withNotice(`/inspections/${c.inspectionId}`, 'saved')}#corrections`);
    } catch (err) {
      if (err instanceof AppError && (err.status === 422 || err.status === 409)) {
        const cid = parseId(req.params.id);
        const inspectionId = await s.inspections.record.inspectionOf(cid);
        await renderInspection(
          s,
          req,
          res,
          err.status,
          { errors: err.fields ?? {}, formError: { code: err.code, params: err.params }, values: req.body as Record<string, unknown>, correctionId: cid },
          inspectionId,
        );
        return;
      }
      throw err;
    }
  };
  r.post('/corrections/:id/answer', async (req, res) => {
    const file = req.file ? { name: req.file.originalname, buffer: req.file.buffer } : undefined;
    await correctionPage(req, res, () =>
      svc.record.answer(actorOf(req), parseId(req.params.id), req.body, file, res.locals.uploadProblem as string | undefined),
    );
  });
  r.post('/corrections/:id/review', async (req, res) => {
    await correctionPage(req, res, () => svc.record.review(actorOf(req), parseId(req.params.id), req.body));
  });

  r.get('/inspection-files/:id', async (req, res) => {
    const f = await svc.onSite.file(actorOf(req), parseId(req.params.id));
    res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; sandbox");
    res.attachment(f.fileName).type(inlineTypes.has(f.mime) ? f.mime : 'application/octet-stream');
    if (f.mime.startsWith('image/')) res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.fileName)}`);
    res.send(f.content);
  });

  return r;
}
