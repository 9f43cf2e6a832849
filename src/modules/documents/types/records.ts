import type { DocumentBlock, DocumentDefinition, DocumentGatherContext, FormDefinition } from '../../../plugins/contract.ts';
import { DocumentRefusal } from '../../../plugins/contract.ts';
import { bodyName, recipientsWithArchive, shortDate } from '../documents.text.ts';
import { conclusionOf, correctionsOf, inspectionOfUnit, presencesOf, reviewOfUnit, violationsOf } from '../records.repository.ts';

/**
 * Records and notices printed from other areas' data: the management review minutes (actions
 * area), the inspection record and the conclusion notice (inspections area). Their tables may not
 * exist in an installation yet: each reads them only when they do. Personal violations are
 * printed as counts by kind, never with names: the names are personal data (the inspections' privacy
 * rule) and a document's readers are wider than those allowed to see them.
 */

const p = (text: string): DocumentBlock => ({ kind: 'paragraph', text });
const timeOf = (ts: string | null | undefined) => {
  if (!ts) return '';
  const local = new Date(Date.parse(ts) + 7 * 3600_000).toISOString();
  return `${local.slice(11, 16)} ngày ${shortDate(local.slice(0, 10))}`;
};
const refusal = (vi: string, en: string) => new DocumentRefusal({ vi, en });

export interface ReviewFacts {
  date: string;
  chairedBy: string;
  attendees: string;
  decisions: string;
  audits: Array<{ date: string; title: string; score: number | null; findings: number }>;
  findings: Array<{ severity: string; open: number; closed: number }>;
  actions: { total: number; overdue: number } | null;
  objectives: Array<{ objective: string; target: string; actual: string; achieved: boolean | null }>;
  scope: Array<{ code: string; title: string; change: string; day: string }>;
  onTime: { received: number; early: number; onTime: number; late: number; apologies: number; rate: number | null } | null;
}

const severityVi: Record<string, string> = { major: 'Nặng', minor: 'Nhẹ', observation: 'Khuyến nghị' };

async function reviewFacts(ctx: DocumentGatherContext): Promise<ReviewFacts> {
  const none = refusal(
    'Chỉ in biên bản từ một cuộc họp xem xét của lãnh đạo đã chốt của chính đơn vị này.',
    'Minutes are printed only from a final management review of this unit.',
  );
  if (ctx.sourceId === null) throw none;
  const r = await reviewOfUnit(ctx.db, ctx.sourceId, ctx.unit.id);
  if (!r || r.status !== 'final') throw none;
  // The inputs as the review compiled them (their shape belongs to the reviews module: read defensively).
  const inputs = JSON.parse(r.inputsJson) as {
    checks?: Array<{ date?: string; title?: { vi?: string }; score?: number | null; findings?: number }>;
    findings?: Record<string, { open?: number; closed?: number }>;
    actions?: { total?: number; overdue?: number };
    objectives?: { items?: Array<{ objective?: string; target?: string; actual?: string | null; achieved?: boolean | null }> };
    scope?: { changes?: Array<{ code?: string; title?: string; change?: string; day?: string }> };
    onTime?: { received?: number; early?: number; onTime?: number; late?: number; apologies?: number; rate?: number | null } | null;
  };
  return {
    date: r.date,
    chairedBy: r.chairedBy,
    attendees: r.attendees,
    decisions: r.decisions,
    audits: (inputs.checks ?? []).map((c) => ({
      date: String(c.date ?? ''),
      title: String(c.title?.vi ?? ''),
      score: c.score ?? null,
      findings: Number(c.findings ?? 0),
    })),
    findings: Object.entries(inputs.findings ?? {}).map(([severity, v]) => ({ severity, open: Number(v.open ?? 0), closed: Number(v.closed ?? 0) })),
    actions: inputs.actions ? { total: Number(inputs.actions.total ?? 0), overdue: Number(inputs.actions.overdue ?? 0) } : null,
    objectives: (inputs.objectives?.items ?? []).map((o) => ({
      objective: String(o.objective ?? ''),
      target: String(o.target ?? ''),
      actual: String(o.actual ?? ''),
      achieved: o.achieved ?? null,
    })),
    scope: (inputs.scope?.changes ?? []).map((c) => ({
      code: String(c.code ?? ''),
      title: String(c.title ?? ''),
      change: String(c.change ?? ''),
      day: String(c.day ?? ''),
    })),
    onTime: inputs.onTime
      ? {
          received: Number(inputs.onTime.received ?? 0),
          early: Number(inputs.onTime.early ?? 0),
          onTime: Number(inputs.onTime.onTime ?? 0),
          late: Number(inputs.onTime.late ?? 0),
          apologies: Number(inputs.onTime.apologies ?? 0),
          rate: inputs.onTime.rate ?? null,
        }
      : null,
  };
}

