import { definePlugin } from '../../src/plugins/contract.ts';
import { sipasSurveyForm } from './forms/sipas-survey.ts';

/** The citizens' satisfaction survey of a unit's service (SIPAS, QĐ 1001/QĐ-BNV of 11/12/2023). */
export default definePlugin({
  manifest: {
    id: 'sipas',
    version: '1.0.0',
    host: '^0.1.0',
    name: { vi: 'Khảo sát sự hài lòng (SIPAS)', en: 'Satisfaction survey (SIPAS)' },
    description: {
      vi: 'Phiếu khảo sát sự hài lòng của người dân, tổ chức theo phương pháp của Bộ Nội vụ giai đoạn 2023-2026.',
      en: "A citizens' satisfaction survey following the Ministry of Home Affairs' method for 2023-2026.",
    },
  },
  register(r) {
    r.forms(sipasSurveyForm);
  },
});
