import type { Knex } from 'knex';
import type { LocalizedText } from './text.ts';

/** The documents of the plugin contract (see src/plugins/contract.ts). */

// ---------------------------------------------------------------------------------------------
// Documents: printed in the NĐ 30/2020 layout by the documents module
// ---------------------------------------------------------------------------------------------

/** What a document's body is made of; the documents module lays it out (fonts, margins, breaks). */
export type DocumentBlock =
  /** A bold line on its own (`I. KẾT QUẢ ...`, `QUYẾT ĐỊNH:`), left or centred. */
  | { kind: 'heading'; text: string; align?: 'left' | 'center' }
  /** Justified with a first-line indent unless said; `lead` is printed bold before the text (`Điều 1.`). */
  | { kind: 'paragraph'; text: string; lead?: string; italic?: boolean; indent?: boolean; align?: 'justify' | 'center' | 'left' }
  /** Repeats its header row on every page and never splits a row. Widths are shares of the line (they are scaled to fill it). */
  | { kind: 'table'; columns: Array<{ header: string; width: number; align?: 'left' | 'center' | 'right' }>; rows: string[][] };

/** The unit a document is issued by, as the layout needs it. */
export interface DocumentUnit {
  id: number;
  code: string;
  name: string;
  kind: string;
  path: string;
  placeName: string | null;
  parentName: string | null;
  parentKind: string | null;
}

/** The fields a person edits on the draft; the definition proposes them, the person may change each. */
export interface DocumentFields {
  subject: string;
  /** For a decision: `CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ...`, the line under the subject (empty for none). */
  authority: string;
  /** One `Căn cứ ...;` per line. */
  legalBases: string[];
  /** A decision's articles, one per line, numbered when printed (`Điều 1.`). */
  articles: string[];
  signerOnBehalf: string;
  signerTitle: string;
  signerName: string;
  /** Printed under `Nơi nhận:`, each line starting `- `. */
  recipients: string[];
  /** The definition's own free-text parts, by id (see `textParts`). */
  parts: Record<string, string>;
}

/** What a definition's `gather` may read: the database (read only, by convention) and the request. */
export interface DocumentGatherContext {
  db: Knex;
  unit: DocumentUnit;
  year: number;
  /** The check, review or inspection printed (null for unit documents); `gather` checks it belongs to the unit. */
  sourceId: number | null;
  /** For tables that may be missing: a plugin's own, or those of another plugin that may be turned off. */
  hasTable(name: string): Promise<boolean>;
  hasColumn(table: string, column: string): Promise<boolean>;
}

/** The complete printed document, handed to the layout. */
export interface DocumentContent {
  /** QUYẾT ĐỊNH, BÁO CÁO, BIÊN BẢN, THÔNG BÁO. */
  typeTitle: string;
  subject: string;
  authority?: string;
  body: DocumentBlock[];
  signer: { onBehalf?: string; title: string; name: string };
  recipients: string[];
  /** Printed from a new page after the signature (the declaration's list of TTHC). */
  annex?: { title: string; subtitle?: string; blocks: DocumentBlock[] };
}

/** Thrown by `gather` when there is nothing to print: the person is told the message (422). */
export class DocumentRefusal extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
  }
}

/**
 * A document type. The core registers its own (declaration, yearly report, ...); a plugin adds a
 * province's form with `r.documents(...)` without touching the core. Facts are read once by
 * `gather` and kept with an issued document, so that its record says what it printed.
 */
export interface DocumentDefinition<Facts = unknown> {
  /** Lower-case letters, digits and hyphens; unique across the core and every plugin. */
  id: string;
  title: LocalizedText;
  /** Gives the number's abbreviation (QĐ, BC, BB, TB) and the printed type title. */
  form: 'decision' | 'report' | 'record' | 'notice';
  /** What the document is printed from: the unit itself, or one of its checks, management reviews or inspections. */
  appliesTo: 'unit' | 'check' | 'review' | 'inspection';
  /** Free-text parts offered on the draft besides the common fields; with `options`, a choice. */
  textParts?: Array<{ id: string; label: LocalizedText; options?: Array<{ value: string; label: LocalizedText }> }>;
  gather(ctx: DocumentGatherContext): Promise<Facts>;
  /** The fields proposed on a new draft. */
  defaults(input: { unit: DocumentUnit; year: number; facts: Facts }): Partial<DocumentFields>;
  build(input: { unit: DocumentUnit; year: number; facts: Facts; fields: DocumentFields; number: string; issueDate: string }): DocumentContent;
  /** The download's file name without `.pdf` (ASCII is safest); `<type>-<unit code>-<year>-<number>` when absent. */
  fileName?(input: { unit: DocumentUnit; year: number; number: string }): string;
}
