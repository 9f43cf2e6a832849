import { yesNoItem } from '../../../src/plugins/contract.ts';

/** A clause question of TCVN ISO 9001:2015 (`ref` is the clause); "no" raises a finding. */
export const yesNo = yesNoItem;
