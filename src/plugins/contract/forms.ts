import type { LocalizedText } from './text.ts';

/** The forms of the plugin contract (see src/plugins/contract.ts). */

// ---------------------------------------------------------------------------------------------
// Forms: audit checklists and inspection forms, as data
// ---------------------------------------------------------------------------------------------

/**
 * `iso-check`: compliance checks and internal audits; `ethics-inspection`: discipline spot checks;
 * `satisfaction-survey`: what citizens answer on a unit's public survey page (SIPAS), one section
 * per aspect, answered by scale, choice or short text only, raising no finding.
 */
export type FormKind = 'iso-check' | 'ethics-inspection' | 'satisfaction-survey';
export type Severity = 'major' | 'minor' | 'observation';

export interface ChoiceOption {
  /** Stored as the answer: lower-case letters, digits and hyphens. */
  value: string;
  label: LocalizedText;
}

/** How an item is answered. `yes-no-na` answers are the strings `yes`, `no` and `na`. */
export type AnswerSpec =
  | { type: 'yes-no-na' }
  | {
      type: 'scale';
      min: number;
      max: number;
      minLabel?: LocalizedText;
      maxLabel?: LocalizedText;
      /** One label per point, from `min` to `max` (a survey's "Rất không hài lòng" … "Rất hài lòng"). */
      labels?: LocalizedText[];
      /** Offers one more answer, stored as `na`, that counts in no average ("Không ý kiến"). */
      noOpinion?: LocalizedText;
    }
  | { type: 'number'; min?: number; max?: number; unit?: LocalizedText }
  | { type: 'text'; multiline?: boolean }
  | { type: 'date' }
  | { type: 'choice'; options: ChoiceOption[] }
  | { type: 'photo' };

/** @public The answer types a form item may have. */
export type AnswerType = AnswerSpec['type'];

/**
 * When an answer raises a finding. Which conditions fit which answer type:
 * - `equals`, `in`: yes-no-na (`yes`/`no`/`na`), choice (option values), scale and number (numbers);
 * - `below`, `above` (strict): scale and number;
 * - `olderThanDays`: date (older than that many days before the check);
 * - `empty` (no answer given): text, date, number and photo items that are not mandatory.
 */
export type FindingCondition =
  { equals: string | number } | { in: Array<string | number> } | { below: number } | { above: number } | { olderThanDays: number } | { empty: true };

/** When several rules of an item match, the most severe one wins. */
export interface FindingRule {
  when: FindingCondition;
  severity: Severity;
}

export interface FormItem {
  id: string;
  text: LocalizedText;
  /** The ISO clause (`9.2`) or the legal reference (`Chỉ thị 26/CT-TTg`) the item checks. */
  ref: string;
  help?: LocalizedText;
  answer: AnswerSpec;
  mandatory: boolean;
  /** Weight in the score; 0 for items that only collect information. */
  weight: number;
  findings?: FindingRule[];
}

export interface FormSection {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  /** Answered once per person (an inspection: one group per official). */
  repeatPerPerson?: boolean;
  items: FormItem[];
}

/**
 * A form version. Changing a form means registering a new version (keep the old ones registered):
 * a completed check keeps the id, version and a copy of the definition it was answered against.
 */
export interface FormDefinition {
  id: string;
  version: number;
  title: LocalizedText;
  description?: LocalizedText;
  kind: FormKind;
  appliesTo: 'unit' | 'procedure';
  sections: FormSection[];
}

/** Score weight of a yes/no item by how serious its "no" is: the score leans on what matters most. */
const weightBySeverity: Record<Severity, number> = { major: 3, minor: 2, observation: 1 };

/**
 * The most common checklist item: a yes / no / not-applicable question phrased so that "yes"
 * means the requirement is met, whose "no" raises a finding of the given severity. `ref` is the
 * ISO clause or legal basis. Mandatory; weighted by severity.
 */
export function yesNoItem(id: string, ref: string, text: LocalizedText, severity: Severity, help?: LocalizedText): FormItem {
  return {
    id,
    ref,
    text,
    help,
    answer: { type: 'yes-no-na' },
    mandatory: true,
    weight: weightBySeverity[severity],
    findings: [{ when: { equals: 'no' }, severity }],
  };
}
