import type { Knex } from 'knex';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import { PluginRegistry } from '../../plugins/registry.ts';
import { DocumentsService } from './documents.service.ts';

/**
 * Demo documents of a commune: the yearly report of last year issued (prepared by the officer,
 * approved by the leader), and this year's declaration decision left as a draft to try the life
 * cycle on. A declaration needs issued procedures: without them the demo simply has none.
 */
export async function seedDocumentsDemo(db: Knex, clock: Clock, who: { officer: Actor; leader: Actor; unitId: number }): Promise<void> {
  const docs = new DocumentsService(db, clock, () => new PluginRegistry());
  const year = Number(clock.now().toISOString().slice(0, 4));
  const report = await docs.prepare(who.officer, who.unitId, { type: 'yearly-report', year: year - 1 });
  await docs.update(who.officer, report.id, {
    numberSeq: report.numberSeq,
    numberSuffix: report.numberSuffix,
    issueDate: `${year - 1}-12-15`,
    subject: report.fields.subject,
    authority: report.fields.authority,
    legalBases: report.fields.legalBases,
    articles: report.fields.articles,
    signerOnBehalf: report.fields.signerOnBehalf,
    signerTitle: report.fields.signerTitle,
    signerName: 'Nguyễn Văn Thành',
    recipients: report.fields.recipients,
    parts: {
      assessment: '',
      difficulties: 'Cán bộ làm công tác ISO còn kiêm nhiệm nhiều việc.',
      proposals: 'Đề nghị tổ chức tập huấn chuyên gia đánh giá nội bộ.',
    },
  });
  await docs.approve(who.leader, report.id);
  await docs.issue(who.officer, report.id);
  try {
    await docs.prepare(who.officer, who.unitId, { type: 'declaration', year });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'DOCUMENT_REFUSED')) throw err;
  }
}
