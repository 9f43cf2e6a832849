import type { FormItem, LocalizedText, Severity } from '../../../src/plugins/contract.ts';

/** Weight of an item by how serious a "no" is: the score leans on what the standard insists on. */
const weightFor: Record<Severity, number> = { major: 3, minor: 2, observation: 1 };

/**
 * A yes / no / not-applicable question whose "no" raises a finding of the given severity.
 * `ref` is the clause of TCVN ISO 9001:2015.
 */
export function yesNo(id: string, ref: string, text: LocalizedText, severity: Severity, help?: LocalizedText): FormItem {
  return {
    id, ref, text, help,
    answer: { type: 'yes-no-na' },
    mandatory: true,
    weight: weightFor[severity],
    findings: [{ when: { equals: 'no' }, severity }],
  };
}
