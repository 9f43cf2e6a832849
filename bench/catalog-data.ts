/**
 * What a commune-level unit's catalog looks like, for the benchmark data set: the province's list
 * of commune-level TTHC (120 names by field, in the style of the national database; the codes of
 * the first few are the real ones used across the app's examples, the rest are made up in the
 * same format), the steps a TTHC procedure is written with, forms and records.
 */

export interface TthcSpec {
  code: string;
  name: string;
  field: string;
  /** Legal processing time in working days; null where the law sets none. */
  legalDays: number | null;
}

const byField: Array<[field: string, days: Array<number | null>, names: string[]]> = [
  [
    'Hộ tịch',
    [1, 3, 5, 1, 3],
    [
      'Đăng ký khai sinh',
      'Đăng ký khai sinh lưu động',
      'Đăng ký lại khai sinh',
      'Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân',
      'Đăng ký khai sinh có yếu tố nước ngoài',
      'Đăng ký kết hôn',
      'Đăng ký kết hôn lưu động',
      'Đăng ký lại kết hôn',
      'Đăng ký kết hôn có yếu tố nước ngoài',
      'Đăng ký khai tử',
      'Đăng ký khai tử lưu động',
      'Đăng ký lại khai tử',
      'Đăng ký khai tử có yếu tố nước ngoài',
      'Đăng ký nhận cha, mẹ, con',
      'Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài',
      'Đăng ký khai sinh kết hợp nhận cha, mẹ, con',
      'Đăng ký giám hộ',
      'Đăng ký chấm dứt giám hộ',
      'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch',
      'Cấp bản sao trích lục hộ tịch',
      'Cấp Giấy xác nhận tình trạng hôn nhân',
      'Đăng ký giám sát việc giám hộ',
      'Đăng ký chấm dứt giám sát việc giám hộ',
      'Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài',
      'Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
      'Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất',
    ],
  ],
  [
    'Chứng thực',
    [1, 2, 1],
    [
      'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp',
      'Chứng thực chữ ký trong các giấy tờ, văn bản',
      'Chứng thực chữ ký người dịch',
      'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản',
      'Chứng thực hợp đồng, giao dịch liên quan đến thực hiện các quyền của người sử dụng đất',
      'Chứng thực hợp đồng, giao dịch về nhà ở',
      'Chứng thực di chúc',
      'Chứng thực văn bản từ chối nhận di sản',
      'Chứng thực văn bản thỏa thuận phân chia di sản',
      'Chứng thực văn bản khai nhận di sản',
      'Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch',
      'Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực',
    ],
  ],
  [
    'Bảo trợ xã hội',
    [7, 15, 20, 10],
    [
      'Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí mai táng',
      'Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng',
      'Chi trả trợ cấp xã hội hằng tháng khi đối tượng thay đổi nơi cư trú',
      'Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật',
      'Đổi, cấp lại Giấy xác nhận khuyết tật',
      'Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội',
      'Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm',
      'Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm',
      'Công nhận hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình',
      'Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội',
    ],
  ],
  [
    'Người có công',
    [5, 12, null],
    [
      'Giải quyết chế độ mai táng phí đối với cựu chiến binh',
      'Xác nhận vào đơn đề nghị di chuyển hài cốt liệt sĩ',
      'Cấp giấy xác nhận thân nhân của người có công',
      'Giải quyết chế độ trợ cấp thờ cúng liệt sĩ',
    ],
  ],
  [
    'Trẻ em',
    [1, 5, 15],
    [
      'Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc người gây tổn hại cho trẻ em',
      'Chấm dứt việc chăm sóc thay thế cho trẻ em',
      'Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình không phải là người thân thích của trẻ em',
    ],
  ],
  ['Nuôi con nuôi', [20, 5], ['Đăng ký việc nuôi con nuôi trong nước', 'Đăng ký lại việc nuôi con nuôi trong nước']],
  [
    'Đất đai',
    [30, 10, 5, 10, null],
    [
      'Hòa giải tranh chấp đất đai',
      'Xác nhận hộ gia đình, cá nhân trực tiếp sản xuất nông nghiệp',
      'Đăng ký biến động quyền sử dụng đất',
      'Xác nhận nguồn gốc đất',
      'Thu hồi đất ở trong khu vực bị ô nhiễm môi trường có nguy cơ đe dọa tính mạng con người',
    ],
  ],
  [
    'Xây dựng',
    [15, 15, 5, 7, 15],
    [
      'Cấp giấy phép xây dựng nhà ở riêng lẻ',
      'Cấp giấy phép sửa chữa, cải tạo công trình',
      'Gia hạn giấy phép xây dựng',
      'Cấp lại giấy phép xây dựng',
      'Điều chỉnh giấy phép xây dựng',
    ],
  ],
  [
    'Nông nghiệp',
    [10, 15, 3, 2],
    [
      'Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai',
      'Phê duyệt kế hoạch khuyến nông địa phương',
      'Xác nhận bảng kê lâm sản',
      'Cấp giấy xác nhận nguồn gốc thủy sản khai thác',
    ],
  ],
  [
    'Văn hóa cơ sở',
    [5, 5, 7, 5, 10],
    [
      'Xét tặng danh hiệu Gia đình văn hóa hằng năm',
      'Xét tặng Giấy khen Gia đình văn hóa',
      'Công nhận câu lạc bộ thể thao cơ sở',
      'Thông báo tổ chức lễ hội cấp xã',
      'Đăng ký hoạt động thư viện tư nhân có vốn sách ban đầu từ 500 bản đến dưới 1.000 bản',
    ],
  ],
  [
    'Giáo dục và Đào tạo',
    [20, 20, 20, 10, 20],
    [
      'Cho phép trường mẫu giáo, trường mầm non, nhà trẻ hoạt động giáo dục',
      'Sáp nhập, chia, tách nhóm trẻ, lớp mẫu giáo độc lập',
      'Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục trở lại',
      'Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú',
      'Thành lập nhóm trẻ, lớp mẫu giáo độc lập tư thục',
    ],
  ],
  [
    'Tín ngưỡng, tôn giáo',
    [15, 15, 20, 15, 20],
    [
      'Đăng ký hoạt động tín ngưỡng',
      'Đăng ký bổ sung hoạt động tín ngưỡng',
      'Đăng ký sinh hoạt tôn giáo tập trung',
      'Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã',
      'Đề nghị thay đổi địa điểm sinh hoạt tôn giáo tập trung',
    ],
  ],
  [
    'Thi đua, khen thưởng',
    [20, 20, 20, 20, 10],
    [
      'Tặng danh hiệu Lao động tiên tiến',
      'Tặng Giấy khen của Chủ tịch UBND cấp xã về thực hiện nhiệm vụ chính trị',
      'Tặng Giấy khen của Chủ tịch UBND cấp xã cho gia đình',
      'Tặng Giấy khen của Chủ tịch UBND cấp xã theo đợt, chuyên đề',
      'Tặng Giấy khen của Chủ tịch UBND cấp xã về thành tích đột xuất',
    ],
  ],
  [
    'Phổ biến, giáo dục pháp luật',
    [null, 5, 5, 5, 5, 5, 5],
    [
      'Thành lập tổ hòa giải',
      'Công nhận tổ trưởng tổ hòa giải',
      'Công nhận hòa giải viên',
      'Thôi làm hòa giải viên',
      'Thanh toán thù lao cho hòa giải viên',
      'Công nhận tuyên truyền viên pháp luật',
      'Cho thôi làm tuyên truyền viên pháp luật',
    ],
  ],
  ['Bồi thường nhà nước', [30, 10], ['Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại', 'Phục hồi danh dự']],
  [
    'Thành lập và hoạt động của hộ kinh doanh',
    [3, 3, 3, 3, 3, 5, 5],
    [
      'Đăng ký thành lập hộ kinh doanh',
      'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh',
      'Tạm ngừng hoạt động hộ kinh doanh',
      'Chấm dứt hoạt động hộ kinh doanh',
      'Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh',
      'Thành lập tổ hợp tác',
      'Thông báo thay đổi tổ hợp tác',
    ],
  ],
  ['Môi trường', [10, 15], ['Tham vấn đánh giá tác động môi trường', 'Đăng ký môi trường đối với dự án, cơ sở']],
  [
    'Nội vụ',
    [30, 15, 15, 5],
    [
      'Công nhận ban vận động thành lập hội',
      'Giải thể thôn, tổ dân phố',
      'Thành lập thôn mới, tổ dân phố mới',
      'Xác nhận phiếu đăng ký dự tuyển thanh niên xung phong',
    ],
  ],
  ['Bảo hiểm y tế', [5, 5], ['Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi', 'Xác nhận đối tượng được hỗ trợ đóng bảo hiểm y tế']],
  [
    'Tiếp công dân, khiếu nại, tố cáo',
    [30, 30, null, 10],
    ['Giải quyết khiếu nại lần đầu tại cấp xã', 'Giải quyết tố cáo tại cấp xã', 'Tiếp công dân tại cấp xã', 'Xử lý đơn tại cấp xã'],
  ],
  ['Công tác dân tộc', [15], ['Công nhận người có uy tín trong đồng bào dân tộc thiểu số']],
];