export const reviewMinutes: DocumentDefinition<ReviewFacts> = {
  id: 'review-minutes',
  title: { vi: 'Biên bản họp xem xét của lãnh đạo', en: 'Management review minutes' },
  form: 'record',
  appliesTo: 'review',
  gather: reviewFacts,
  defaults({ facts }) {
    return {
      subject: `Họp xem xét của lãnh đạo về Hệ thống quản lý chất lượng ngày ${shortDate(facts.date)}`,
      authority: '',
      signerOnBehalf: '',
      signerTitle: 'Chủ trì cuộc họp',
      signerName: facts.chairedBy,
      recipients: recipientsWithArchive(['Các thành phần dự họp;']),
    };
  },
  build({ unit, facts, fields }) {
    const f = facts;
    const blocks: DocumentBlock[] = [
      p(
        `Hôm nay, ngày ${shortDate(f.date)}, tại ${bodyName(unit.name, unit.kind)}, tiến hành họp xem xét của lãnh đạo về Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015.`,
      ),
      { kind: 'heading', text: 'I. THÀNH PHẦN' },
      p(`Chủ trì: ${f.chairedBy || '…'}.`),
      p(`Thành phần tham dự: ${f.attendees || '…'}.`),
      { kind: 'heading', text: 'II. CÁC ĐẦU VÀO CỦA CUỘC HỌP' },
      { kind: 'heading', text: '1. Kết quả kiểm tra, đánh giá nội bộ' },
      f.audits.length
        ? {
            kind: 'table',
            columns: [
              { header: 'TT', width: 7, align: 'center' },
              { header: 'Ngày', width: 16, align: 'center' },
              { header: 'Nội dung', width: 47 },
              { header: 'Điểm', width: 13, align: 'center' },
              { header: 'Số phát hiện', width: 17, align: 'center' },
            ],
            rows: f.audits.map((a, i) => [
              String(i + 1),
              shortDate(a.date),
              a.title,
              a.score === null ? '—' : `${String(a.score).replace('.', ',')}%`,
              String(a.findings),
            ]),
          }
        : p('Không có cuộc kiểm tra, đánh giá nào trong kỳ.'),
      p(
        `Điểm không phù hợp: ${f.findings.map((x) => `${severityVi[x.severity] ?? x.severity}: ${x.open} chưa khắc phục, ${x.closed} đã khắc phục`).join('; ') || 'không có'}.`,
      ),
      ...(f.actions ? [p(`Hành động khắc phục: tổng số ${f.actions.total}; quá hạn ${f.actions.overdue}.`)] : []),
      { kind: 'heading', text: '2. Mục tiêu chất lượng' },
      f.objectives.length
        ? {
            kind: 'table',
            columns: [
              { header: 'TT', width: 7, align: 'center' },
              { header: 'Mục tiêu', width: 45 },
              { header: 'Chỉ tiêu', width: 17 },
              { header: 'Thực hiện', width: 17 },
              { header: 'Đạt', width: 14, align: 'center' },
            ],
            rows: f.objectives.map((o, i) => [String(i + 1), o.objective, o.target, o.actual, o.achieved === null ? '—' : o.achieved ? 'Đạt' : 'Không đạt']),
          }
        : p('Chưa có mục tiêu chất lượng cho năm.'),
      ...(f.onTime
        ? [
            p(
              `Kết quả giải quyết hồ sơ thủ tục hành chính: ${f.onTime.received} hồ sơ phải giải quyết; trước hạn ${f.onTime.early}; đúng hạn ${f.onTime.onTime}; trễ hạn ${f.onTime.late}; tỷ lệ đúng và trước hạn ${f.onTime.rate === null ? '—' : `${String(f.onTime.rate).replace('.', ',')}%`}; văn bản xin lỗi ${f.onTime.apologies}.`,
            ),
          ]
        : []),
      { kind: 'heading', text: '3. Thay đổi phạm vi áp dụng' },
      p(
        f.scope.length
          ? f.scope.map((c) => `${c.change === 'withdrawn' ? 'Bãi bỏ' : 'Ban hành'} ${c.code} ${c.title} (${shortDate(c.day)})`).join('; ') + '.'
          : 'Không có thay đổi.',
      ),
      { kind: 'heading', text: 'III. KẾT LUẬN VÀ QUYẾT ĐỊNH' },
      ...(f.decisions ? f.decisions.split(/\r?\n/).filter(Boolean).map(p) : [p('Không có.')]),
      p('Cuộc họp kết thúc cùng ngày; biên bản đã được thông qua trước các thành phần dự họp./.'),
    ];
    return {
      typeTitle: 'BIÊN BẢN',
      subject: fields.subject,
      authority: fields.authority,
      body: blocks,
      signer: { onBehalf: fields.signerOnBehalf, title: fields.signerTitle, name: fields.signerName },
      recipients: fields.recipients,
    };
  },
};

