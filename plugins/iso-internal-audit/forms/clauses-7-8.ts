import type { FormSection } from '../../../src/plugins/contract.ts';
import { yesNo } from './items.ts';

/** Clauses 7 (support) and 8 (operation): resources, documents, and how procedures are applied. */
export const support: FormSection = {
  id: 'c7',
  title: { vi: 'Hỗ trợ: nguồn lực và thông tin dạng văn bản (Điều 7)', en: 'Support: resources and documented information (clause 7)' },
  items: [
    yesNo(
      'c7-1-people',
      '7.1.2',
      {
        vi: 'Bố trí đủ công chức để vận hành các quy trình giải quyết TTHC và duy trì HTQLCL (có thư ký ISO, có người thay thế khi vắng).',
        en: 'There are enough officials to run the procedures and maintain the QMS (an ISO secretary, with a stand-in during absence).',
      },
      'minor',
    ),
    yesNo(
      'c7-1-infrastructure',
      '7.1.3',
      {
        vi: 'Cơ sở hạ tầng đáp ứng yêu cầu: trụ sở, Bộ phận Một cửa, máy tính, máy in, máy quét, đường truyền, phần mềm một cửa điện tử; có theo dõi, bảo trì.',
        en: 'The infrastructure is adequate: premises, one-stop counter, computers, printers, scanners, network, the electronic one-stop software; it is looked after and maintained.',
      },
      'minor',
    ),
    yesNo(
      'c7-1-environment',
      '7.1.4',
      {
        vi: 'Môi trường làm việc và nơi tiếp dân phù hợp: thoáng mát, đủ ánh sáng, có ghế chờ, bàn viết hồ sơ, nước uống, bảo đảm an toàn phòng cháy.',
        en: 'The work environment and the reception area are suitable: ventilated, well lit, with seats, a writing desk, drinking water and fire safety.',
      },
      'observation',
    ),
    yesNo(
      'c7-1-measuring',
      '7.1.5',
      {
        vi: 'Các phương tiện theo dõi, đo lường đang dùng (phần mềm theo dõi hồ sơ, thiết bị đo nếu có) cho kết quả tin cậy; thiết bị đo được kiểm định hoặc hiệu chuẩn theo quy định.',
        en: 'The monitoring and measuring resources in use (dossier tracking software, any measuring devices) give reliable results; devices are verified or calibrated as required.',
      },
      'minor',
      {
        vi: 'Chọn "Không áp dụng" nếu cơ quan không dùng thiết bị đo nào.',
        en: 'Choose "Not applicable" if the agency uses no measuring device.',
      },
    ),
    yesNo(
      'c7-1-knowledge',
      '7.1.6',
      {
        vi: 'Tri thức cần thiết (văn bản pháp luật, hướng dẫn nghiệp vụ, kinh nghiệm giải quyết hồ sơ) được lưu giữ, cập nhật và chia sẻ, kể cả khi luân chuyển cán bộ.',
        en: 'The knowledge needed (legislation, professional guidance, experience with dossiers) is kept, updated and shared, including when staff rotate.',
      },
      'observation',
    ),
    yesNo(
      'c7-2-competence',
      '7.2',
      {
        vi: 'Công chức đảm nhiệm công việc có trình độ phù hợp, được đào tạo về TCVN ISO 9001:2015 và nghiệp vụ; có hồ sơ đào tạo, bồi dưỡng.',
        en: 'Officials are qualified for their tasks and trained in TCVN ISO 9001:2015 and in their field; training records are kept.',
      },
      'minor',
    ),
    yesNo(
      'c7-3-awareness',
      '7.3',
      {
        vi: 'Công chức được phỏng vấn biết chính sách chất lượng, mục tiêu chất lượng liên quan đến công việc của mình và hậu quả của việc không tuân thủ quy trình.',
        en: 'The officials interviewed know the quality policy, the objectives that concern their work, and the consequences of not following the procedures.',
      },
      'minor',
    ),
    yesNo(
      'c7-4-communication',
      '7.4',
      {
        vi: 'Việc trao đổi thông tin nội bộ và với bên ngoài được xác định (nội dung, thời điểm, với ai, cách thức): họp giao ban, hộp thư góp ý, trang thông tin điện tử, đường dây nóng.',
        en: 'Internal and external communication is defined (what, when, with whom, how): briefings, suggestion box, website, hotline.',
      },
      'observation',
    ),
    yesNo(
      'c7-5-required',
      '7.5.1',
      {
        vi: 'HTQLCL có đủ thông tin dạng văn bản theo yêu cầu: phạm vi, chính sách, mục tiêu chất lượng, các quy trình hệ thống và quy trình giải quyết từng TTHC trong phạm vi.',
        en: 'The QMS has the documented information it needs: scope, policy, quality objectives, the system procedures and one procedure per administrative procedure in scope.',
      },
      'major',
    ),
    yesNo(
      'c7-5-issued',
      '7.5.2',
      {
        vi: 'Tài liệu được ban hành đúng thẩm quyền: có mã số, lần ban hành, ngày ban hành, chữ ký người soạn thảo, xem xét và phê duyệt.',
        en: 'Documents are issued by the proper authority: code, revision, issue date, signatures of the drafter, reviewer and approver.',
      },
      'minor',
    ),
    yesNo(
      'c7-5-control',
      '7.5.3',
      {
        vi: 'Danh mục tài liệu hiện hành được cập nhật; tài liệu lỗi thời được thu hồi hoặc đánh dấu; văn bản pháp luật (tài liệu bên ngoài) được kiểm soát và còn hiệu lực.',
        en: 'The list of current documents is up to date; obsolete documents are withdrawn or marked; external documents (legislation) are controlled and still in force.',
      },
      'minor',
    ),
    yesNo(
      'c7-5-records',
      '7.5.3',
      {
        vi: 'Hồ sơ (biểu mẫu, sổ theo dõi, kết quả giải quyết) được lưu đầy đủ, sắp xếp khoa học, dễ truy xuất và lưu đúng thời hạn quy định.',
        en: 'Records (forms, logbooks, results) are complete, filed in order, easy to retrieve and kept for the required time.',
      },
      'minor',
      {
        vi: 'Phát hiện thường gặp ở cấp xã: hồ sơ không được sắp xếp theo trình tự.',
        en: 'A common finding in communes: records not filed in order.',
      },
    ),
    {
      id: 'c7-5-photo',
      ref: '7.5.3',
      text: { vi: 'Ảnh khu vực lưu trữ hồ sơ.', en: 'Photo of the records storage.' },
      answer: { type: 'photo' },
      mandatory: false,
      weight: 0,
    },
  ],
};

