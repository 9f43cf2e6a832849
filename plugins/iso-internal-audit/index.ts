import { definePlugin } from '../../src/plugins/contract.ts';
import { internalAuditForm } from './forms/internal-audit.ts';
import { auditReminders } from './reminders.ts';

/** Internal audits of a public agency's QMS (TCVN ISO 9001:2015, clauses 4 to 10). */
export default definePlugin({
  manifest: {
    id: 'iso-internal-audit',
    version: '1.0.0',
    host: '^0.1.0',
    name: { vi: 'Đánh giá nội bộ HTQLCL', en: 'QMS internal audit' },
    description: {
      vi: 'Danh mục kiểm tra đánh giá nội bộ theo TCVN ISO 9001:2015 và nhắc việc đánh giá nội bộ, xem xét của lãnh đạo hằng năm.',
      en: 'The internal audit checklist under TCVN ISO 9001:2015, and reminders of the yearly internal audit and management review.',
    },
    settings: {
      auditMonth: {
        type: 'integer',
        default: 10,
        min: 1,
        max: 12,
        description: { vi: 'Tháng nhắc đánh giá nội bộ hằng năm.', en: 'Month of the yearly internal audit reminder.' },
      },
      reviewMonth: {
        type: 'integer',
        default: 11,
        min: 1,
        max: 12,
        description: { vi: 'Tháng nhắc họp xem xét của lãnh đạo.', en: 'Month of the management review reminder.' },
      },
    },
  },
  register(r) {
    r.forms(internalAuditForm);
    r.reminders(...auditReminders(r.settings));
  },
});
