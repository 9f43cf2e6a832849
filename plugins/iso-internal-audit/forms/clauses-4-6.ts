import type { FormSection } from '../../../src/plugins/contract.ts';
import { yesNo } from './items.ts';

/** Clauses 4 (context), 5 (leadership) and 6 (planning), as they apply to a state agency. */
export const context: FormSection = {
  id: 'c4',
  title: { vi: 'Bối cảnh của cơ quan (Điều 4)', en: 'Context of the agency (clause 4)' },
  items: [
    yesNo(
      'c4-1-issues',
      '4.1',
      {
        vi: 'Cơ quan đã xác định các vấn đề nội bộ và bên ngoài ảnh hưởng đến HTQLCL (chức năng, nhiệm vụ, nhân lực, cơ sở vật chất, văn bản pháp luật mới, sắp xếp đơn vị hành chính) và định kỳ theo dõi, xem xét các vấn đề đó.',
        en: 'The agency has identified the internal and external issues affecting the QMS (mandate, staff, facilities, new legislation, reorganisation of administrative units) and monitors and reviews them periodically.',
      },
      'minor',
      {
        vi: 'Xem sổ tay chất lượng, bảng phân tích bối cảnh hoặc biên bản xem xét của lãnh đạo.',
        en: 'Look at the quality manual, the context analysis or the management review minutes.',
      },
    ),
    yesNo(
      'c4-2-parties',
      '4.2',
      {
        vi: 'Đã xác định các bên quan tâm (người dân, tổ chức, doanh nghiệp, cơ quan cấp trên, cơ quan phối hợp) cùng các yêu cầu của họ, và có theo dõi, cập nhật.',
        en: 'The interested parties (citizens, organisations, businesses, higher authorities, partner agencies) and their requirements are identified, monitored and kept up to date.',
      },
      'minor',
    ),
    yesNo(
      'c4-3-scope',
      '4.3',
      {
        vi: 'Phạm vi áp dụng HTQLCL được xác định bằng văn bản (quyết định công bố, sổ tay chất lượng), nêu rõ các lĩnh vực, thủ tục hành chính thuộc phạm vi và lý giải các yêu cầu không áp dụng.',
        en: 'The scope of the QMS is documented (declaration decision, quality manual), naming the fields and administrative procedures covered and justifying any requirement that does not apply.',
      },
      'major',
    ),
    yesNo(
      'c4-3-current',
      '4.3',
      {
        vi: 'Danh mục TTHC trong phạm vi khớp với danh mục TTHC hiện hành do Chủ tịch UBND tỉnh công bố: không thiếu TTHC mới, không còn TTHC đã bãi bỏ.',
        en: "The procedures in scope match the current list published by the provincial People's Committee: no new procedure missing, no abolished one left.",
      },
      'major',
      {
        vi: 'Khi phạm vi thay đổi (thêm, bớt TTHC, sáp nhập đơn vị) cơ quan phải công bố lại HTQLCL.',
        en: 'When the scope changes (procedures added or removed, a merger) the agency must re-declare its QMS.',
      },
    ),
    yesNo(
      'c4-4-processes',
      '4.4',
      {
        vi: 'Đã xác định các quá trình cần thiết (quy trình hệ thống và quy trình giải quyết TTHC), trình tự và sự tương tác giữa chúng (sơ đồ quá trình), người chịu trách nhiệm và tiêu chí kiểm soát.',
        en: 'The processes needed (system procedures and one procedure per administrative procedure), their sequence and interaction (process map), owners and control criteria are defined.',
      },
      'major',
    ),
  ],
};