export interface InspectionFacts {
  date: string;
  kind: string;
  status: string;
  team: string;
  teamLeader: string;
  representative: string;
  arrivedAt: string | null;
  closedAt: string | null;
  formTitle: string;
  attendance: Record<string, number>;
  unitViolations: Array<{ item: string; severity: string }>;
  personal: Array<{ kind: string; count: number }>;
  conclusion: { text: string; at: string } | null;
  corrections: Array<{ text: string; responsible: string; deadline: string; status: string }>;
}

const presenceVi: Record<string, string> = {
  present: 'Có mặt',
  absent_with_reason: 'Vắng có lý do',
  absent_without_reason: 'Vắng không lý do',
  late: 'Đi muộn',
};

function labelOf(form: FormDefinition, kind: string): string {
  for (const s of form.sections) {
    for (const item of s.items) {
      if (item.id === kind) return item.text.vi;
      if (item.answer.type === 'choice') {
        const o = item.answer.options.find((x) => x.value === kind);
        if (o) return o.label.vi;
      }
    }
  }
  return presenceVi[kind] ?? kind;
}

async function inspectionFacts(ctx: DocumentGatherContext, need: 'record' | 'conclusion'): Promise<InspectionFacts> {
  const none =
    need === 'record'
      ? refusal(
          'Chỉ in biên bản từ một cuộc kiểm tra của đơn vị này đã khép biên bản tại chỗ.',
          'A record is printed only from an inspection of this unit whose record has been closed.',
        )
      : refusal(
          'Chỉ in thông báo kết luận từ một cuộc kiểm tra của đơn vị này đã có kết luận.',
          'A conclusion notice is printed only from a concluded inspection of this unit.',
        );
  if (ctx.sourceId === null) throw none;
  const { db } = ctx;
  const i = await inspectionOfUnit(db, ctx.sourceId, ctx.unit.id);
  if (!i || i.status === 'on_site' || (need === 'conclusion' && i.status !== 'concluded')) throw none;
  const form = JSON.parse(i.formJson) as FormDefinition;
  const people = await presencesOf(db, i.id);
  const attendance: Record<string, number> = { total: people.length, present: 0, absent_with_reason: 0, absent_without_reason: 0, late: 0 };
  for (const presence of people) if (presence && presence in attendance) attendance[presence]! += 1;
  const violations = await violationsOf(db, i.id);
  const personal = new Map<string, number>();
  for (const v of violations.filter((x) => x.personal)) {
    const k = labelOf(form, v.kind);
    personal.set(k, (personal.get(k) ?? 0) + 1);
  }
  const c = await conclusionOf(db, i.id);
  return {
    date: i.date,
    kind: i.kind,
    status: i.status,
    team: i.team,
    teamLeader: i.teamLeader,
    representative: i.representative,
    arrivedAt: i.arrivedAt,
    closedAt: i.closedAt,
    formTitle: form.title.vi,
    attendance,
    unitViolations: violations.filter((x) => !x.personal).map((x) => ({ item: labelOf(form, x.kind), severity: x.severity })),
    personal: [...personal].map(([kind, count]) => ({ kind, count })),
    conclusion: c ?? null,
    corrections: await correctionsOf(db, i.id),
  };
}

const findingsBlocks = (f: InspectionFacts): DocumentBlock[] => [
  p(
    `Số cán bộ, công chức theo danh sách: ${f.attendance.total}; có mặt: ${f.attendance.present}; đi muộn: ${f.attendance.late}; vắng có lý do: ${f.attendance.absent_with_reason}; vắng không lý do: ${f.attendance.absent_without_reason}.`,
  ),
  f.unitViolations.length
    ? {
        kind: 'table',
        columns: [
          { header: 'TT', width: 8, align: 'center' },
          { header: 'Nội dung chưa đạt của đơn vị', width: 70 },
          { header: 'Mức độ', width: 22, align: 'center' },
        ],
        rows: f.unitViolations.map((v, n) => [String(n + 1), v.item, severityVi[v.severity] ?? v.severity]),
      }
    : p('Về cơ sở vật chất, niêm yết, bộ phận một cửa: không phát hiện nội dung chưa đạt.'),
  f.personal.length
    ? {
        kind: 'table',
        columns: [
          { header: 'TT', width: 8, align: 'center' },
          { header: 'Vi phạm của cá nhân (theo loại)', width: 70 },
          { header: 'Số lượt', width: 22, align: 'center' },
        ],
        rows: f.personal.map((v, n) => [String(n + 1), v.kind, String(v.count)]),
      }
    : p('Không phát hiện vi phạm của cá nhân.'),
];

