/** The words of the catalog (DOMAIN.md): TTHC, procedures (quy trình), revisions (lần ban hành). */

export const tthcLevels = ['province', 'commune'] as const;
export type TthcLevel = (typeof tthcLevels)[number];

export const onlineLevels = ['none', 'partial', 'full'] as const;
export type OnlineLevel = (typeof onlineLevels)[number];

/** One procedure per TTHC, plus the system procedures of ISO 9001 (7.5, 9.2, 9.3, 10.2, 6.1). */
export const procedureKinds = ['tthc', 'document_control', 'internal_audit', 'management_review', 'nonconformity', 'risks', 'other'] as const;
export type ProcedureKind = (typeof procedureKinds)[number];

/** Life cycle of one revision (ISO 9001 clause 7.5). */
export const revisionStatuses = ['draft', 'in_review', 'approved', 'issued', 'superseded', 'withdrawn'] as const;
export type RevisionStatus = (typeof revisionStatuses)[number];

/** What the lists show and filter by: a procedure in force is `issued` even while its next revision is being written. */
export const procedureStatuses = ['draft', 'in_review', 'approved', 'issued', 'withdrawn'] as const;
export type ProcedureStatus = (typeof procedureStatuses)[number];

export interface Tthc {
  id: number;
  provinceId: number;
  provinceName?: string;
  code: string;
  name: string;
  field: string;
  level: TthcLevel;
  legalDays: number | null;
  fees: string | null;
  legalBasis: string | null;
  onlineLevel: OnlineLevel;
  /** Every level it is carried out at (`level` is the first). */
  levels: TthcLevel[];
  /** Not yet in the national database: its code was proposed locally. */
  noNationalCode: boolean;
  /** The time limit as published, when imported as text; `legalDays` is the smallest of `timeDays`. */
  timeText: string | null;
  timeDays: number[];
  feeAmount: number | null;
  /** Retired from the list (YYYY-MM-DD) by the decision `retiredDecisionNo` of `retiredDecisionDate`. */
  retiredAt: string | null;
  retiredDecisionNo: string | null;
  retiredDecisionDate: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Step {
  action: string;
  responsible: string | null;
  days: number | null;
  output: string | null;
}

export interface FormItem {
  code: string | null;
  name: string;
  fileId: number | null;
  fileName?: string | null;
}

export interface RecordItem {
  name: string;
  keeper: string | null;
  retention: string | null;
}

/** The content of a revision that an officer writes; everything compared field by field. */
export interface RevisionContent {
  code: string;
  title: string;
  kind: ProcedureKind;
  tthcId: number | null;
  purpose: string | null;
  scopeText: string | null;
  referencesText: string | null;
  definitions: string | null;
  changeSummary: string | null;
  steps: Step[];
  forms: FormItem[];
  records: RecordItem[];
}

export interface Signature {
  userId: number | null;
  name: string | null;
  at: string | null;
}

export interface Revision extends RevisionContent {
  id: number;
  procedureId: number;
  revisionNo: number;
  status: RevisionStatus;
  reviewNote: string | null;
  templateRevisionNo: number | null;
  totalDays: number | null;
  drafted: Signature;
  reviewed: Signature;
  approved: Signature;
  issued: Signature;
  withdrawn: Signature;
  issueDate: string | null;
  supersededAt: string | null;
  withdrawReason: string | null;
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

export interface Procedure {
  id: number;
  unitId: number;
  unitPath: string;
  unitName: string;
  unitCode: string;
  code: string;
  title: string;
  kind: ProcedureKind;
  tthcId: number | null;
  tthcCode: string | null;
  tthcField: string | null;
  tthcLegalDays: number | null;
  isTemplate: boolean;
  templateId: number | null;
  templateRevisionNo: number | null;
  status: ProcedureStatus;
  pendingStatus: ProcedureStatus | null;
  headRevisionId: number;
  issuedRevisionId: number | null;
  revisionNo: number | null;
  issueDate: string | null;
  lastReviewedOn: string | null;
  totalDays: number | null;
  /** The predecessor's procedure this one was carried over from, e.g. "QT-05/PK-HT lần 3". */
  carriedFrom: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A list row carries the two flags the lists show. */
export interface ProcedureRow extends Procedure {
  overTime: boolean;
  dueForReview: boolean;
}

export interface QualityObjective {
  id: number;
  unitId: number;
  year: number;
  objective: string;
  measure: string | null;
  target: string;
  actual: string | null;
  achieved: boolean | null;
}

export interface QualityPolicy {
  unitId: number;
  text: string;
  issuedOn: string | null;
  updatedAt: string;
}
