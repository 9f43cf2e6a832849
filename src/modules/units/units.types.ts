export const unitKinds = ['province', 'district', 'commune', 'ward', 'town', 'special_zone', 'department'] as const;
export type UnitKind = (typeof unitKinds)[number];

export const isoStates = ['not_started', 'building', 'applying', 'declared', 'needs_redeclaration'] as const;
export type IsoState = (typeof isoStates)[number];

export const isoStandards = ['2008', '2015'] as const;
export type IsoStandard = (typeof isoStandards)[number];

export interface Unit {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
  path: string;
  depth: number;
  placeName: string | null;
  activeFrom: string | null;
  activeTo: string | null;
  mergedIntoId: number | null;
  isoState: IsoState;
  isoStandard: IsoStandard | null;
  isoStateReason: string | null;
  isoStateChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A unit is active on a day when it has started and not yet ended (merged or dissolved). */
export function isActiveOn(u: Pick<Unit, 'activeFrom' | 'activeTo'>, day: string): boolean {
  return (!u.activeFrom || u.activeFrom <= day) && (!u.activeTo || u.activeTo > day);
}