export const inspectionRecord: DocumentDefinition<InspectionFacts> = {
  id: 'inspection-record',
  title: { vi: 'Biên bản kiểm tra công vụ', en: 'Inspection record' },
  form: 'record',
  appliesTo: 'inspection',
  gather: (ctx) => inspectionFacts(ctx, 'record'),
  defaults({ facts }) {
    return {
      subject: `Kiểm tra ${facts.kind === 'unannounced' ? 'đột xuất ' : ''}việc thực hiện kỷ luật, kỷ cương hành chính, văn hóa công vụ`,
      authority: '',
      signerOnBehalf: 'Đoàn kiểm tra',
      signerTitle: 'Trưởng đoàn',
      signerName: facts.teamLeader,
      recipients: recipientsWithArchive(['Đơn vị được kiểm tra;', 'Đoàn kiểm tra;']),
    };
  },
  build({ unit, facts, fields }) {
    const f = facts;
    return {
      typeTitle: 'BIÊN BẢN',
      subject: fields.subject,
      authority: fields.authority,
      body: [
        p(
          `Vào lúc ${timeOf(f.arrivedAt) || shortDate(f.date)}, ${f.team || 'Đoàn kiểm tra'} tiến hành kiểm tra ${f.kind === 'unannounced' ? 'đột xuất ' : ''}tại ${bodyName(unit.name, unit.kind)} theo nội dung: ${f.formTitle}.`,
        ),
        { kind: 'heading', text: 'I. THÀNH PHẦN' },
        p(`Đại diện Đoàn kiểm tra: ${f.teamLeader || '…'}, Trưởng đoàn.`),
        p(`Đại diện đơn vị được kiểm tra: ${f.representative || '…'}.`),
        { kind: 'heading', text: 'II. KẾT QUẢ KIỂM TRA' },
        ...findingsBlocks(f),
        p(
          `Biên bản kết thúc vào lúc ${timeOf(f.closedAt) || '…'}, đã đọc lại cho các thành phần cùng nghe và thống nhất ký tên. Đại diện đơn vị được kiểm tra: ${f.representative || '…'}./.`,
        ),
      ],
      signer: { onBehalf: fields.signerOnBehalf, title: fields.signerTitle, name: fields.signerName },
      recipients: fields.recipients,
    };
  },
};

export const inspectionConclusion: DocumentDefinition<InspectionFacts> = {
  id: 'inspection-conclusion',
  title: { vi: 'Thông báo kết luận kiểm tra', en: 'Inspection conclusion notice' },
  form: 'notice',
  appliesTo: 'inspection',
  gather: (ctx) => inspectionFacts(ctx, 'conclusion'),
  defaults({ facts }) {
    return {
      subject: `Kết luận kiểm tra ${facts.kind === 'unannounced' ? 'đột xuất ' : ''}ngày ${shortDate(facts.date)}`,
      authority: '',
      signerOnBehalf: 'TM. Đoàn kiểm tra',
      signerTitle: 'Trưởng đoàn',
      signerName: facts.teamLeader,
      recipients: recipientsWithArchive(['Đơn vị được kiểm tra;']),
    };
  },
  build({ unit, facts, fields }) {
    const f = facts;
    return {
      typeTitle: 'THÔNG BÁO',
      subject: fields.subject,
      authority: fields.authority,
      body: [
        p(
          `Ngày ${shortDate(f.date)}, ${f.team || 'Đoàn kiểm tra'} đã kiểm tra tại ${bodyName(unit.name, unit.kind)} (${f.formTitle}). Đoàn kiểm tra thông báo kết luận như sau:`,
        ),
        { kind: 'heading', text: '1. Kết quả kiểm tra' },
        ...findingsBlocks(f),
        { kind: 'heading', text: '2. Kết luận' },
        ...(f.conclusion?.text ?? '').split(/\r?\n/).filter(Boolean).map(p),
        { kind: 'heading', text: '3. Yêu cầu khắc phục' },
        f.corrections.length
          ? {
              kind: 'table',
              columns: [
                { header: 'TT', width: 7, align: 'center' },
                { header: 'Nội dung yêu cầu', width: 51 },
                { header: 'Trách nhiệm', width: 24 },
                { header: 'Thời hạn', width: 18, align: 'center' },
              ],
              rows: f.corrections.map((c, n) => [String(n + 1), c.text, c.responsible, shortDate(c.deadline)]),
            }
          : p('Không có yêu cầu khắc phục.'),
        p(`Đề nghị ${bodyName(unit.name, unit.kind)} thực hiện và báo cáo kết quả khắc phục đúng thời hạn./.`),
      ],
      signer: { onBehalf: fields.signerOnBehalf, title: fields.signerTitle, name: fields.signerName },
      recipients: fields.recipients,
    };
  },
};
