import type { DocumentBlock, DocumentDefinition, DocumentGatherContext, FormDefinition, Severity } from '../../../plugins/contract.ts';
import { DocumentRefusal } from '../../../plugins/contract.ts';
import { onTimeSummary } from '../../ontime/ontime.repository.ts';
import type { OnTimeCounts } from '../../ontime/ontime.types.ts';
import {
  actionsOpenedIn,
  auditorNames,
  checkOfUnit,
  countProceduresInForce,
  findingsBySeverityIn,
  findingsOfCheck,
  objectivesOf,
  reviewsIn,
  revisionsIssuedIn,
  submittedAuditsIn,
} from '../facts.repository.ts';
import { bodyName, recipientsWithArchive, shortDate, signerDefaults } from '../documents.text.ts';

/** The reports: the yearly QMS report and the internal audit report of a submitted check. */

const severityLabel: Record<Severity, string> = { major: 'Nặng (không phù hợp lớn)', minor: 'Nhẹ (không phù hợp nhỏ)', observation: 'Khuyến nghị (lưu ý)' };

export interface YearlyFacts {
  procedures: { inForce: number; issuedInYear: number; revisedInYear: number };
  audits: Array<{ date: string; score: number | null }>;
  reviews: Array<{ date: string; status: string }>;
  findings: Record<Severity, number>;
  actions: { open: number; closed: number; overdue: number };
  /** null: no on-time figures were entered for the year. */
  onTime: (OnTimeCounts & { rate: number | null }) | null;
  objectives: { total: number; achieved: number };
}

async function yearlyFacts(ctx: DocumentGatherContext): Promise<YearlyFacts> {
  const { db, unit, year } = ctx;
  const inForce = await countProceduresInForce(db, unit.id);
  const revs = await revisionsIssuedIn(db, unit.id, year);
  const issuedInYear = new Set(revs.filter((r) => r.revisionNo === 1).map((r) => r.procedureId)).size;
  const revisedInYear = new Set(revs.filter((r) => r.revisionNo > 1).map((r) => r.procedureId)).size;

  const audits = await submittedAuditsIn(db, unit.id, year);

  const findings: Record<Severity, number> = { major: 0, minor: 0, observation: 0 };
  for (const r of await findingsBySeverityIn(db, unit.id, year)) if (r.severity in findings) findings[r.severity as Severity] = r.n;

  const reviews = await reviewsIn(db, unit.id, year);

  const actionRows = await actionsOpenedIn(db, unit.id, year);
  const closed = actionRows.filter((r) => r.status === 'done' || r.status === 'verified').length;
  const yearEnd = `${year}-12-31`;
  const overdue = actionRows.filter((r) => r.status !== 'done' && r.status !== 'verified' && r.dueDate !== null && r.dueDate < yearEnd).length;
  const actions = { open: actionRows.length - closed, closed, overdue };

  // The same totals the management review inputs quote, from the periods that start in the year.
  const figures = await onTimeSummary(db, unit.id, `${year}-01-01`, `${year}-12-31`);
  const onTime: YearlyFacts['onTime'] = figures.periods ? figures : null;

  const objectives = await objectivesOf(db, unit.id, year);
  return {
    procedures: { inForce, issuedInYear, revisedInYear },
    audits,
    reviews,
    findings,
    actions,
    onTime,
    objectives: { total: objectives.length, achieved: objectives.filter((o) => o.achieved).length },
  };
}

const percent = (part: number, whole: number) => (whole ? `${(Math.round((part / whole) * 1000) / 10).toString().replace('.', ',')}%` : '—');
const p = (text: string): DocumentBlock => ({ kind: 'paragraph', text });

