import type { FormItem, LocalizedText, Severity } from '../../../src/plugins/contract.ts';

const weightFor: Record<Severity, number> = { major: 3, minor: 2, observation: 1 };

/**
 * A yes / no / not-applicable question phrased so that "yes" means the rule is kept; "no" raises a
 * finding. `ref` is the legal basis. Not applicable is for an official who is absent.
 */
export function kept(id: string, ref: string, text: LocalizedText, severity: Severity, help?: LocalizedText): FormItem {
  return {
    id, ref, text, help,
    answer: { type: 'yes-no-na' },
    mandatory: true,
    weight: weightFor[severity],
    findings: [{ when: { equals: 'no' }, severity }],
  };
}

export const ct26 = 'Chỉ thị 26/CT-TTg';
export const qd129 = 'QĐ 129/2007/QĐ-TTg';
export const qd1847 = 'QĐ 1847/QĐ-TTg';
