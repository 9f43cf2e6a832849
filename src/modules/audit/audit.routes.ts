import ExcelJS from 'exceljs';
import { Router, type Request } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireApiUser, requireUser } from '../../http/guards.ts';
import { fmtTime } from '../../http/locals.ts';
import { AppError } from '../../kernel/errors.ts';
import { auditActions, auditEntities } from '../../kernel/audit-words.ts';
import { dispositionOf } from '../../kernel/files/file-name.ts';
import type { Translator } from '../../lib/i18n.ts';
import { pageBody } from '../units/units.api.ts';
import { changesOf, type Words } from './audit.changes.ts';
import { auditExportLimit } from './audit.service.ts';
import type { AuditRow } from './audit.repository.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function wordsFor(translator: Translator, req: Request): Words {
  return { t: translator.bind(req.locale), has: (key) => translator.has(req.locale, key) };
}

/** A row as the page and the export show it: names and words, local time, changes field by field. */
function shown(e: AuditRow, w: Words) {
  return {
    ...e,
    atText: fmtTime(e.at),
    actionText: w.has(`audit.actions.${e.action}`) ? w.t(`audit.actions.${e.action}`) : e.action,
    entityText: w.has(`audit.entities.${e.entity}`) ? w.t(`audit.entities.${e.entity}`) : e.entity,
    who: e.fullName ?? e.username ?? '',
    changes: changesOf(e, w),
  };
}

export function auditRoutes(s: Pick<Services, 'audit'>, translator: Translator): Router {
  const r = Router();
  r.get('/audit', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const w = wordsFor(translator, req);
    const locals = { people: await s.audit.people(actor), actions: auditActions, entities: auditEntities, exportLimit: auditExportLimit };
    try {
      const page = await s.audit.list(actor, req.query);
      res.render('audit/index', { ...locals, page: { ...page, items: page.items.map((e) => shown(e, w)) } });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
      res.status(422).render('audit/index', { ...locals, page: undefined, errors: err.fields ?? {} });
    }
  });
  r.get('/audit/export.xlsx', requireUser, async (req, res) => {
    const w = wordsFor(translator, req);
    const rows = (await s.audit.exportRows(actorOf(req), req.query)).map((e) => shown(e, w));
    const wb = new ExcelJS.Workbook();
    wb.creator = 'isotrack';
    const ws = wb.addWorksheet(w.t('audit.title'), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: w.t('audit.at'), width: 17 },
      { header: w.t('audit.user'), width: 24 },
      { header: w.t('audit.action'), width: 22 },
      { header: w.t('audit.entity'), width: 24 },
      { header: w.t('audit.unit'), width: 28 },
      { header: w.t('audit.change'), width: 80 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const e of rows) {
      const change = e.changes.map((c) => `${c.label}: ${[c.before, c.after].filter((x) => x !== undefined).join(' → ')}`).join('\n');
      const row = ws.addRow([e.atText, e.who, e.actionText, e.entityId ? `${e.entityText} #${e.entityId}` : e.entityText, e.unitName ?? '', change]);
      row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
    }
    res
      .type(xlsxType)
      .set('Content-Disposition', dispositionOf('attachment', 'nhat-ky-thay-doi.xlsx'))
      .send(Buffer.from(await wb.xlsx.writeBuffer()));
  });
  return r;
}

export function auditApi(s: Pick<Services, 'audit'>): Router {
  const r = Router();
  r.get('/audit', requireApiUser, async (req, res) => {
    res.json(pageBody(await s.audit.list(actorOf(req), req.query)));
  });
  return r;
}
