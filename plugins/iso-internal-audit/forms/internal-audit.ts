import type { FormDefinition } from '../../../src/plugins/contract.ts';
import { context, leadership, planning } from './clauses-4-6.ts';
import { operation, support } from './clauses-7-8.ts';
import { evaluation, improvement } from './clauses-9-10.ts';

/**
 * The internal audit checklist of a public agency's QMS under TCVN ISO 9001:2015, clauses 4 to 10.
 * Item references are clauses of the standard. A new wording means a new version: keep version 1
 * registered so that audits answered against it still show as they were.
 */
export const internalAuditForm: FormDefinition = {
  id: 'iso-internal-audit',
  version: 1,
  title: {
    vi: 'Danh mục kiểm tra đánh giá nội bộ HTQLCL theo TCVN ISO 9001:2015',
    en: 'Internal audit checklist of the QMS under TCVN ISO 9001:2015',
  },
  description: {
    vi: 'Dùng cho đánh giá nội bộ hằng năm của UBND cấp xã, cơ quan chuyên môn thuộc UBND tỉnh. Trả lời "Có" khi đáp ứng, "Không" khi chưa đáp ứng, "Không áp dụng" khi yêu cầu không áp dụng cho cơ quan.',
    en: 'For the yearly internal audit of a commune-level People\'s Committee or a provincial department. Answer "Yes" when met, "No" when not met, "Not applicable" when the requirement does not apply to the agency.',
  },
  kind: 'iso-check',
  appliesTo: 'unit',
  sections: [context, leadership, planning, support, operation, evaluation, improvement],
};