export const yearlyReport: DocumentDefinition<YearlyFacts> = {
  id: 'yearly-report',
  title: { vi: 'Báo cáo tình hình xây dựng, áp dụng, duy trì và cải tiến HTQLCL', en: 'Yearly report on the quality management system' },
  form: 'report',
  appliesTo: 'unit',
  textParts: [
    { id: 'assessment', label: { vi: 'Đánh giá chung', en: 'General assessment' } },
    { id: 'difficulties', label: { vi: 'Tồn tại, khó khăn', en: 'Difficulties' } },
    { id: 'proposals', label: { vi: 'Kiến nghị, đề xuất', en: 'Proposals' } },
  ],
  gather: yearlyFacts,
  defaults({ unit, year }) {
    return {
      subject: `Kết quả xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 năm ${year}`,
      authority: '',
      signerOnBehalf: signerDefaults(unit).signerOnBehalf,
      signerTitle: signerDefaults(unit).signerTitle,
      recipients: recipientsWithArchive([...(unit.parentName ? [`${bodyName(unit.parentName, unit.parentKind)};`] : []), 'Sở Khoa học và Công nghệ;']),
      parts: { assessment: '', difficulties: '', proposals: '' },
    };
  },
  build({ unit, year, facts, fields }) {
    const body = bodyName(unit.name, unit.kind);
    const f = facts;
    const totalFindings = f.findings.major + f.findings.minor + f.findings.observation;
    const blocks: DocumentBlock[] = [
      p(
        `Thực hiện Quyết định số 19/2014/QĐ-TTg của Thủ tướng Chính phủ, ${body} báo cáo kết quả xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 năm ${year} như sau:`,
      ),
      { kind: 'heading', text: 'I. KẾT QUẢ THỰC HIỆN' },
      { kind: 'heading', text: '1. Phạm vi áp dụng và tài liệu' },
      p(
        `Số quy trình đang có hiệu lực: ${f.procedures.inForce}; ban hành mới trong năm: ${f.procedures.issuedInYear}; sửa đổi, ban hành lại trong năm: ${f.procedures.revisedInYear}.`,
      ),
      { kind: 'heading', text: '2. Đánh giá nội bộ' },
      f.audits.length
        ? {
            kind: 'table',
            columns: [
              { header: 'TT', width: 8, align: 'center' },
              { header: 'Ngày đánh giá', width: 46, align: 'center' },
              { header: 'Điểm đánh giá', width: 46, align: 'center' },
            ],
            rows: f.audits.map((a, i) => [String(i + 1), shortDate(a.date), a.score === null ? '—' : `${String(a.score).replace('.', ',')}%`]),
          }
        : p(`Trong năm ${year} chưa thực hiện đánh giá nội bộ.`),
      p(
        `Số điểm không phù hợp phát hiện qua đánh giá, kiểm tra: ${totalFindings} (nặng: ${f.findings.major}; nhẹ: ${f.findings.minor}; khuyến nghị: ${f.findings.observation}).`,
      ),
      p(
        `Hành động khắc phục: đã hoàn thành ${f.actions.closed}; đang thực hiện ${f.actions.open}${f.actions.overdue ? ` (quá hạn ${f.actions.overdue})` : ''}.`,
      ),
      { kind: 'heading', text: '3. Xem xét của lãnh đạo' },
      p(
        f.reviews.length
          ? `Đã tổ chức ${f.reviews.length} cuộc họp xem xét của lãnh đạo, vào các ngày: ${f.reviews.map((r) => shortDate(r.date)).join('; ')}.`
          : `Trong năm ${year} chưa tổ chức họp xem xét của lãnh đạo.`,
      ),
      { kind: 'heading', text: '4. Mục tiêu chất lượng và kết quả giải quyết hồ sơ' },
      p(`Mục tiêu chất lượng năm ${year}: ${f.objectives.total}; đạt: ${f.objectives.achieved}.`),
      p(
        f.onTime
          ? `Số hồ sơ phải giải quyết: ${f.onTime.received}; giải quyết trước hạn: ${f.onTime.early}; đúng hạn: ${f.onTime.onTime}; trễ hạn: ${f.onTime.late}. Tỷ lệ giải quyết đúng và trước hạn: ${percent(f.onTime.early + f.onTime.onTime, f.onTime.received)}.${f.onTime.apologies ? ` Số văn bản xin lỗi đã gửi: ${f.onTime.apologies}.` : ''}`
          : 'Chưa có số liệu về kết quả giải quyết hồ sơ thủ tục hành chính.',
      ),
      ...(fields.parts.assessment ? [p(fields.parts.assessment)] : []),
      { kind: 'heading', text: 'II. TỒN TẠI, KHÓ KHĂN' },
      p(fields.parts.difficulties || 'Không có.'),
      { kind: 'heading', text: 'III. KIẾN NGHỊ, ĐỀ XUẤT' },
      p(fields.parts.proposals || 'Không có.'),
      p(`Trên đây là báo cáo kết quả xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng năm ${year} của ${body}./.`),
    ];
    return {
      typeTitle: 'BÁO CÁO',
      subject: fields.subject,
      authority: fields.authority,
      body: blocks,
      signer: { onBehalf: fields.signerOnBehalf, title: fields.signerTitle, name: fields.signerName },
      recipients: fields.recipients,
    };
  },
};

export interface AuditFacts {
  check: { date: string; formTitle: string; kind: string; score: number | null };
  auditors: string[];
  findings: Array<{ clauseRef: string; item: string; severity: Severity; note: string }>;
}

