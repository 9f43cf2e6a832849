/**
 * What ISO 9001:2015 and QĐ 19/2014/QĐ-TTg expect before a unit declares (or re-declares) its
 * quality management system: a pure function of facts read by declaration-checks.repository.ts.
 * Each item is met or not, with where it is done; issuing with an item not met needs the leader's
 * written reason.
 */

/** The system procedures a declaration expects, by the `kind` of the procedure and its clause. */
export const systemProcedures = [
  { kind: 'document_control', clause: '7.5', vi: 'Kiểm soát tài liệu và hồ sơ' },
  { kind: 'internal_audit', clause: '9.2', vi: 'Đánh giá nội bộ' },
  { kind: 'management_review', clause: '9.3', vi: 'Xem xét của lãnh đạo' },
  { kind: 'nonconformity', clause: '10.2', vi: 'Sự không phù hợp và hành động khắc phục' },
  { kind: 'risks', clause: '6.1', vi: 'Rủi ro và cơ hội' },
] as const;

/** The document types that declare the system and so check these first. */
export const declaringTypes: readonly string[] = ['declaration', 'redeclaration'];

export interface DeclarationFacts {
  unitId: number;
  /** TTHC in the unit's scope without an issued procedure: code and name. */
  tthcWithoutProcess: Array<{ code: string; name: string }>;
  /** Kinds of the unit's issued procedures (templates apart). */
  issuedKinds: string[];
  /** Check date of the last submitted internal audit on or before the document's date. */
  lastInternalAudit: string | null;
  /** Date of the last final management review on or before the document's date. */
  lastReview: string | null;
  openMajors: number;
}

export type DeclarationCheckKey = 'tthc_processes' | 'system_procedures' | 'internal_audit' | 'management_review' | 'no_open_major';

export interface DeclarationCheck {
  key: DeclarationCheckKey;
  met: boolean;
  /** What is true now, in Vietnamese (what is missing when not met). */
  text: string;
  /** Where it is done. */
  href: string;
}

const vnDay = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/**
 * The checks for a declaration dated `date`; `yearAgo` is twelve months before it (an audit or a
 * review since then counts).
 */
export function declarationChecks(f: DeclarationFacts, date: string, yearAgo: string): DeclarationCheck[] {
  const u = f.unitId;
  const missingTthc = f.tthcWithoutProcess;
  const missingSystem = systemProcedures.filter((p) => !f.issuedKinds.includes(p.kind));
  const recent = (d: string | null) => !!d && d >= yearAgo && d <= date;
  return [
    {
      key: 'tthc_processes',
      met: missingTthc.length === 0,
      text: missingTthc.length
        ? `Thủ tục hành chính chưa có quy trình đã ban hành: ${missingTthc.map((t) => `${t.code} ${t.name}`).join('; ')}`
        : 'Mọi thủ tục hành chính trong phạm vi đều có quy trình đã ban hành',
      href: `/units/${u}/catalog`,
    },
    {
      key: 'system_procedures',
      met: missingSystem.length === 0,
      text: missingSystem.length
        ? `Chưa ban hành quy trình hệ thống: ${missingSystem.map((p) => `${p.vi} (${p.clause})`).join('; ')}`
        : 'Đã ban hành các quy trình hệ thống (7.5, 9.2, 9.3, 10.2, 6.1)',
      href: `/units/${u}/catalog`,
    },
    {
      key: 'internal_audit',
      met: recent(f.lastInternalAudit),
      text: recent(f.lastInternalAudit)
        ? `Đã đánh giá nội bộ ngày ${vnDay(f.lastInternalAudit!)}`
        : 'Chưa có cuộc đánh giá nội bộ trong 12 tháng trước ngày văn bản',
      href: `/units/${u}/checks`,
    },
    {
      key: 'management_review',
      met: recent(f.lastReview),
      text: recent(f.lastReview)
        ? `Đã họp xem xét của lãnh đạo ngày ${vnDay(f.lastReview!)}`
        : 'Chưa có cuộc họp xem xét của lãnh đạo (đã hoàn tất) trong 12 tháng trước ngày văn bản',
      href: `/units/${u}/reviews`,
    },
    {
      key: 'no_open_major',
      met: f.openMajors === 0,
      text: f.openMajors ? `Còn ${f.openMajors} điểm không phù hợp nặng chưa khắc phục` : 'Không còn điểm không phù hợp nặng',
      href: `/units/${u}/checks`,
    },
  ];
}

/** What is missing, as one Vietnamese sentence for the refusal ("" when nothing is). */
export function missingText(checks: DeclarationCheck[]): string {
  return checks
    .filter((c) => !c.met)
    .map((c) => c.text)
    .join('; ');
}
