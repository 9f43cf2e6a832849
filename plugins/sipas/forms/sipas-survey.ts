import type { AnswerSpec, FormDefinition, FormItem, LocalizedText } from '../../../src/plugins/contract.ts';

/**
 * The satisfaction survey of a unit's service, modelled on the Ministry of Home Affairs' method of
 * measuring satisfaction with public administrative services for 2023-2026 (SIPAS, QĐ 1001/QĐ-BNV
 * of 11/12/2023): five aspects (access to information and channels, the procedure, the officials,
 * the result, the handling of feedback and complaints), each judged on a five-point scale from
 * "Rất không hài lòng" to "Rất hài lòng", with "Không ý kiến" for a citizen who has no opinion.
 * The wording of the questions is this plugin's own; the scale and the aspects are the method's.
 */
const satisfaction: AnswerSpec = {
  type: 'scale',
  min: 1,
  max: 5,
  labels: [
    { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
    { vi: 'Không hài lòng', en: 'Dissatisfied' },
    { vi: 'Bình thường', en: 'Neutral' },
    { vi: 'Hài lòng', en: 'Satisfied' },
    { vi: 'Rất hài lòng', en: 'Very satisfied' },
  ],
  noOpinion: { vi: 'Không ý kiến', en: 'No opinion' },
};

const ref = 'QĐ 1001/QĐ-BNV';

function rated(id: string, vi: string, en: string): FormItem {
  return { id, text: { vi, en }, ref, answer: satisfaction, mandatory: true, weight: 1 };
}

function section(id: string, title: LocalizedText, items: FormItem[]): FormDefinition['sections'][number] {
  return { id, title, items };
}

export const sipasSurveyForm: FormDefinition = {
  id: 'sipas-survey',
  version: 1,
  kind: 'satisfaction-survey',
  appliesTo: 'unit',
  title: { vi: 'Phiếu khảo sát sự hài lòng về sự phục vụ hành chính', en: 'Survey of satisfaction with the administrative service' },
  description: {
    vi: 'Phiếu không ghi tên. Xin cho biết mức độ hài lòng của Ông/Bà với lần giải quyết thủ tục hành chính gần nhất tại đơn vị.',
    en: 'The survey is anonymous. Please tell us how satisfied you were with your last administrative procedure at this office.',
  },
  sections: [
    section('access', { vi: 'Tiếp cận thông tin và kênh thực hiện', en: 'Access to information and channels' }, [
      {
        id: 'channel',
        text: { vi: 'Ông/Bà nộp hồ sơ qua kênh nào?', en: 'How did you submit your dossier?' },
        ref,
        answer: {
          type: 'choice',
          options: [
            { value: 'counter', label: { vi: 'Trực tiếp tại Bộ phận Một cửa', en: 'In person at the one-stop counter' } },
            { value: 'online', label: { vi: 'Trực tuyến (Cổng dịch vụ công)', en: 'Online (public service portal)' } },
            { value: 'post', label: { vi: 'Qua dịch vụ bưu chính', en: 'By post' } },
          ],
        },
        mandatory: false,
        weight: 0,
      },
      rated('info-easy', 'Thông tin về thủ tục dễ tìm, dễ hiểu', 'Information on the procedure was easy to find and understand'),
      rated('channel-convenient', 'Kênh nộp hồ sơ thuận tiện cho Ông/Bà', 'The way of submitting suited you'),
    ]),
    section('procedure', { vi: 'Thủ tục hành chính', en: 'The procedure' }, [
      rated('papers-as-published', 'Giấy tờ phải nộp đúng như đã công khai', 'The papers asked for were exactly those published'),
      rated('fee-as-published', 'Phí, lệ phí đúng như đã công khai', 'The fees were exactly those published'),
      rated('time-as-published', 'Thời gian giải quyết đúng như đã công khai', 'The processing time was as published'),
    ]),
    section('officials', { vi: 'Công chức giải quyết', en: 'The officials' }, [
      rated('courteous', 'Công chức lịch sự, tôn trọng Ông/Bà', 'The officials were courteous and respectful'),
      rated('guidance', 'Công chức hướng dẫn đầy đủ, dễ hiểu, một lần', 'The officials explained fully and clearly, once'),
    ]),
    section('result', { vi: 'Kết quả giải quyết', en: 'The result' }, [
      rated('result-correct', 'Kết quả đúng quy định, thông tin chính xác', 'The result was lawful and its details correct'),
      rated('result-on-time', 'Nhận kết quả đúng hẹn', 'The result was ready on the promised day'),
    ]),
    section('feedback', { vi: 'Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị', en: 'Handling of feedback and complaints' }, [
      rated('feedback-easy', 'Dễ dàng gửi góp ý, phản ánh, kiến nghị', 'Giving feedback or complaining was easy'),
      rated('feedback-answered', 'Góp ý, phản ánh được tiếp nhận và trả lời kịp thời', 'Feedback was received and answered in good time'),
    ]),
  ],
};
