import type { FormDefinition, FormSection } from '../../../src/plugins/contract.ts';
import { ct26, kept, qd129, qd1847 } from './items.ts';

/**
 * Unannounced spot checks of administrative discipline and public-service ethics, from
 * Chỉ thị 26/CT-TTg (2016), the office culture rules of QĐ 129/2007/QĐ-TTg and the public-service
 * culture scheme of QĐ 1847/QĐ-TTg (2018); the one-stop items from NĐ 118/2025/NĐ-CP and
 * TT 03/2025/TT-VPCP.
 */
const absentNote = { vi: 'Chọn "Không áp dụng" khi người này vắng mặt.', en: 'Choose "Not applicable" when this person is absent.' };

const officials: FormSection = {
  id: 'officials',
  title: { vi: 'Cán bộ, công chức, người lao động', en: 'Officials and staff' },
  description: {
    vi: 'Ghi cho từng người theo danh sách của cơ quan, kể cả người vắng mặt; người không có trong danh sách thì thêm theo họ tên.',
    en: "One entry per person on the agency's staff list, absent ones included; anyone not on the list is added by name.",
  },
  repeatPerPerson: true,
  items: [
    {
      id: 'attendance',
      ref: ct26,
      text: { vi: 'Có mặt tại thời điểm kiểm tra', en: 'Present at the time of the check' },
      answer: {
        type: 'choice',
        options: [
          { value: 'present', label: { vi: 'Có mặt', en: 'Present' } },
          { value: 'absent-excused', label: { vi: 'Vắng có lý do', en: 'Absent with a reason' } },
          { value: 'absent-unexcused', label: { vi: 'Vắng không có lý do', en: 'Absent without a reason' } },
          { value: 'late', label: { vi: 'Đi muộn', en: 'Late' } },
          { value: 'left-early', label: { vi: 'Về sớm, bỏ vị trí làm việc', en: 'Left early or away from post' } },
        ],
      },
      mandatory: true,
      weight: 3,
      findings: [
        { when: { equals: 'absent-unexcused' }, severity: 'major' },
        { when: { in: ['late', 'left-early'] }, severity: 'minor' },
      ],
    },
    {
      id: 'absence-reason',
      ref: ct26,
      text: {
        vi: 'Lý do vắng mặt, đi muộn; văn bản cử đi công tác hoặc cho phép nghỉ (nếu có)',
        en: 'Reason for absence or lateness; the assignment or leave document, if any',
      },
      answer: { type: 'text' },
      mandatory: false,
      weight: 0,
    },
    kept(
      'badge',
      `${ct26}; ${qd129}`,
      { vi: 'Đeo thẻ cán bộ, công chức, viên chức trong giờ làm việc', en: 'Wears the official badge during working hours' },
      'minor',
      absentNote,
    ),
    kept(
      'dress',
      `${qd129}; ${qd1847}`,
      { vi: 'Trang phục gọn gàng, lịch sự, phù hợp với tính chất công việc', en: 'Dressed neatly and suitably for the work' },
      'observation',
      absentNote,
    ),
    kept(
      'alcohol',
      `${ct26}; ${qd129}`,
      {
        vi: 'Không sử dụng rượu, bia, đồ uống có cồn trong giờ làm việc và giờ nghỉ trưa',
        en: 'No alcohol during working hours or the lunch break',
      },
      'major',
      {
        vi: 'Trả lời "Không" khi phát hiện đang sử dụng hoặc có biểu hiện đã sử dụng rượu, bia.',
        en: 'Answer "No" when the person is drinking or shows signs of having drunk alcohol.',
      },
    ),
    kept(
      'smoking',
      `${ct26}; ${qd129}`,
      { vi: 'Không hút thuốc lá trong phòng làm việc, nơi làm việc', en: 'Does not smoke in the office or at the workplace' },
      'minor',
      absentNote,
    ),
    kept(
      'private-business',
      ct26,
      {
        vi: 'Không làm việc riêng trong giờ làm việc (chơi trò chơi điện tử, mua bán, xem phim, mạng xã hội không vì công việc)',
        en: 'No personal business during working hours (games, trading, films, social media unrelated to work)',
      },
      'minor',
      absentNote,
    ),
    {
      id: 'attitude',
      ref: `${qd129}; ${qd1847}; ${ct26}`,
      text: {
        vi: 'Thái độ giao tiếp, ứng xử với người dân, tổ chức: lịch sự, tôn trọng, tận tình; không hách dịch, gây phiền hà, sách nhiễu',
        en: 'Attitude towards citizens: polite, respectful, helpful; never arrogant, obstructive or extorting',
      },
      help: { vi: 'Bỏ trống khi không quan sát được việc tiếp xúc với người dân.', en: 'Leave blank when no contact with citizens was observed.' },
      answer: { type: 'scale', min: 1, max: 5, minLabel: { vi: 'rất kém', en: 'very poor' }, maxLabel: { vi: 'rất tốt', en: 'very good' } },
      mandatory: false,
      weight: 2,
      findings: [
        { when: { below: 2 }, severity: 'major' },
        { when: { below: 3 }, severity: 'minor' },
      ],
    },
    {
      id: 'other-violation',
      ref: ct26,
      text: { vi: 'Vi phạm khác ghi nhận được (nếu có)', en: 'Other violations observed, if any' },
      answer: { type: 'text', multiline: true },
      mandatory: false,
      weight: 0,
    },
  ],
};

