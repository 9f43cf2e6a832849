/** Where each figure of the dashboard leads: the list behind it. */
export const figureLinks = {
  unit: (id: number) => `/units/${id}`,
  audits: (id: number) => `/units/${id}/checks`,
  majors: (id: number) => `/units/${id}/checks`,
  readiness: (id: number) => `/units/${id}/readiness`,
  onTime: (id: number) => `/units/${id}/on-time`,
  scope: (id: number) => `/units/${id}/tthc`,
  procedures: (id: number) => `/units/${id}/catalog`,
  declaration: (id: number) => `/units/${id}`,
  actions: (id: number) => `/units/${id}/actions`,
  reviews: (id: number) => `/units/${id}/reviews`,
  // The inspections' lists are not per unit: the list of the caller's inspections, and the year's statistics.
  inspections: (_id: number) => '/inspections',
  violations: (_id: number) => '/inspections/stats',
  documents: (id: number) => `/units/${id}/documents`,
  satisfaction: (id: number) => `/units/${id}/satisfaction`,
};