/** National codes the app's examples use; every other TTHC gets a made-up code in the same format. */
const knownCodes: Record<string, string> = {
  'Đăng ký khai sinh': '1.001193',
  'Đăng ký kết hôn': '1.000894',
  'Đăng ký khai tử': '1.000656',
  'Cấp bản sao trích lục hộ tịch': '2.000635',
  'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp': '2.000815',
  'Chứng thực chữ ký trong các giấy tờ, văn bản': '2.000908',
  'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản': '2.000884',
};

/** The 120 commune-level TTHC of every province's list, in a fixed order. */
export const communeTthc: TthcSpec[] = byField
  .flatMap(([field, days, names]) => names.map((name, i) => ({ field, name, legalDays: days[i % days.length] ?? null, code: '' })))
  .map((t, i) => ({ ...t, code: knownCodes[t.name] ?? `${i % 3 === 0 ? 2 : 1}.${String(1200 + i * 37).padStart(6, '0')}` }));

if (communeTthc.length !== 120) throw new Error(`the TTHC list has ${communeTthc.length} entries, expected 120`);
if (new Set(communeTthc.map((t) => t.code)).size !== communeTthc.length) throw new Error('TTHC codes are not unique');

/** The five system procedures of every unit (ISO 9001:2015 clauses 7.5, 9.2, 9.3, 10.2, 6.1). */
export const systemProcedures: Array<{ kind: string; suffix: string; title: string }> = [
  { kind: 'document_control', suffix: 'KSTL', title: 'Quy trình kiểm soát tài liệu và hồ sơ' },
  { kind: 'internal_audit', suffix: 'DGNB', title: 'Quy trình đánh giá nội bộ' },
  { kind: 'management_review', suffix: 'XXLD', title: 'Quy trình xem xét của lãnh đạo' },
  { kind: 'nonconformity', suffix: 'KPPN', title: 'Quy trình kiểm soát sự không phù hợp và hành động khắc phục' },
  { kind: 'risks', suffix: 'RRCH', title: 'Quy trình quản lý rủi ro và cơ hội' },
];

