import { definePlugin } from '../../src/plugins/contract.ts';
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
        type: 'integer', default: 3, min: 0, max: 30,
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
      // Inspection conclusions do not exist yet: the inspections issue adds them, with their
      // required corrections and deadlines. The scheduler already runs this reminder every working
      // day; it will then read the corrections due within `leadDays` or overdue through
      // `ctx.services` and return one notification per correction and band (due soon, overdue),
      // to the unit's officer and leader, deduplicated by `correction:<id>:<band>`.
      handler: async () => [],
    });
  },
});
