import type { FormSection } from '../../../src/plugins/contract.ts';
import { yesNo } from './items.ts';

/** Clauses 9 (performance evaluation) and 10 (improvement). */
export const evaluation: FormSection = {
  id: 'c9',
  title: { vi: 'Đánh giá kết quả hoạt động (Điều 9)', en: 'Performance evaluation (clause 9)' },
  items: [
    yesNo(
      'c9-1-monitoring',
      '9.1.1',
      {
        vi: 'Đã xác định những gì cần theo dõi, đo lường (tỷ lệ hồ sơ đúng hạn, mục tiêu chất lượng), phương pháp, tần suất; có báo cáo định kỳ.',
        en: 'What is monitored and measured (on-time rate, quality objectives), how and how often is defined; there are periodic reports.',
      },
      'minor',
    ),
    yesNo(
      'c9-1-satisfaction',
      '9.1.2',
      {
        vi: 'Sự hài lòng của người dân, tổ chức được theo dõi (phiếu khảo sát, chỉ số SIPAS, hộp thư góp ý) và kết quả được phân tích.',
        en: 'Citizen satisfaction is monitored (surveys, the SIPAS index, suggestion box) and the results are analysed.',
      },
      'minor',
    ),
    {
      id: 'c9-1-satisfaction-level',
      ref: '9.1.2',
      text: {
        vi: 'Mức hài lòng chung của người dân theo kết quả khảo sát gần nhất.',
        en: 'Overall citizen satisfaction in the latest survey.',
      },
      answer: {
        type: 'scale',
        min: 1,
        max: 5,
        minLabel: { vi: 'rất không hài lòng', en: 'very dissatisfied' },
        maxLabel: { vi: 'rất hài lòng', en: 'very satisfied' },
      },
      mandatory: false,
      weight: 1,
      findings: [{ when: { below: 3 }, severity: 'minor' }],
    },
    yesNo(
      'c9-1-analysis',
      '9.1.3',
      {
        vi: 'Dữ liệu theo dõi, đo lường được phân tích, đánh giá và dùng làm đầu vào cho xem xét của lãnh đạo và cải tiến.',
        en: 'Monitoring data is analysed and evaluated, and used as input to the management review and to improvement.',
      },
      'observation',
    ),
    yesNo(
      'c9-2-programme',
      '9.2',
      {
        vi: 'Đánh giá nội bộ được thực hiện theo kế hoạch ít nhất mỗi năm một lần, bao quát toàn bộ HTQLCL; chuyên gia đánh giá đã qua đào tạo và không tự đánh giá công việc của mình.',
        en: 'Internal audits follow a plan at least once a year and cover the whole QMS; auditors are trained and do not audit their own work.',
      },
      'major',
    ),
    {
      id: 'c9-2-last',
      ref: '9.2',
      text: { vi: 'Ngày kết thúc đợt đánh giá nội bộ gần nhất.', en: 'Date the latest internal audit ended.' },
      answer: { type: 'date' },
      mandatory: true,
      weight: 2,
      findings: [{ when: { olderThanDays: 365 }, severity: 'major' }],
    },
    yesNo(
      'c9-2-reported',
      '9.2',
      {
        vi: 'Kết quả đánh giá nội bộ được báo cáo lãnh đạo; các điểm không phù hợp được khắc phục và lưu hồ sơ.',
        en: 'Audit results are reported to leadership; nonconformities are corrected and records kept.',
      },
      'minor',
    ),
    yesNo(
      'c9-3-held',
      '9.3.2',
      {
        vi: 'Xem xét của lãnh đạo được thực hiện định kỳ với đủ đầu vào (hành động từ lần xem xét trước, thay đổi, kết quả mục tiêu, sự hài lòng của người dân, kết quả đánh giá, rủi ro và cơ hội); có biên bản.',
        en: 'Management reviews are held periodically with all their inputs (actions from the last review, changes, objectives achieved, citizen satisfaction, audit results, risks and opportunities); minutes are kept.',
      },
      'major',
    ),
    {
      id: 'c9-3-last',
      ref: '9.3',
      text: { vi: 'Ngày họp xem xét của lãnh đạo gần nhất.', en: 'Date of the latest management review.' },
      answer: { type: 'date' },
      mandatory: true,
      weight: 2,
      findings: [{ when: { olderThanDays: 365 }, severity: 'major' }],
    },
    yesNo(
      'c9-3-outputs',
      '9.3.3',
      {
        vi: 'Đầu ra của xem xét của lãnh đạo (quyết định cải tiến, thay đổi HTQLCL, nhu cầu nguồn lực) được triển khai và theo dõi.',
        en: 'The outputs of the review (improvement decisions, changes to the QMS, resource needs) are carried out and followed up.',
      },
      'minor',
    ),
  ],
};

export const improvement: FormSection = {
  id: 'c10',
  title: { vi: 'Cải tiến (Điều 10)', en: 'Improvement (clause 10)' },
  items: [
    yesNo(
      'c10-1-opportunities',
      '10.1',
      {
        vi: 'Cơ hội cải tiến được xác định và thực hiện (đơn giản hóa TTHC, dịch vụ công trực tuyến, số hóa hồ sơ, thanh toán không dùng tiền mặt).',
        en: 'Improvement opportunities are identified and acted on (simpler procedures, online public services, digitised dossiers, cashless payment).',
      },
      'observation',
    ),
    yesNo(
      'c10-2-action',
      '10.2.1',
      {
        vi: 'Khi có sự không phù hợp (kể cả phản ánh, khiếu nại của người dân), cơ quan kiểm soát, khắc phục, phân tích nguyên nhân, thực hiện hành động khắc phục và xem xét hiệu lực của hành động.',
        en: 'When a nonconformity occurs (including citizen complaints) the agency contains it, corrects it, analyses the cause, takes corrective action and checks it worked.',
      },
      'major',
    ),
    yesNo(
      'c10-2-records',
      '10.2.2',
      {
        vi: 'Có lưu hồ sơ về sự không phù hợp, hành động khắc phục đã thực hiện và kết quả (phiếu yêu cầu hành động khắc phục).',
        en: 'Records are kept of each nonconformity, the corrective action taken and its result (corrective action requests).',
      },
      'minor',
    ),
    {
      id: 'c10-2-overdue',
      ref: '10.2',
      text: { vi: 'Số hành động khắc phục đã quá hạn mà chưa hoàn thành.', en: 'Number of corrective actions past their due date and not completed.' },
      answer: { type: 'number', min: 0, unit: { vi: 'hành động', en: 'actions' } },
      mandatory: true,
      weight: 0,
      findings: [{ when: { above: 0 }, severity: 'minor' }],
    },
    yesNo(
      'c10-3-continual',
      '10.3',
      {
        vi: 'Kết quả phân tích, đánh giá và xem xét của lãnh đạo được dùng để cải tiến liên tục sự phù hợp và hiệu lực của HTQLCL.',
        en: 'Analysis, evaluation and management review results are used to improve the suitability and effectiveness of the QMS continually.',
      },
      'observation',
    ),
  ],
};