/** Other procedures a unit keeps besides TTHC and system ones. */
export const otherProcedures = [
  'Quy trình tiếp nhận và xử lý phản ánh, kiến nghị của người dân',
  'Quy trình quản lý văn bản đến, văn bản đi',
  'Quy trình đo lường sự hài lòng của người dân',
];

/** Step texts: the first and last are always there; the middle ones are picked per procedure. */
export const firstStep = {
  action: 'Tiếp nhận, kiểm tra hồ sơ; viết giấy tiếp nhận và hẹn trả kết quả',
  responsible: 'Công chức Bộ phận một cửa',
  output: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
};
export const lastStep = {
  action: 'Trả kết quả cho tổ chức, công dân; ghi Sổ theo dõi hồ sơ',
  responsible: 'Công chức Bộ phận một cửa',
  output: 'Sổ theo dõi hồ sơ (mẫu 07)',
};
export const middleSteps = [
  { action: 'Chuyển hồ sơ đến công chức chuyên môn', responsible: 'Công chức Bộ phận một cửa', output: 'Phiếu kiểm soát quá trình giải quyết hồ sơ' },
  { action: 'Thẩm định hồ sơ, xác minh thực tế (nếu cần)', responsible: 'Công chức chuyên môn', output: 'Báo cáo thẩm định' },
  { action: 'Dự thảo kết quả giải quyết, trình lãnh đạo', responsible: 'Công chức chuyên môn', output: 'Tờ trình, dự thảo kết quả' },
  { action: 'Xem xét, ký duyệt kết quả', responsible: 'Chủ tịch hoặc Phó Chủ tịch UBND xã', output: 'Kết quả đã ký' },
  { action: 'Vào sổ, đóng dấu, phát hành kết quả', responsible: 'Văn thư UBND xã', output: 'Kết quả đã đóng dấu' },
  { action: 'Chuyển kết quả đến Bộ phận một cửa', responsible: 'Công chức chuyên môn', output: 'Phiếu kiểm soát quá trình giải quyết hồ sơ' },
];

export const formNames = ['Tờ khai', 'Đơn đề nghị', 'Phiếu kiểm soát quá trình giải quyết hồ sơ', 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả'];
export const recordNames: Array<[name: string, keeper: string, retention: string]> = [
  ['Hồ sơ giải quyết thủ tục hành chính', 'Công chức chuyên môn', '10 năm'],
  ['Sổ theo dõi hồ sơ', 'Bộ phận một cửa', '5 năm'],
  ['Sổ đăng ký', 'Công chức Tư pháp - Hộ tịch', 'Vĩnh viễn'],
];
