import type { Knex } from 'knex';
import type { Actor } from '../../lib/actor.ts';
import type { FormDefinition, Severity } from '../../plugins/contract.ts';
import type { Progress, Scoring, StoredAnswer } from './checks.logic.ts';

/** The shapes of the checks module, shared by its services, routes and API. */

export const checkKinds = ['planned', 'unannounced'] as const;
export type CheckKind = (typeof checkKinds)[number];
export type CheckStatus = 'planned' | 'in_progress' | 'submitted';

export interface Check {
  id: number;
  unitId: number;
  unitPath: string;
  unitName: string;
  formId: string;
  formVersion: number;
  formTitle: { vi: string; en: string };
  checkDate: string;
  kind: CheckKind;
  status: CheckStatus;
  score: number | null;
  submittedAt: string | null;
  createdAt: string;
  signedOffBy: number | null;
  signedOffAt: string | null;
  /** The check this one continues (its next cycle was started from it). */
  previousCheckId: number | null;
}

export interface Finding {
  id: number;
  sectionId: string;
  itemId: string;
  severity: Severity;
  clauseRef: string;
  answer: string | null;
  source: string;
  /** Findings added by hand: what was seen; the procedure concerned (one of the unit's). */
  description: string | null;
  procedureId: number | null;
  procedureCode: string | null;
  procedureTitle: string | null;
  createdBy: number | null;
  /** open | closed (closed by hand; a major finding only once its actions are verified). */
  status: string;
  /** Corrective actions recorded on it, and how many of them were verified effective. */
  actionCount: number;
  verifiedCount: number;
}

/** An evidence file's metadata (the content is served by its own route). */
export interface CheckFile {
  id: number;
  itemId: string | null;
  findingId: number | null;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  image: boolean;
  uploadedBy: number;
  uploadedByName: string;
  createdAt: string;
}

export interface ProcedureRef {
  id: number;
  code: string;
  title: string;
}

export interface CheckDetails {
  check: Check;
  form: FormDefinition;
  auditors: Array<{ id: number; username: string; fullName: string }>;
  answers: Map<string, StoredAnswer>;
  scoring: Scoring;
  progress: Progress;
  findings: Finding[];
  canAnswer: boolean;
  files: CheckFile[];
  /** Procedures in the check's scope. */
  procedures: ProcedureRef[];
  signOff: { userId: number; fullName: string; at: string } | null;
  /** May sign the submitted check off (the unit's leader, an administrator). */
  canSign: boolean;
  /** May add findings and their evidence (those who answer), until the sign-off. */
  canRecord: boolean;
}

/** One saved answer, whose it replaced (if someone else's), and the check's score and progress after it. */
export interface SavedAnswer {
  answer: StoredAnswer;
  replaced?: Replaced;
  scoring: Scoring;
  progress: Progress;
}

/** Who replaced whom: set when a save overwrote an answer another user gave. */
export interface Replaced {
  itemId: string;
  userId: number;
  fullName: string;
  answeredAt: string;
  value: string | null;
}

/** A check as loaded, with the frozen copy of the form it is answered against. */
export type LoadedCheck = Check & { form: FormDefinition };

/**
 * How the parts of the checks area (files, findings, cycles) reach a check: loaded, and judged
 * readable or answerable by the actor. ChecksService is the one implementation.
 */
export interface CheckGate {
  load(db: Knex | Knex.Transaction, id: number): Promise<LoadedCheck | undefined>;
  readable(actor: Actor, id: number): Promise<{ check: LoadedCheck; canAnswer: boolean }>;
  answerable(actor: Actor, id: number): Promise<LoadedCheck>;
}
