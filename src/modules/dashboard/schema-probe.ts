import type { Knex } from 'knex';

/**
 * Which tables and columns of the other areas exist in this database. The dashboards read the
 * tables of corrective actions, reviews, inspections and documents, which other modules own and
 * add with their own migrations; a figure whose data does not exist is "unknown", never an error.
 * Asked once per database (knex instance) and kept: migrations run before the app serves.
 */
export interface Available {
  findingStatus: boolean;
  findingDeleted: boolean;
  correctiveActions: boolean;
  actionsDeleted: boolean;
  managementReviews: boolean;
  reviewsDeleted: boolean;
  auditProgrammes: boolean;
  inspections: boolean;
  inspectionsDeleted: boolean;
  inspectionViolations: boolean;
  documents: boolean;
  documentsDeleted: boolean;
  declaredOn: boolean;
}

const cache = new WeakMap<Knex, Promise<Available>>();

async function look(db: Knex): Promise<Available> {
  // A fresh schema builder per question: one builder queues every call made on it.
  const s = { hasTable: (t: string) => db.schema.hasTable(t), hasColumn: (t: string, c: string) => db.schema.hasColumn(t, c) };
  const [findings, actions, reviews, programmes, programmeItems, inspections, violations, documents] = await Promise.all(
    ['check_findings', 'corrective_actions', 'management_reviews', 'audit_programmes', 'audit_programme_items', 'inspections', 'inspection_violations', 'documents']
      .map((t) => s.hasTable(t)),
  );
  const col = async (ok: boolean | undefined, table: string, column: string) => !!ok && (await s.hasColumn(table, column));
  const need = {
    actions: ['unit_id', 'due_date', 'status'], reviews: ['unit_id', 'review_date', 'status'], inspections: ['unit_id', 'inspection_date'],
    documents: ['unit_id', 'type', 'status', 'year', 'issue_date'],
  };
  const all = async (ok: boolean | undefined, table: string, cols: string[]) => {
    for (const c of cols) if (!(await col(ok, table, c))) return false;
    return !!ok;
  };
  return {
    findingStatus: await col(findings, 'check_findings', 'status'),
    findingDeleted: await col(findings, 'check_findings', 'deleted_at'),
    correctiveActions: await all(actions, 'corrective_actions', need.actions),
    actionsDeleted: await col(actions, 'corrective_actions', 'deleted_at'),
    managementReviews: await all(reviews, 'management_reviews', need.reviews),
    reviewsDeleted: await col(reviews, 'management_reviews', 'deleted_at'),
    auditProgrammes: !!programmes && (await all(programmeItems, 'audit_programme_items', ['programme_id', 'unit_id', 'planned_month'])),
    inspections: await all(inspections, 'inspections', need.inspections),
    inspectionsDeleted: await col(inspections, 'inspections', 'deleted_at'),
    inspectionViolations: !!inspections && (await all(violations, 'inspection_violations', ['inspection_id', 'unit_id'])),
    documents: await all(documents, 'documents', need.documents),
    documentsDeleted: await col(documents, 'documents', 'deleted_at'),
    declaredOn: await s.hasColumn('units', 'iso_declared_on'),
  };
}

export function available(db: Knex): Promise<Available> {
  let p = cache.get(db);
  if (!p) {
    p = look(db);
    // A failed look (database briefly down) is asked again next time rather than kept.
    p.catch(() => cache.delete(db));
    cache.set(db, p);
  }
  return p;
}
