import type { DocumentBlock, DocumentContent, DocumentDefinition, DocumentFields, DocumentGatherContext, DocumentUnit } from '../../../plugins/contract.ts';
import { DocumentRefusal } from '../../../plugins/contract.ts';
import { lastDeclaration, lastMergerRow, proceduresInForceOf } from '../facts.repository.ts';
import { bodyName, longDate, recipientsWithArchive, shortDate, signerDefaults } from '../documents.text.ts';

/**
 * The decisions: declaration of the QMS (công bố), re-declaration (công bố lại) and the decision
 * issuing the QMS document set. Each prints an annex of the procedures in force.
 */

export interface ScopeRow {
  code: string;
  title: string;
  tthcCode: string | null;
  revisionNo: number | null;
  issueDate: string | null;
}

/** The unit's procedures in force (issued), templates apart, by code. */
export async function proceduresInForce(ctx: DocumentGatherContext): Promise<ScopeRow[]> {
  return (await proceduresInForceOf(ctx.db, ctx.unit.id)).map((r) => ({
    code: r.code,
    title: r.title,
    // A TTHC not yet in the national database has only a local code: the annex prints no code for it.
    tthcCode: r.noNationalCode ? null : r.tthcCode,
    revisionNo: r.revisionNo,
    issueDate: r.issueDate,
  }));
}

const noProcedures = new DocumentRefusal({
  vi: 'Đơn vị chưa có quy trình nào đã ban hành trong phạm vi áp dụng: chưa thể công bố.',
  en: 'The unit has no issued procedure in scope: nothing can be declared yet.',
});

const standard = 'TCVN ISO 9001:2015';
const legalBases = (u: DocumentUnit) => [
  'Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;',
  'Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước;',
  'Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và Công nghệ quy định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg;',
  `Theo đề nghị của Ban chỉ đạo ISO ${bodyName(u.name, u.kind)}.`,
];
const recipients = (u: DocumentUnit) =>
  recipientsWithArchive(['Như Điều 3;', ...(u.parentName ? [`${bodyName(u.parentName, u.parentKind)};`] : []), 'Sở Khoa học và Công nghệ;']);

const scopeTable = (rows: ScopeRow[]) => ({
  kind: 'table' as const,
  columns: [
    { header: 'TT', width: 8, align: 'center' as const },
    { header: 'Mã hiệu', width: 20 },
    { header: 'Tên quy trình', width: 52 },
    { header: 'Mã TTHC', width: 20, align: 'center' as const },
  ],
  rows: rows.map((r, i) => [String(i + 1), r.code, r.title, r.tthcCode ?? '']),
});

const articlesOf = (articles: string[]) => articles.map((text, i) => ({ kind: 'paragraph' as const, lead: `Điều ${i + 1}.`, text }));
const decisionBody = (bases: string[], articles: string[]) => [
  ...bases.map((text) => ({ kind: 'paragraph' as const, text, italic: true })),
  { kind: 'heading' as const, text: 'QUYẾT ĐỊNH:', align: 'center' as const },
  ...articlesOf(articles),
];
const annexSubtitle = (number: string, issueDate: string, authority: string) =>
  `(Kèm theo Quyết định số ${number} ${longDate(issueDate)} của ${authority.charAt(0).toUpperCase()}${authority.slice(1)})`;

/**
 * What the three decisions propose alike: the subject, the signer, the legal bases, three
 * articles (the decision's own, when it takes effect, who carries it out) and the recipients.
 */
function decisionDefaults(unit: DocumentUnit, subject: string, first: (body: string) => string, takesEffect = ''): Partial<DocumentFields> {
  const body = bodyName(unit.name, unit.kind);
  return {
    subject,
    ...signerDefaults(unit),
    legalBases: legalBases(unit),
    articles: [
      first(body),
      `Quyết định này có hiệu lực thi hành kể từ ngày ký${takesEffect}.`,
      `Văn phòng ${body}, các công chức và các bộ phận có liên quan chịu trách nhiệm thi hành Quyết định này.`,
    ],
    recipients: recipients(unit),
  };
}

/** A decision with its annex on a new page after the signature, as the three decisions print. */
function decisionWithAnnex(
  fields: DocumentFields,
  number: string,
  issueDate: string,
  body: DocumentBlock[],
  annexTitle: string,
  annex: DocumentBlock[],
): DocumentContent {
  return {
    typeTitle: 'QUYẾT ĐỊNH',
    subject: fields.subject,
    authority: fields.authority,
    body,
    signer: { onBehalf: fields.signerOnBehalf, title: fields.signerTitle, name: fields.signerName },
    recipients: fields.recipients,
    annex: { title: annexTitle, subtitle: annexSubtitle(number, issueDate, fields.authority), blocks: annex },
  };
}

