/** The shapes of an inspection, shared by its repository, services and routes. */

export type InspectionKind = 'planned' | 'unannounced';
export const inspectionStatuses = ['on_site', 'record_closed', 'concluded'] as const;
export type InspectionStatus = (typeof inspectionStatuses)[number];

export interface Inspection {
  id: number;
  unitId: number;
  unitPath: string;
  unitName: string;
  unitCode: string;
  teamId: number;
  teamName: string;
  kind: InspectionKind;
  planItemId: number | null;
  formId: string;
  formVersion: number;
  formTitle: { vi: string; en: string };
  status: InspectionStatus;
  inspectionDate: string;
  arrivedAt: string | null;
  closedAt: string | null;
  teamLeaderName: string | null;
  unitRepresentativeName: string | null;
  earlierInspectionId: number | null;
  createdAt: string;
}
