import type { Available } from './schema-probe.ts';

/**
 * Where each figure of the dashboard leads: the list behind it. Lists of modules that are not in
 * this database (their tables are missing) are not linked.
 */
export function figureLinks(av: Available) {
  return {
    unit: (id: number) => `/units/${id}`,
    audits: (id: number) => `/units/${id}/checks`,
    majors: (id: number) => `/units/${id}/checks`,
    readiness: (id: number) => `/units/${id}/readiness`,
    onTime: (id: number) => `/units/${id}/on-time`,
    scope: (id: number) => `/units/${id}/tthc`,
    procedures: (id: number) => `/units/${id}/catalog`,
    declaration: (id: number) => `/units/${id}`,
    actions: av.correctiveActions ? (id: number) => `/units/${id}/actions` : undefined,
    reviews: av.managementReviews ? (id: number) => `/units/${id}/reviews` : undefined,
    // The inspections' lists are not per unit: the list of the caller's inspections, and the year's statistics.
    inspections: av.inspections ? (_id: number) => '/inspections' : undefined,
    violations: av.inspectionViolations ? (_id: number) => '/inspections/stats' : undefined,
    documents: av.documents ? (id: number) => `/units/${id}/documents` : undefined,
  };
}
export type FigureLinks = ReturnType<typeof figureLinks>;