/** The procedures in force of the unit; a decision with none to list is refused. */
async function scopeFacts(ctx: DocumentGatherContext): Promise<{ procedures: ScopeRow[] }> {
  const procedures = await proceduresInForce(ctx);
  if (!procedures.length) throw noProcedures;
  return { procedures };
}

const scopeAnnexTitle = 'Phụ lục\nDanh mục thủ tục hành chính và hoạt động nội bộ áp dụng Hệ thống quản lý chất lượng';

export const declaration: DocumentDefinition<{ procedures: ScopeRow[] }> = {
  id: 'declaration',
  title: { vi: 'Quyết định công bố Hệ thống quản lý chất lượng', en: 'Decision declaring the quality management system' },
  form: 'decision',
  appliesTo: 'unit',
  gather: scopeFacts,
  defaults: ({ unit }) =>
    decisionDefaults(
      unit,
      `Về việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia ${standard}`,
      (body) =>
        `Công bố Hệ thống quản lý chất lượng của ${body} phù hợp Tiêu chuẩn quốc gia ${standard} đối với các hoạt động xử lý công việc liên quan đến thủ tục hành chính và hoạt động nội bộ tại Phụ lục kèm theo Quyết định này.`,
    ),
  build: ({ facts, fields, number, issueDate }) =>
    decisionWithAnnex(fields, number, issueDate, decisionBody(fields.legalBases, fields.articles), scopeAnnexTitle, [scopeTable(facts.procedures)]),
};

/** The merger that made the unit, as recorded: its day, resolution and predecessors. */
export interface MergerFacts {
  mergedOn: string;
  resolutionNumber: string | null;
  resolutionDate: string | null;
  predecessors: string[];
}

export interface RedeclarationFacts {
  procedures: ScopeRow[];
  previous: { number: string; issueDate: string } | null;
  added: ScopeRow[];
  removed: ScopeRow[];
  /** Absent in documents stored before mergers were recorded. */
  merger?: MergerFacts | null;
}

/** The unit's last merger, when it has not been declared since (a declaration after it settles it). */
async function mergerOf(ctx: DocumentGatherContext, declaredSince: string | null): Promise<MergerFacts | null> {
  const m = await lastMergerRow(ctx.db, ctx.unit.id);
  if (!m || (declaredSince && declaredSince >= m.mergedOn)) return null;
  const names = (JSON.parse(m.predecessorsJson) as Array<{ name: string }>).map((p) => p.name);
  return { mergedOn: m.mergedOn, resolutionNumber: m.resolutionNumber, resolutionDate: m.resolutionDate, predecessors: names };
}

/** "Căn cứ Nghị quyết số ... ngày ...": the resolution that decided the merger, when entered. */
function mergerBasis(m: MergerFacts): string | null {
  if (!m.resolutionNumber) return null;
  const date = m.resolutionDate ? ` ${longDate(m.resolutionDate)}` : '';
  return `Căn cứ Nghị quyết số ${m.resolutionNumber}${date} về việc sắp xếp, sáp nhập đơn vị hành chính;`;
}

const reasons: Record<string, string> = {
  scope_change: 'Thay đổi, bổ sung phạm vi áp dụng Hệ thống quản lý chất lượng',
  merger: 'Sắp xếp, sáp nhập đơn vị hành chính',
  new_version: 'Chuyển đổi sang phiên bản mới của tiêu chuẩn',
};

/** The legal bases with the merger resolution before the closing "Theo đề nghị ..." line. */
function withMergerBasis(bases: string[], m: MergerFacts): string[] {
  const basis = mergerBasis(m);
  return basis ? [...bases.slice(0, -1), basis, ...bases.slice(-1)] : bases;
}

