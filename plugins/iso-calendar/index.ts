import { definePlugin } from '../../src/plugins/contract.ts';
import { calendarReminders } from './reminders.ts';

/** Reminders of the yearly ISO calendar: report, re-declaration, procedure reviews, corrective actions. */
export default definePlugin({
  manifest: {
    id: 'iso-calendar',
    version: '1.0.0',
    host: '^0.1.0',
    name: { vi: 'Lịch công việc ISO', en: 'ISO calendar' },
    description: {
      vi: 'Nhắc hạn báo cáo HTQLCL, công bố lại, rà soát quy trình và hành động khắc phục.',
      en: 'Reminders of the QMS report, re-declarations, procedure reviews and corrective actions.',
    },
    settings: {
      // The due date is set by each province (many use a day in December).
      reportDueDate: {
        type: 'string',
        default: '12-15',
        pattern: '(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])',
        description: { vi: 'Hạn nộp báo cáo HTQLCL hằng năm của tỉnh (tháng-ngày, MM-DD).', en: "The province's yearly QMS report deadline (MM-DD)." },
      },
      // A national installation serves many provinces, each with its own date: `HNI=12-10,HCM=11-30`.
      reportDueDates: {
        type: 'string',
        default: '',
        pattern: '([A-Za-z0-9-]+=(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))(,[A-Za-z0-9-]+=(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))*|',
        description: {
          vi: 'Hạn nộp báo cáo riêng của từng tỉnh, theo mã tỉnh (ví dụ HNI=12-10,HCM=11-30); tỉnh không có trong danh sách dùng hạn chung.',
          en: 'Report deadlines of individual provinces by province code (e.g. HNI=12-10,HCM=11-30); other provinces use the common date.',
        },
      },
      reportLeadDays: {
        type: 'integer',
        default: 30,
        min: 1,
        max: 120,
        description: { vi: 'Bắt đầu nhắc báo cáo trước hạn bao nhiêu ngày.', en: 'How many days before the deadline report reminders start.' },
      },
      dueSoonDays: {
        type: 'integer',
        default: 7,
        min: 1,
        max: 60,
        description: { vi: 'Hành động khắc phục đến hạn trong bao nhiêu ngày thì nhắc.', en: 'Corrective actions due within this many days are reminded.' },
      },
      escalateAfterDays: {
        type: 'integer',
        default: 7,
        min: 1,
        max: 90,
        description: { vi: 'Quá hạn bao nhiêu ngày thì báo lãnh đạo đơn vị.', en: "Days overdue before the unit's leader is told." },
      },
    },
  },
  register(r) {
    r.reminders(...calendarReminders(r.settings));
  },
});