const office: FormSection = {
  id: 'office',
  title: { vi: 'Công sở và phòng làm việc', en: 'Office and workrooms' },
  items: [
    kept(
      'agency-sign',
      qd129,
      {
        vi: 'Biển tên cơ quan được gắn tại cổng chính, ghi đúng tên cơ quan theo quy định',
        en: "The agency's name sign is at the main gate and shows its official name",
      },
      'observation',
    ),
    kept(
      'door-plates',
      qd129,
      {
        vi: 'Phòng làm việc có biển tên ghi rõ tên bộ phận, họ và tên, chức danh của cán bộ, công chức',
        en: 'Each workroom has a door plate with the department, and the names and titles of its officials',
      },
      'minor',
    ),
    kept(
      'tidy',
      qd129,
      { vi: 'Phòng làm việc gọn gàng, ngăn nắp; hồ sơ, tài liệu được sắp xếp khoa học', en: 'Workrooms are tidy; files and documents are arranged in order' },
      'observation',
    ),
    kept(
      'no-cooking',
      qd129,
      { vi: 'Không lập bàn thờ, thắp hương, không đun nấu trong phòng làm việc', en: 'No altars, incense or cooking in workrooms' },
      'minor',
    ),
    kept(
      'work-schedule',
      ct26,
      {
        vi: 'Lịch công tác tuần của cơ quan và của lãnh đạo được lập, công khai và cập nhật đầy đủ',
        en: 'The weekly work schedule of the agency and its leaders is drawn up, posted and kept up to date',
      },
      'minor',
    ),
    kept(
      'off-site-assignment',
      ct26,
      {
        vi: 'Cán bộ, công chức làm việc ngoài cơ quan có văn bản phân công hoặc được lãnh đạo đồng ý, và được ghi vào sổ theo dõi',
        en: "Officials working off site have a written assignment or their leader's approval, recorded in the log",
      },
      'minor',
    ),
    kept(
      'rules-posted',
      qd1847,
      {
        vi: 'Nội quy cơ quan, quy chế làm việc và quy tắc ứng xử của cán bộ, công chức được niêm yết',
        en: 'The house rules, working regulations and code of conduct are posted',
      },
      'observation',
    ),
    kept(
      'feedback-channel',
      ct26,
      {
        vi: 'Có hộp thư góp ý hoặc số điện thoại đường dây nóng để người dân phản ánh về thái độ, hành vi của cán bộ, công chức',
        en: "A suggestion box or hotline lets citizens report officials' conduct",
      },
      'minor',
    ),
    {
      id: 'office-photo',
      ref: qd129,
      text: { vi: 'Ảnh hiện trạng tại thời điểm kiểm tra', en: 'Photo of the premises at the time of the check' },
      answer: { type: 'photo' },
      mandatory: false,
      weight: 0,
    },
  ],
};

const counter: FormSection = {
  id: 'one-stop',
  title: { vi: 'Tại Bộ phận Một cửa', en: 'At the one-stop counter' },
  items: [
    kept(
      'procedures-posted',
      'NĐ 118/2025/NĐ-CP',
      {
        vi: 'Thủ tục hành chính được niêm yết công khai, đầy đủ và đang còn hiệu lực',
        en: 'Administrative procedures are posted publicly, complete and still in force',
      },
      'major',
    ),
    kept(
      'leader-on-duty',
      'NĐ 118/2025/NĐ-CP',
      {
        vi: 'Có lãnh đạo được phân công trực, giải quyết vướng mắc tại Bộ phận Một cửa',
        en: 'A leader is assigned to be on duty and resolve problems at the counter',
      },
      'minor',
    ),
    kept(
      'late-apology',
      'TT 03/2025/TT-VPCP, Mẫu số 04',
      {
        vi: 'Hồ sơ quá hạn có văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết gửi người dân',
        en: 'Overdue dossiers have a letter of apology and extension sent to the citizen',
      },
      'major',
      { vi: 'Chọn "Không áp dụng" khi không có hồ sơ quá hạn.', en: 'Choose "Not applicable" when no dossier is overdue.' },
    ),
  ],
};

export const spotCheckForm: FormDefinition = {
  id: 'discipline-spot-check',
  version: 1,
  title: {
    vi: 'Phiếu kiểm tra kỷ luật, kỷ cương hành chính và đạo đức công vụ',
    en: 'Spot check of administrative discipline and public-service ethics',
  },
  description: {
    vi: 'Dùng khi kiểm tra đột xuất hoặc theo kế hoạch tại cơ quan, đơn vị; ghi nhận tại chỗ, làm căn cứ lập biên bản kiểm tra.',
    en: 'For unannounced or planned checks on site; what is entered here becomes the inspection record.',
  },
  kind: 'ethics-inspection',
  appliesTo: 'unit',
  sections: [officials, office, counter],
};
