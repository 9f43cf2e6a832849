import { definePlugin, type NotificationDraft } from '../../src/plugins/contract.ts';
import { spotCheckForm } from './forms/spot-check.ts';

/** Spot checks of discipline and public-service ethics (Chỉ thị 26/CT-TTg, QĐ 129/2007, QĐ 1847/2018). */
export default definePlugin({
  manifest: {
    id: 'discipline-inspection',
    version: '1.0.0',
    host: '^0.1.0',
    name: { vi: 'Kiểm tra kỷ luật, kỷ cương hành chính', en: 'Discipline and ethics inspections' },
    description: {
      vi: 'Phiếu kiểm tra đột xuất kỷ luật, kỷ cương hành chính, văn hóa công sở và nhắc hạn khắc phục theo kết luận kiểm tra.',
      en: 'The spot-check form for administrative discipline and office culture, and reminders of the correction deadlines set by inspection conclusions.',
    },
    settings: {
      leadDays: {
        type: 'integer',
        default: 3,
        min: 0,
        max: 30,
        description: { vi: 'Nhắc trước hạn khắc phục bao nhiêu ngày.', en: 'How many days before a correction deadline to remind.' },
      },
    },
  },
  register(r) {
    r.forms(spotCheckForm);
    r.reminders({
      id: 'conclusion-deadlines',
      title: { vi: 'Hạn khắc phục theo kết luận kiểm tra', en: 'Correction deadlines of inspection conclusions' },
      description: {
        vi: `Mỗi sáng ngày làm việc: nhắc đơn vị có nội dung phải khắc phục sắp đến hạn (trước ${r.settings.leadDays} ngày) hoặc đã quá hạn, và báo trưởng đoàn kiểm tra.`,
        en: `Every working-day morning: reminds units of corrections due within ${r.settings.leadDays} days or overdue, and tells the team leader.`,
      },
      cron: '0 7 * * 1-5',
      // One notification per correction and band (due soon, overdue), to the unit's officer and
      // leader and to the team leader, deduplicated by `correction:<id>:<band>`: each hears of a
      // correction once when it comes due and once when it passes its deadline.
      handler: async (ctx) => {
        const day = ctx.reads.dayOf(ctx.scheduledFor);
        const due = await ctx.reads.correctionsDue(day, Number(ctx.settings.leadDays));
        const fmt = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
        return due.flatMap((c): NotificationDraft[] => {
          const key = c.band === 'overdue' ? 'notify.correction_overdue' : 'notify.correction_due';
          const days = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${c.deadline}T00:00:00Z`)) / 86_400_000);
          const params = {
            unit: c.unitName,
            item: c.text.length > 120 ? `${c.text.slice(0, 119)}…` : c.text,
            date: fmt(c.inspectionDate),
            due: fmt(c.deadline),
            days,
          };
          const base = {
            title: { vi: ctx.t('vi', `${key}.title`), en: ctx.t('en', `${key}.title`) },
            body: { vi: ctx.t('vi', `${key}.body`, params), en: ctx.t('en', `${key}.body`, params) },
            link: `/inspections/${c.inspectionId}#c-${c.id}`,
            dueDate: c.deadline,
            dedupeKey: `correction:${c.id}:${c.band}`,
          };
          return [
            { ...base, recipient: { role: 'officer', unitId: c.unitId } },
            { ...base, recipient: { role: 'leader', unitId: c.unitId } },
            ...c.teamLeaderIds.map((userId) => ({ ...base, recipient: { userId } })),
          ];
        });
      },
    });
  },
});