export const operation: FormSection = {
  id: 'c8',
  title: { vi: 'Thực hiện các quy trình (Điều 8)', en: 'Operation of the procedures (clause 8)' },
  items: [
    yesNo(
      'c8-1-followed',
      '8.1',
      {
        vi: 'Các quy trình giải quyết TTHC được áp dụng đúng các bước, đúng người thực hiện và đúng thời gian đã quy định.',
        en: 'The procedures are applied as written: the steps, the people responsible and the time allowed.',
      },
      'major',
      {
        vi: 'Chọn ngẫu nhiên 3 đến 5 hồ sơ đã giải quyết và đối chiếu với quy trình.',
        en: 'Pick 3 to 5 completed dossiers at random and compare them with the procedure.',
      },
    ),
    {
      id: 'c8-1-deviations',
      ref: '8.1',
      text: { vi: 'Số hồ sơ được chọn kiểm tra không tuân thủ quy trình.', en: 'Number of sampled dossiers that did not follow the procedure.' },
      answer: { type: 'number', min: 0, unit: { vi: 'hồ sơ', en: 'dossiers' } },
      mandatory: true,
      weight: 0,
      findings: [{ when: { above: 0 }, severity: 'minor' }],
    },
    yesNo(
      'c8-2-communication',
      '8.2.1',
      {
        vi: 'Người dân được cung cấp thông tin: TTHC được niêm yết công khai, có hướng dẫn thành phần hồ sơ, có kênh tiếp nhận phản ánh, kiến nghị.',
        en: 'Citizens are informed: procedures are posted publicly, the documents required are explained, and there is a channel for complaints and suggestions.',
      },
      'minor',
    ),
    yesNo(
      'c8-2-requirements',
      '8.2.2',
      {
        vi: 'Yêu cầu của từng TTHC (thành phần hồ sơ, thời hạn, phí, lệ phí) được xác định theo văn bản pháp luật hiện hành và hồ sơ được kiểm tra tính đầy đủ, hợp lệ trước khi tiếp nhận.',
        en: 'The requirements of each procedure (documents, time limit, fees) follow current legislation, and dossiers are checked for completeness and validity before they are accepted.',
      },
      'major',
    ),
    yesNo(
      'c8-2-changes',
      '8.2.4',
      {
        vi: 'Khi yêu cầu thay đổi (văn bản pháp luật mới, TTHC được sửa đổi), quy trình và biểu mẫu liên quan được sửa đổi kịp thời và công chức được thông báo.',
        en: 'When requirements change (new legislation, an amended procedure), the procedures and forms concerned are updated promptly and staff are told.',
      },
      'minor',
    ),
    yesNo(
      'c8-3-design',
      '8.3',
      {
        vi: 'Điều khoản 8.3 (Thiết kế và phát triển) được loại trừ có lý giải trong sổ tay chất lượng, hoặc nếu áp dụng thì được hoạch định và kiểm soát.',
        en: 'Clause 8.3 (design and development) is excluded with a justification in the quality manual, or, if it applies, is planned and controlled.',
      },
      'minor',
    ),
    yesNo(
      'c8-4-external',
      '8.4',
      {
        vi: 'Các quá trình do bên ngoài cung cấp (dịch vụ bưu chính công ích, đơn vị cung cấp phần mềm, cơ quan phối hợp liên thông) được xác định và kiểm soát về thời hạn và chất lượng.',
        en: 'Externally provided processes (public postal service, software providers, partner agencies in joint procedures) are identified and controlled for time and quality.',
      },
      'minor',
    ),
    yesNo(
      'c8-5-control',
      '8.5.1',
      {
        vi: 'Tiếp nhận, giải quyết và trả kết quả được thực hiện trong điều kiện kiểm soát: có giấy tiếp nhận hồ sơ và hẹn trả kết quả, phiếu kiểm soát quá trình giải quyết hồ sơ.',
        en: 'Receiving, handling and returning dossiers is controlled: a receipt with the return date and a control sheet follow each dossier.',
      },
      'major',
    ),
    yesNo(
      'c8-5-traceability',
      '8.5.2',
      {
        vi: 'Mỗi hồ sơ có mã số và được theo dõi trạng thái trên phần mềm hoặc sổ theo dõi, truy xuất được ai đã xử lý ở bước nào.',
        en: 'Each dossier has a number and its status is tracked in the software or the logbook, showing who handled which step.',
      },
      'minor',
    ),
    yesNo(
      'c8-5-property',
      '8.5.3',
      {
        vi: 'Giấy tờ bản gốc của người dân được bảo quản và trả lại đầy đủ, có biên nhận; thông tin cá nhân được bảo mật.',
        en: "Citizens' original papers are kept safe and returned in full against a receipt; personal data is protected.",
      },
      'major',
    ),
    yesNo(
      'c8-5-preservation',
      '8.5.4',
      {
        vi: 'Hồ sơ được bảo quản, không hư hỏng, thất lạc trong quá trình luân chuyển giữa các bộ phận và cơ quan.',
        en: 'Dossiers are preserved: not damaged or lost while passed between departments and agencies.',
      },
      'minor',
    ),
    yesNo(
      'c8-5-after',
      '8.5.5',
      {
        vi: 'Sau khi trả kết quả, yêu cầu đính chính sai sót và phản ánh của người dân được tiếp nhận và xử lý.',
        en: "After results are returned, requests to correct errors and citizens' feedback are received and handled.",
      },
      'observation',
    ),
    yesNo(
      'c8-5-changes',
      '8.5.6',
      {
        vi: 'Các thay đổi trong quá trình giải quyết (người xử lý, thời hạn) được xem xét, phê duyệt và ghi nhận.',
        en: 'Changes during handling (who handles it, deadlines) are reviewed, approved and recorded.',
      },
      'observation',
    ),
    yesNo(
      'c8-6-release',
      '8.6',
      {
        vi: 'Kết quả giải quyết TTHC được kiểm tra và người có thẩm quyền ký duyệt trước khi trả cho người dân.',
        en: 'Results are checked and signed off by the competent person before they are returned to the citizen.',
      },
      'major',
    ),
    yesNo(
      'c8-7-nonconforming',
      '8.7',
      {
        vi: 'Đầu ra không phù hợp (kết quả sai sót, hồ sơ quá hạn) được nhận biết, kiểm soát và ghi nhận; hồ sơ quá hạn có văn bản xin lỗi và hẹn lại ngày trả kết quả.',
        en: 'Nonconforming outputs (wrong results, overdue dossiers) are identified, controlled and recorded; overdue dossiers get a letter of apology with a new return date.',
      },
      'major',
    ),
  ],
};
