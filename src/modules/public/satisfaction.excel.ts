import ExcelJS from 'exceljs';
import { safeText } from '../catalog/excel.sheets.ts';
import type { Translator } from '../../lib/i18n.ts';
import type { Locale } from '../../lib/i18n.ts';
import type { SatisfactionResults } from './satisfaction.service.ts';

/** A quarter's results as the unit passes them on: the figures per question, then per day, then the comments. */
export async function satisfactionWorkbook(d: SatisfactionResults, t: ReturnType<Translator['bind']>, locale: Locale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'isotrack';
  const ws = wb.addWorksheet(t('sipas.sheet.results'));
  ws.columns = [{ width: 50 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 14 }];
  ws.addRow([safeText(d.unit.name), d.quarter.key]);
  ws.addRow([t('sipas.col.question'), t('sipas.col.rated'), t('sipas.col.no_opinion'), t('sipas.col.average'), t('sipas.col.index')]);
  ws.getRow(2).font = { bold: true };
  const s = d.summary;
  if (s) {
    for (const a of s.aspects) {
      ws.addRow([a.title[locale], a.tally.rated, a.tally.noOpinion, a.tally.average ?? '', a.tally.index ?? '']).font = { bold: true };
      for (const i of a.items) ws.addRow([`  ${i.text[locale]}`, i.tally.rated, i.tally.noOpinion, i.tally.average ?? '', i.tally.index ?? '']);
    }
    ws.addRow([t('sipas.overall'), s.overall.rated, s.overall.noOpinion, s.overall.average ?? '', s.overall.index ?? '']).font = { bold: true };
  }
  const days = wb.addWorksheet(t('sipas.sheet.days'));
  days.columns = [{ width: 14 }, { width: 12 }];
  days.addRow([t('sipas.col.day'), t('sipas.col.answers')]);
  for (const p of d.perDay) days.addRow([p.day, p.answers]);
  const comments = wb.addWorksheet(t('sipas.sheet.comments'));
  comments.columns = [{ width: 14 }, { width: 20 }, { width: 80 }];
  comments.addRow([t('sipas.col.day'), t('sipas.col.dossier'), t('sipas.col.comment')]);
  for (const c of d.comments) comments.addRow([c.day, safeText(c.dossierCode ?? ''), safeText(c.text)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