const notSubmitted = new DocumentRefusal({
  vi: 'Chỉ lập được báo cáo từ một cuộc đánh giá đã nộp kết quả của chính đơn vị này.',
  en: 'A report is printed only from a submitted check of this unit.',
});

async function auditFacts(ctx: DocumentGatherContext): Promise<AuditFacts> {
  const { db } = ctx;
  const c = ctx.sourceId === null ? undefined : await checkOfUnit(db, ctx.sourceId, ctx.unit.id);
  if (!c || c.status !== 'submitted') throw notSubmitted;
  const form = JSON.parse(c.formJson) as FormDefinition;
  const itemText = new Map(form.sections.flatMap((s) => s.items.map((i) => [i.id, i.text.vi] as const)));
  const auditors = await auditorNames(db, c.id);
  const rows = await findingsOfCheck(db, c.id);
  const order: Severity[] = ['major', 'minor', 'observation'];
  return {
    check: {
      date: c.date,
      formTitle: form.title.vi,
      kind: c.kind,
      score: c.score,
    },
    auditors,
    findings: rows
      .map((r) => ({
        clauseRef: r.clauseRef,
        item: itemText.get(r.itemId) ?? r.itemId,
        severity: r.severity as Severity,
        note: r.description,
      }))
      .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity)),
  };
}

export const auditReport: DocumentDefinition<AuditFacts> = {
  id: 'audit-report',
  title: { vi: 'Báo cáo đánh giá nội bộ', en: 'Internal audit report' },
  form: 'report',
  appliesTo: 'check',
  textParts: [{ id: 'conclusion', label: { vi: 'Kết luận của đoàn đánh giá', en: 'Conclusion of the audit team' } }],
  gather: auditFacts,
  defaults({ unit, facts }) {
    return {
      subject: `Kết quả đánh giá nội bộ Hệ thống quản lý chất lượng ngày ${shortDate(facts.check.date)}`,
      authority: '',
      signerOnBehalf: 'TM. Đoàn đánh giá',
      signerTitle: 'Trưởng đoàn',
      signerName: facts.auditors[0] ?? '',
      recipients: recipientsWithArchive([`Lãnh đạo ${bodyName(unit.name, unit.kind)};`, 'Các bộ phận được đánh giá;']),
      parts: { conclusion: '' },
    };
  },
  build({ unit, facts, fields }) {
    const f = facts;
    const n = (s: Severity) => f.findings.filter((x) => x.severity === s).length;
    return {
      typeTitle: 'BÁO CÁO',
      subject: fields.subject,
      authority: fields.authority,
      body: [
        { kind: 'heading', text: '1. Thời gian, phạm vi đánh giá' },
        p(`Ngày đánh giá: ${shortDate(f.check.date)}. Đơn vị được đánh giá: ${bodyName(unit.name, unit.kind)}. Nội dung: ${f.check.formTitle}.`),
        { kind: 'heading', text: '2. Thành phần đoàn đánh giá' },
        p(f.auditors.length ? f.auditors.join('; ') + '.' : 'Không ghi nhận.'),
        { kind: 'heading', text: '3. Kết quả đánh giá' },
        p(
          `Điểm đánh giá: ${f.check.score === null ? '—' : `${String(f.check.score).replace('.', ',')}%`}. Số điểm không phù hợp: ${f.findings.length} (nặng: ${n('major')}; nhẹ: ${n('minor')}; khuyến nghị: ${n('observation')}).`,
        ),
        ...(f.findings.length
          ? [
              {
                kind: 'table' as const,
                columns: [
                  { header: 'TT', width: 7, align: 'center' as const },
                  { header: 'Điều khoản', width: 14, align: 'center' as const },
                  { header: 'Nội dung', width: 51 },
                  { header: 'Mức độ', width: 28 },
                ],
                rows: f.findings.map((x, i) => [String(i + 1), x.clauseRef, x.note ? `${x.item}\n${x.note}` : x.item, severityLabel[x.severity]]),
              },
            ]
          : [p('Không phát hiện điểm không phù hợp.')]),
        { kind: 'heading', text: '4. Kết luận' },
        p(
          fields.parts.conclusion || 'Hệ thống quản lý chất lượng được duy trì; các bộ phận có điểm không phù hợp thực hiện hành động khắc phục theo quy định.',
        ),
      ],
      signer: { onBehalf: fields.signerOnBehalf, title: fields.signerTitle, name: fields.signerName },
      recipients: fields.recipients,
    };
  },
};
