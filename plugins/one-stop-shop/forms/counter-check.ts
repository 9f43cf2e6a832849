import { yesNoItem, type FormDefinition } from '../../../src/plugins/contract.ts';

/**
 * The check of a one-stop counter (Bộ phận Một cửa) under NĐ 118/2025/NĐ-CP (in force from
 * 1 July 2025) and the forms of TT 03/2025/TT-VPCP, Phụ lục I: Mẫu số 01 receipt and appointment
 * slip, 02 request to complete a dossier, 03 refusal, 04 apology and extension letter, 06 control
 * sheet, 07 tracking book.
 */
const nd118 = 'NĐ 118/2025/NĐ-CP';
const tt03 = (form: string) => `TT 03/2025/TT-VPCP, Mẫu số ${form}`;
const met = yesNoItem;

const sampleHelp = {
  vi: 'Chọn ngẫu nhiên ít nhất 5 hồ sơ đã tiếp nhận trong kỳ để kiểm tra.',
  en: 'Pick at least 5 dossiers received during the period, at random.',
};

export const counterCheckForm: FormDefinition = {
  id: 'one-stop-counter',
  version: 1,
  title: { vi: 'Kiểm tra hoạt động của Bộ phận Một cửa', en: 'Check of the one-stop counter' },
  description: {
    vi: 'Kiểm tra việc tiếp nhận, giải quyết và trả kết quả TTHC theo cơ chế một cửa, một cửa liên thông.',
    en: 'Checks how administrative procedures are received, handled and returned under the one-stop mechanism.',
  },
  kind: 'iso-check',
  appliesTo: 'unit',
  sections: [
    {
      id: 'publicity',
      title: { vi: 'Công khai thủ tục hành chính', en: 'Publication of procedures' },
      items: [
        met(
          'posted',
          nd118,
          {
            vi: 'Danh mục và nội dung TTHC được niêm yết công khai, đầy đủ tại Bộ phận Một cửa (bảng niêm yết hoặc màn hình điện tử, mã QR)',
            en: 'The list and content of the procedures are posted in full at the counter (board, screen or QR codes)',
          },
          'major',
        ),
        met(
          'current',
          nd118,
          {
            vi: 'TTHC niêm yết đang còn hiệu lực và khớp với quyết định công bố mới nhất của Chủ tịch UBND tỉnh',
            en: "The procedures posted are in force and match the province's latest publication decision",
          },
          'major',
        ),
        {
          id: 'outdated-count',
          ref: nd118,
          text: {
            vi: 'Số TTHC niêm yết đã hết hiệu lực hoặc sai khác so với quyết định công bố',
            en: 'Number of posted procedures that are out of force or differ from the publication decision',
          },
          answer: { type: 'number', min: 0, unit: { vi: 'TTHC', en: 'procedures' } },
          mandatory: true,
          weight: 0,
          findings: [{ when: { above: 0 }, severity: 'minor' }],
        },
        met(
          'hotline',
          nd118,
          {
            vi: 'Niêm yết số điện thoại đường dây nóng, địa chỉ tiếp nhận phản ánh, kiến nghị của người dân',
            en: 'The hotline number and the address for complaints and suggestions are posted',
          },
          'minor',
        ),
        met(
          'online-help',
          nd118,
          { vi: 'Người dân được hướng dẫn, hỗ trợ nộp hồ sơ trực tuyến và thanh toán trực tuyến', en: 'Citizens are helped to file online and to pay online' },
          'observation',
        ),
      ],
    },
    {
      id: 'receiving',
      title: { vi: 'Tiếp nhận và trả kết quả', en: 'Receiving dossiers and returning results' },
      items: [
        met(
          'receipt',
          tt03('01'),
          { vi: 'Hồ sơ đủ điều kiện được cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả', en: 'Each accepted dossier gets a receipt with the return date' },
          'major',
          sampleHelp,
        ),
        met(
          'completion-request',
          tt03('02'),
          {
            vi: 'Hồ sơ chưa đầy đủ được hướng dẫn bổ sung một lần bằng Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
            en: 'Incomplete dossiers get one written request listing everything missing',
          },
          'minor',
        ),
        met(
          'refusal',
          tt03('03'),
          {
            vi: 'Hồ sơ không đủ điều kiện có Phiếu từ chối tiếp nhận giải quyết hồ sơ nêu rõ lý do',
            en: 'Refused dossiers get a refusal slip stating the reason',
          },
          'minor',
          { vi: 'Chọn "Không áp dụng" khi không có hồ sơ bị từ chối.', en: 'Choose "Not applicable" when no dossier was refused.' },
        ),
        met(
          'control-sheet',
          tt03('06'),
          {
            vi: 'Phiếu kiểm soát quá trình giải quyết hồ sơ đi kèm hồ sơ và ghi đủ các bước, thời gian, người xử lý',
            en: 'A control sheet follows each dossier, recording every step, time and handler',
          },
          'minor',
        ),
        met(
          'fees',
          nd118,
          {
            vi: 'Thu phí, lệ phí đúng mức đã công khai và cấp biên lai, chứng từ thu cho người nộp',
            en: 'Fees are charged as published and a receipt is issued for each payment',
          },
          'major',
        ),
        met(
          'no-extra',
          nd118,
          {
            vi: 'Không yêu cầu người dân nộp thêm giấy tờ ngoài quy định, không thu thêm khoản ngoài quy định',
            en: 'No papers or payments beyond those required are asked of citizens',
          },
          'major',
        ),
      ],
    },
    {
      id: 'late',
      title: { vi: 'Hồ sơ quá hạn', en: 'Overdue dossiers' },
      items: [
        {
          id: 'late-count',
          ref: nd118,
          text: { vi: 'Số hồ sơ quá hạn giải quyết trong kỳ kiểm tra', en: 'Number of dossiers handled late during the period' },
          answer: { type: 'number', min: 0, unit: { vi: 'hồ sơ', en: 'dossiers' } },
          mandatory: true,
          weight: 0,
          findings: [{ when: { above: 0 }, severity: 'observation' }],
        },
        met(
          'apology',
          tt03('04'),
          {
            vi: 'Mỗi hồ sơ quá hạn có Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết gửi người dân trước ngày hẹn trả kết quả',
            en: 'Each overdue dossier has a letter of apology and extension sent to the citizen before the promised date',
          },
          'major',
          { vi: 'Chọn "Không áp dụng" khi không có hồ sơ quá hạn.', en: 'Choose "Not applicable" when no dossier is overdue.' },
        ),
        met(
          'accountability',
          nd118,
          {
            vi: 'Cơ quan, cá nhân làm hồ sơ quá hạn được xác định và có biện pháp chấn chỉnh',
            en: 'The agency or person who caused the delay is identified and corrective measures are taken',
          },
          'minor',
          { vi: 'Chọn "Không áp dụng" khi không có hồ sơ quá hạn.', en: 'Choose "Not applicable" when no dossier is overdue.' },
        ),
      ],
    },
    {
      id: 'tracking',
      title: { vi: 'Theo dõi hồ sơ', en: 'Tracking dossiers' },
      items: [
        met(
          'tracking-book',
          tt03('07'),
          {
            vi: 'Sổ theo dõi hồ sơ hoặc Hệ thống thông tin giải quyết TTHC cập nhật đầy đủ, kịp thời trạng thái từng hồ sơ',
            en: 'The tracking book or the provincial dossier system shows the status of every dossier, up to date',
          },
          'major',
        ),
        {
          id: 'on-time-rate',
          ref: nd118,
          text: { vi: 'Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn trong kỳ', en: 'Share of dossiers handled early or on time during the period' },
          answer: { type: 'number', min: 0, max: 100, unit: { vi: '%', en: '%' } },
          mandatory: true,
          weight: 2,
          findings: [
            { when: { below: 90 }, severity: 'minor' },
            { when: { below: 100 }, severity: 'observation' },
          ],
        },
        met(
          'digitised',
          nd118,
          {
            vi: 'Hồ sơ, kết quả giải quyết TTHC được số hóa và lưu trữ điện tử theo quy định',
            en: 'Dossiers and results are digitised and archived electronically as required',
          },
          'observation',
        ),
      ],
    },
    {
      id: 'organisation',
      title: { vi: 'Tổ chức, nhân sự và điều kiện phục vụ', en: 'Staffing and facilities' },
      items: [
        met(
          'leader-on-duty',
          nd118,
          {
            vi: 'Có văn bản phân công lãnh đạo trực, chỉ đạo và giải quyết vướng mắc tại Bộ phận Một cửa',
            en: 'A leader is assigned in writing to be on duty and resolve problems at the counter',
          },
          'minor',
        ),
        met(
          'staff-badges',
          `${nd118}; QĐ 129/2007/QĐ-TTg`,
          {
            vi: 'Công chức tại Bộ phận Một cửa đeo thẻ và có biển chức danh tại quầy',
            en: "Counter staff wear badges and each desk shows the official's name and title",
          },
          'minor',
        ),
        met(
          'facilities',
          nd118,
          {
            vi: 'Có ghế chờ, bàn viết, nước uống, máy tra cứu và thiết bị lấy số thứ tự cho người dân',
            en: 'Seats, a writing desk, drinking water, a lookup terminal and a queue ticket machine are available',
          },
          'observation',
        ),
        met(
          'satisfaction',
          nd118,
          {
            vi: 'Có hình thức để người dân đánh giá mức độ hài lòng (thiết bị đánh giá, phiếu khảo sát, đánh giá trực tuyến)',
            en: 'Citizens can rate their satisfaction (rating device, survey form, online rating)',
          },
          'observation',
        ),
        met(
          'complaints',
          nd118,
          {
            vi: 'Phản ánh, kiến nghị của người dân được tiếp nhận, xử lý và trả lời đúng thời hạn',
            en: "Citizens' complaints and suggestions are received, handled and answered on time",
          },
          'minor',
        ),
      ],
    },
  ],
};
