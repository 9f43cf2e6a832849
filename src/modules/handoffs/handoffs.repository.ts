import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import type { HandoffKind } from '../../kernel/handoff.ts';
import { whereUnitInScope } from '../units/units.scope.ts';

/** One step waiting: of which record and unit, since when, and the page where it is taken. */
export interface Handoff {
  kind: HandoffKind;
  recordId: number;
  title: string;
  unitId: number;
  unitName: string;
  since: string;
  link: string;
}

type Row = Record<string, unknown>;
/** The most steps of one kind read for one page; the block says when there are more. */
export const handoffLimit = 20;

const common = (r: Row) => ({ recordId: Number(r.id), unitId: Number(r.unit_id), unitName: String(r.unit_name), since: String(r.since ?? '') });

/** Revisions of procedures in review or approved, not drafted by `userId`, in the scope. */
async function revisions(db: Knex, scope: Scope, userId: number, where: (q: Knex.QueryBuilder) => void): Promise<Row[]> {
  const q = db('procedure_revisions as r')
    .join('procedures as p', 'p.id', 'r.procedure_id')
    .join('units as u', 'u.id', 'p.unit_id')
    .where((w) => w.whereNull('r.drafted_by').orWhereNot('r.drafted_by', userId))
    .orderBy('r.updated_at')
    .limit(handoffLimit)
    .select('p.id', 'r.code', 'r.title', 'r.revision_no', 'r.updated_at as since', 'u.id as unit_id', 'u.name as unit_name');
  where(q);
  return (await whereUnitInScope(q, 'u.path', scope)) as Row[];
}

const procedureItem = (kind: HandoffKind) => (r: Row) => ({
  kind,
  ...common(r),
  title: `${String(r.code)} ${String(r.title)} (lần ${Number(r.revision_no)})`,
  link: `/procedures/${Number(r.id)}`,
});

export function toReview(db: Knex, scope: Scope, userId: number): Promise<Handoff[]> {
  return revisions(db, scope, userId, (q) => q.where('r.status', 'in_review').whereNull('r.reviewed_by')).then((rows) =>
    rows.map(procedureItem('review_procedure')),
  );
}

/** Reviewed and waiting for the leader's signature; the reviewer does not approve their own review either. */
export function toApprove(db: Knex, scope: Scope, userId: number): Promise<Handoff[]> {
  return revisions(db, scope, userId, (q) => q.where('r.status', 'in_review').whereNotNull('r.reviewed_by').whereNot('r.reviewed_by', userId)).then((rows) =>
    rows.map(procedureItem('approve_procedure')),
  );
}

/** Approved revisions wait for the officer who issues them; the drafter may issue (the leader has signed). */
export async function toIssue(db: Knex, scope: Scope): Promise<Handoff[]> {
  const q = db('procedure_revisions as r')
    .join('procedures as p', 'p.id', 'r.procedure_id')
    .join('units as u', 'u.id', 'p.unit_id')
    .where('r.status', 'approved')
    .orderBy('r.approved_at')
    .limit(handoffLimit)
    .select('p.id', 'r.code', 'r.title', 'r.revision_no', 'r.approved_at as since', 'u.id as unit_id', 'u.name as unit_name');
  return ((await whereUnitInScope(q, 'u.path', scope)) as Row[]).map(procedureItem('issue_procedure'));
}

export async function documentsIn(db: Knex, scope: Scope, status: 'draft' | 'approved'): Promise<Array<Handoff & { type: string; numberText: string }>> {
  const q = db('documents as d')
    .join('units as u', 'u.id', 'd.unit_id')
    .where('d.status', status)
    .orderBy('d.updated_at')
    .limit(handoffLimit)
    .select('d.id', 'd.type', 'd.number_text', 'd.updated_at as since', 'u.id as unit_id', 'u.name as unit_name');
  return ((await whereUnitInScope(q, 'u.path', scope)) as Row[]).map((r) => ({
    kind: status === 'draft' ? ('approve_document' as const) : ('issue_document' as const),
    ...common(r),
    type: String(r.type),
    numberText: String(r.number_text ?? ''),
    title: '',
    link: `/documents/${Number(r.id)}`,
  }));
}

/** Submitted checks without the leader's sign-off; an auditor of the check does not sign it off. */
export async function toSign(db: Knex, scope: Scope, userId: number): Promise<Array<Handoff & { formJson: string }>> {
  const q = db('checks as k')
    .join('units as u', 'u.id', 'k.unit_id')
    .where('k.status', 'submitted')
    .whereNull('k.signed_off_at')
    .where((w) => w.whereNull('k.submitted_by').orWhereNot('k.submitted_by', userId))
    .whereNotExists((s) => s.select(db.raw('1')).from('check_auditors as ca').whereRaw('ca.check_id = k.id').where('ca.user_id', userId))
    .orderBy('k.submitted_at')
    .limit(handoffLimit)
    .select('k.id', 'k.form_json', 'k.check_date', 'k.submitted_at as since', 'u.id as unit_id', 'u.name as unit_name');
  return ((await whereUnitInScope(q, 'u.path', scope)) as Row[]).map((r) => ({
    kind: 'sign_check' as const,
    ...common(r),
    formJson: String(r.form_json),
    title: '',
    link: `/checks/${Number(r.id)}`,
  }));
}

/** Open findings of submitted checks with no corrective action recorded yet. */
export async function findingsWithoutAction(db: Knex, scope: Scope): Promise<Handoff[]> {
  const q = db('check_findings as f')
    .join('checks as k', 'k.id', 'f.check_id')
    .join('units as u', 'u.id', 'k.unit_id')
    .where('f.status', 'open')
    .whereNull('f.deleted_at')
    .where('k.status', 'submitted')
    .whereNotExists((s) => s.select(db.raw('1')).from('corrective_actions as a').whereRaw('a.finding_id = f.id').whereNull('a.deleted_at'))
    .orderBy('f.created_at')
    .limit(handoffLimit)
    .select('f.id', 'f.clause_ref', 'f.severity', 'f.created_at as since', 'u.id as unit_id', 'u.name as unit_name');
  return ((await whereUnitInScope(q, 'u.path', scope)) as Row[]).map((r) => ({
    kind: 'action_for_finding' as const,
    ...common(r),
    title: `#${Number(r.id)} ${String(r.clause_ref)}`,
    link: `/findings/${Number(r.id)}`,
  }));
}

/** Actions marked done, waiting for someone other than their owner to verify them (ISO 9001 10.2). */
export async function toVerify(db: Knex, scope: Scope, userId: number): Promise<Handoff[]> {
  const q = db('corrective_actions as a')
    .join('units as u', 'u.id', 'a.unit_id')
    .where('a.status', 'done')
    .whereNull('a.deleted_at')
    .whereNot('a.owner_id', userId)
    .orderBy('a.done_at')
    .limit(handoffLimit)
    .select('a.id', 'a.finding_id', 'a.action', 'a.done_at as since', 'u.id as unit_id', 'u.name as unit_name');
  return ((await whereUnitInScope(q, 'u.path', scope)) as Row[]).map((r) => ({
    kind: 'verify_action' as const,
    ...common(r),
    title: String(r.action ?? ''),
    link: `/findings/${Number(r.finding_id)}`,
  }));
}
