import { Router } from 'express';
import type { Services } from '../../services.ts';
import { actorOf } from '../../http/context.ts';
import { requireUser } from '../../http/guards.ts';
import { parseId } from '../../kernel/validation.ts';
import type { Translator } from '../../lib/i18n.ts';
import { renderPoster } from './poster.pdf.ts';
import { satisfactionWorkbook } from './satisfaction.excel.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Pages: a unit's survey results per quarter, their Excel export and the QR poster of the survey
 * (the unit's people and coordinators). The poster speaks Vietnamese: it is for the citizens.
 */
export function satisfactionRoutes(s: Pick<Services, 'satisfaction'>, baseUrl: string, translator: Translator): Router {
  const r = Router();
  r.use('/units/:id/satisfaction', requireUser);
  r.get('/units/:id/satisfaction', async (req, res) => {
    res.render('public/results', { ...(await s.satisfaction.results(actorOf(req), parseId(req.params.id), req.query.q)) });
  });
  r.get('/units/:id/satisfaction/export.xlsx', async (req, res) => {
    const d = await s.satisfaction.results(actorOf(req), parseId(req.params.id), req.query.q);
    const t = res.locals.t as Parameters<typeof satisfactionWorkbook>[1];
    res
      .attachment(`hai-long-${d.unit.code}-${d.quarter.key}.xlsx`)
      .type(xlsxType)
      .send(await satisfactionWorkbook(d, t, req.locale));
  });
  r.get('/units/:id/satisfaction/poster.pdf', async (req, res) => {
    const unit = await s.satisfaction.unit(actorOf(req), parseId(req.params.id));
    const t = (k: string) => translator.t('vi', `sipas.poster.${k}`);
    const pdf = await renderPoster(
      {
        unitName: unit.name,
        surveyUrl: `${baseUrl}/cong-khai/${encodeURIComponent(unit.code)}/khao-sat`,
        title: t('title'),
        invitation: t('invitation'),
        anonymous: t('anonymous'),
      },
      new Date(0),
    );
    res.attachment(`khao-sat-${unit.code}.pdf`).type('application/pdf').send(pdf);
  });
  return r;
}