export const leadership: FormSection = {
  id: 'c5',
  title: { vi: 'Sự lãnh đạo (Điều 5)', en: 'Leadership (clause 5)' },
  items: [
    yesNo(
      'c5-1-commitment',
      '5.1.1',
      {
        vi: 'Người đứng đầu (Chủ tịch UBND, Giám đốc sở) chịu trách nhiệm về hiệu lực của HTQLCL: chỉ đạo xây dựng, ký ban hành tài liệu, bố trí nguồn lực, chủ trì xem xét của lãnh đạo.',
        en: "The head of the agency (chair of the People's Committee, director) is accountable for the QMS: directs it, signs the documents, provides resources, chairs the management review.",
      },
      'major',
    ),
    yesNo(
      'c5-1-citizens',
      '5.1.2',
      {
        vi: 'Lãnh đạo bảo đảm các yêu cầu của người dân, tổ chức và yêu cầu pháp luật về TTHC được xác định và đáp ứng; rủi ro ảnh hưởng đến sự hài lòng của người dân được giải quyết.',
        en: "Leadership ensures that citizens' requirements and the legal requirements of each procedure are known and met, and that risks to citizen satisfaction are addressed.",
      },
      'minor',
    ),
    yesNo(
      'c5-2-policy',
      '5.2.1',
      {
        vi: 'Chính sách chất lượng do người đứng đầu ký ban hành, phù hợp với chức năng, nhiệm vụ của cơ quan, có cam kết đáp ứng yêu cầu và cải tiến liên tục.',
        en: "The quality policy is signed by the head, fits the agency's mandate, and commits to meeting requirements and to continual improvement.",
      },
      'major',
    ),
    yesNo(
      'c5-2-posted',
      '5.2.2',
      {
        vi: 'Chính sách chất lượng được niêm yết tại trụ sở, Bộ phận Một cửa, trang thông tin điện tử và được phổ biến đến cán bộ, công chức.',
        en: 'The quality policy is posted at the office, at the one-stop counter and on the website, and communicated to all staff.',
      },
      'minor',
    ),
    {
      id: 'c5-2-understood',
      ref: '5.2.2',
      text: {
        vi: 'Mức độ hiểu chính sách chất lượng của cán bộ, công chức được phỏng vấn.',
        en: 'How well the staff interviewed understand the quality policy.',
      },
      help: {
        vi: 'Hỏi ít nhất hai công chức tại Bộ phận Một cửa và các bộ phận chuyên môn.',
        en: 'Ask at least two officials, at the one-stop counter and in the specialised departments.',
      },
      answer: {
        type: 'scale',
        min: 1,
        max: 5,
        minLabel: { vi: 'không biết', en: 'not at all' },
        maxLabel: { vi: 'hiểu rõ, áp dụng được', en: 'fully, and applies it' },
      },
      mandatory: true,
      weight: 1,
      findings: [{ when: { below: 3 }, severity: 'observation' }],
    },
    yesNo(
      'c5-3-roles',
      '5.3',
      {
        vi: 'Có quyết định thành lập Ban chỉ đạo ISO, phân công thư ký ISO; trách nhiệm và quyền hạn liên quan đến HTQLCL được phân công bằng văn bản và phổ biến trong cơ quan.',
        en: 'A decision sets up the ISO steering committee and names the ISO secretary; QMS responsibilities and authorities are assigned in writing and communicated.',
      },
      'major',
    ),
  ],
};

export const planning: FormSection = {
  id: 'c6',
  title: { vi: 'Hoạch định (Điều 6)', en: 'Planning (clause 6)' },
  items: [
    yesNo(
      'c6-1-risks',
      '6.1',
      {
        vi: 'Đã nhận diện rủi ro và cơ hội (hồ sơ trễ hạn, thất lạc hồ sơ, thay đổi văn bản pháp luật, thiếu nhân sự), có kế hoạch hành động để giải quyết và đánh giá hiệu lực của các hành động đó.',
        en: 'Risks and opportunities (late dossiers, lost dossiers, changes in legislation, staff shortages) are identified, with planned actions and an evaluation of their effectiveness.',
      },
      'minor',
    ),
    yesNo(
      'c6-2-objectives',
      '6.2.1',
      {
        vi: 'Mục tiêu chất lượng năm được ban hành bằng văn bản, đo lường được (ví dụ: 100% hồ sơ giải quyết đúng hạn) và nhất quán với chính sách chất lượng.',
        en: "The year's quality objectives are issued in writing, measurable (e.g. 100% of dossiers handled on time) and consistent with the quality policy.",
      },
      'major',
    ),
    yesNo(
      'c6-2-plan',
      '6.2.2',
      {
        vi: 'Có kế hoạch thực hiện mục tiêu chất lượng: việc cần làm, nguồn lực, người chịu trách nhiệm, thời hạn hoàn thành và cách đánh giá kết quả.',
        en: 'There is a plan to achieve the objectives: what will be done, resources, who is responsible, when it will be completed and how results will be evaluated.',
      },
      'minor',
    ),
    {
      id: 'c6-2-achieved',
      ref: '6.2.1',
      text: {
        vi: 'Tỷ lệ mục tiêu chất lượng của năm trước đạt được.',
        en: "Share of last year's quality objectives that were achieved.",
      },
      answer: { type: 'number', min: 0, max: 100, unit: { vi: '%', en: '%' } },
      mandatory: true,
      weight: 1,
      findings: [{ when: { below: 100 }, severity: 'observation' }],
    },
    yesNo(
      'c6-3-changes',
      '6.3',
      {
        vi: 'Khi HTQLCL thay đổi (sáp nhập đơn vị, thay đổi TTHC, luân chuyển cán bộ), việc thay đổi được hoạch định, xem xét hậu quả và phân công lại trách nhiệm.',
        en: 'Changes to the QMS (a merger, changed procedures, staff rotation) are planned, their consequences considered and responsibilities reassigned.',
      },
      'minor',
    ),
  ],
};