export const redeclaration: DocumentDefinition<RedeclarationFacts> = {
  id: 'redeclaration',
  title: { vi: 'Quyết định công bố lại Hệ thống quản lý chất lượng', en: 'Decision re-declaring the quality management system' },
  form: 'decision',
  appliesTo: 'unit',
  textParts: [
    {
      id: 'reason',
      label: { vi: 'Lý do công bố lại', en: 'Reason for re-declaring' },
      options: [
        { value: 'scope_change', label: { vi: 'Thay đổi phạm vi', en: 'Scope change' } },
        { value: 'merger', label: { vi: 'Sáp nhập', en: 'Merger' } },
        { value: 'new_version', label: { vi: 'Phiên bản mới của tiêu chuẩn', en: 'New version of the standard' } },
      ],
    },
  ],
  async gather(ctx) {
    const procedures = await proceduresInForce(ctx);
    if (!procedures.length) throw noProcedures;
    const last = await lastDeclaration(ctx.db, ctx.unit.id);
    const before = last ? ((JSON.parse(last.dataJson) as { facts?: { procedures?: ScopeRow[] } }).facts?.procedures ?? []) : [];
    const codes = (rows: ScopeRow[]) => new Set(rows.map((r) => r.code));
    return {
      procedures,
      merger: await mergerOf(ctx, last ? last.issueDate : null),
      previous: last ? { number: last.number, issueDate: last.issueDate } : null,
      added: procedures.filter((p) => !codes(before).has(p.code)),
      removed: before.filter((p) => !codes(procedures).has(p.code)),
    };
  },
  defaults({ unit, facts }) {
    const replaces = facts.previous ? ` và thay thế Quyết định số ${facts.previous.number} ${longDate(facts.previous.issueDate)}` : '';
    return {
      ...decisionDefaults(
        unit,
        `Về việc công bố lại Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia ${standard}`,
        (body) =>
          `Công bố lại Hệ thống quản lý chất lượng của ${body} phù hợp Tiêu chuẩn quốc gia ${standard} đối với các hoạt động tại Phụ lục kèm theo Quyết định này.`,
        replaces,
      ),
      ...(facts.merger ? { legalBases: withMergerBasis(legalBases(unit), facts.merger) } : {}),
      parts: { reason: facts.merger ? 'merger' : 'scope_change' },
    };
  },
  build({ facts, fields, number, issueDate }) {
    const given = reasons[fields.parts.reason ?? ''] ?? fields.parts.reason ?? '';
    // After a merger the reason names the predecessors (the units the new unit's scope comes from).
    const reason =
      fields.parts.reason === 'merger' && facts.merger?.predecessors.length ? `${given} (sáp nhập ${facts.merger.predecessors.join(', ')})` : given;
    const since = facts.previous
      ? `so với Quyết định số ${facts.previous.number} ${longDate(facts.previous.issueDate)}`
      : '(chưa có quyết định công bố trước đó trong hệ thống)';
    const changes = [
      ...facts.added.map((r) => ['Bổ sung', r.code, r.title, r.tthcCode ?? '']),
      ...facts.removed.map((r) => ['Bãi bỏ', r.code, r.title, r.tthcCode ?? '']),
    ];
    const body: DocumentBlock[] = [
      ...fields.legalBases.map((text) => ({ kind: 'paragraph' as const, text, italic: true })),
      { kind: 'paragraph', text: `Lý do công bố lại: ${reason}.`, italic: true },
      ...decisionBody([], fields.articles),
    ];
    return decisionWithAnnex(fields, number, issueDate, body, scopeAnnexTitle, [
      { kind: 'heading', text: 'I. Phạm vi áp dụng' },
      scopeTable(facts.procedures),
      { kind: 'heading', text: `II. Những thay đổi ${since}` },
      changes.length
        ? {
            kind: 'table',
            columns: [
              { header: 'Thay đổi', width: 16, align: 'center' },
              { header: 'Mã hiệu', width: 20 },
              { header: 'Tên quy trình', width: 46 },
              { header: 'Mã TTHC', width: 18, align: 'center' },
            ],
            rows: changes,
          }
        : { kind: 'paragraph', text: 'Không có thay đổi về danh mục quy trình.' },
    ]);
  },
};

export const documentSetDecision: DocumentDefinition<{ procedures: ScopeRow[] }> = {
  id: 'document-set-decision',
  title: { vi: 'Quyết định ban hành bộ tài liệu Hệ thống quản lý chất lượng', en: 'Decision issuing the QMS document set' },
  form: 'decision',
  appliesTo: 'unit',
  gather: scopeFacts,
  defaults: ({ unit }) =>
    decisionDefaults(
      unit,
      `Về việc ban hành bộ tài liệu Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia ${standard}`,
      (body) =>
        `Ban hành kèm theo Quyết định này bộ tài liệu Hệ thống quản lý chất lượng của ${body} theo Tiêu chuẩn quốc gia ${standard} (danh mục tại Phụ lục).`,
    ),
  build: ({ facts, fields, number, issueDate }) =>
    decisionWithAnnex(fields, number, issueDate, decisionBody(fields.legalBases, fields.articles), 'Phụ lục\nDanh mục tài liệu Hệ thống quản lý chất lượng', [
      {
        kind: 'table',
        columns: [
          { header: 'TT', width: 8, align: 'center' },
          { header: 'Mã hiệu', width: 20 },
          { header: 'Tên tài liệu', width: 44 },
          { header: 'Lần ban hành', width: 13, align: 'center' },
          { header: 'Ngày ban hành', width: 15, align: 'center' },
        ],
        rows: facts.procedures.map((r, i) => [
          String(i + 1),
          r.code,
          r.title,
          r.revisionNo === null ? '' : String(r.revisionNo).padStart(2, '0'),
          shortDate(r.issueDate),
        ]),
      },
    ]),
};
