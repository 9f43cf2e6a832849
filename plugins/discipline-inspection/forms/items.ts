import { yesNoItem } from '../../../src/plugins/contract.ts';

/**
 * A question phrased so that "yes" means the rule is kept; "no" raises a finding. `ref` is the
 * legal basis. Not applicable is for an official who is absent.
 */
export const kept = yesNoItem;

export const ct26 = 'Chỉ thị 26/CT-TTg';
export const qd129 = 'QĐ 129/2007/QĐ-TTg';
export const qd1847 = 'QĐ 1847/QĐ-TTg';
