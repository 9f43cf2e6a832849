import type { Knex } from 'knex';
import type { Scope } from '../../auth/roles.ts';
import { insertId, toCount, wherePathPrefix } from '../../db/helpers.ts';
import { offsetOf, pageOf, type Page } from '../../kernel/pagination.ts';
import type { Severity } from '../../plugins/contract.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import { finishedStatuses, type ActionStatus, type FindingStatus } from './actions.logic.ts';
import type { Db } from '../../kernel/db.ts';

export interface FindingRow {
  id: number;
  checkId: number;
  checkDate: string;
  formId: string;
  unitId: number;
  unitName: string;
  unitPath: string;
  sectionId: string;
  itemId: string;
  severity: Severity;
  clauseRef: string;
  answer: string | null;
  description: string | null;
  source: string;
  status: FindingStatus;
  closedAt: string | null;
  closedByName: string | null;
  createdAt: string;
  /** Actions recorded on the finding (not removed), and how many of them were verified. */
  actions: number;
  verifiedActions: number;
}

export interface ActionRow {
  id: number;
  findingId: number;
  unitId: number;
  unitName: string;
  unitPath: string;
  cause: string;
  action: string;
  ownerId: number;
  ownerName: string;
  ownerUsername: string;
  dueDate: string;
  status: ActionStatus;
  doneAt: string | null;
  verifiedBy: number | null;
  verifiedByName: string | null;
  verifiedAt: string | null;
  verificationNote: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Of the finding: what the action answers. */
  severity: Severity;
  clauseRef: string;
  findingStatus: FindingStatus;
  checkId: number;
  checkDate: string;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const actionCounts = (db: Db) =>
  db('corrective_actions')
    .whereNull('deleted_at')
    .groupBy('finding_id')
    .select('finding_id', db.raw('count(*) as n'), db.raw("sum(case when status = 'verified' then 1 else 0 end) as verified"))
    .as('ac');

function findingQuery(db: Db) {
  return db('check_findings as f')
    .join('checks as c', 'c.id', 'f.check_id')
    .join('units as u', 'u.id', 'c.unit_id')
    .leftJoin('users as cb', 'cb.id', 'f.closed_by')
    .leftJoin(actionCounts(db), 'ac.finding_id', 'f.id')
    .whereNull('f.deleted_at')
    .select(
      'f.id',
      'f.check_id',
      'c.check_date',
      'c.form_id',
      'c.unit_id',
      'u.name as unit_name',
      'u.path as unit_path',
      'f.section_id',
      'f.item_id',
      'f.severity',
      'f.clause_ref',
      'f.answer',
      'f.description',
      'f.source',
      'f.status',
      'f.closed_at',
      'cb.full_name as closed_by_name',
      'f.created_at',
      'ac.n as action_count',
      'ac.verified as verified_count',
    );
}

function toFinding(r: Record<string, unknown>): FindingRow {
  return {
    id: Number(r.id),
    checkId: Number(r.check_id),
    checkDate: String(r.check_date),
    formId: String(r.form_id),
    unitId: Number(r.unit_id),
    unitName: String(r.unit_name),
    unitPath: String(r.unit_path),
    sectionId: String(r.section_id),
    itemId: String(r.item_id),
    severity: r.severity as Severity,
    clauseRef: String(r.clause_ref),
    answer: str(r.answer),
    description: str(r.description),
    source: String(r.source),
    status: (r.status as FindingStatus | null) ?? 'open',
    closedAt: str(r.closed_at),
    closedByName: str(r.closed_by_name),
    createdAt: String(r.created_at),
    actions: toCount(r.action_count),
    verifiedActions: toCount(r.verified_count),
  };
}

export async function findFinding(db: Db, id: number): Promise<FindingRow | undefined> {
  const row = (await findingQuery(db).where('f.id', id).first()) as Record<string, unknown> | undefined;
  return row ? toFinding(row) : undefined;
}

export interface FindingFilter {
  scope: Scope;
  /** A unit and its subtree. */
  unitPath?: string;
  checkId?: number;
  status?: FindingStatus;
  severity?: Severity;
  page: number;
  pageSize: number;
}

export async function listFindings(db: Db, f: FindingFilter): Promise<Page<FindingRow>> {
  const where = (q: Knex.QueryBuilder) => {
    whereUnitInScope(q, 'u.path', f.scope);
    if (f.unitPath) wherePathPrefix(q, 'u.path', f.unitPath);
    if (f.checkId) q.where('f.check_id', f.checkId);
    if (f.status) q.where('f.status', f.status);
    if (f.severity) q.where('f.severity', f.severity);
    return q;
  };
  const count = where(db('check_findings as f').join('checks as c', 'c.id', 'f.check_id').join('units as u', 'u.id', 'c.unit_id').whereNull('f.deleted_at'));
  const n = ((await count.count({ n: '*' })) as Array<{ n: unknown }>)[0]?.n;
  const rows = (await where(findingQuery(db))
    .orderBy([
      { column: 'c.check_date', order: 'desc' },
      { column: 'f.id', order: 'desc' },
    ])
    .limit(f.pageSize)
    .offset(offsetOf(f.page, f.pageSize))) as Array<Record<string, unknown>>;
  return pageOf(rows.map(toFinding), toCount(n), f.page, f.pageSize);
}

export async function closeFinding(db: Db, id: number, userId: number, at: string): Promise<number> {
  return db('check_findings').where({ id, status: 'open' }).update({ status: 'closed', closed_at: at, closed_by: userId });
}

function actionQuery(db: Db) {
  return db('corrective_actions as a')
    .join('check_findings as f', 'f.id', 'a.finding_id')
    .join('checks as c', 'c.id', 'f.check_id')
    .join('units as u', 'u.id', 'a.unit_id')
    .join('users as o', 'o.id', 'a.owner_id')
    .leftJoin('users as vb', 'vb.id', 'a.verified_by')
    .whereNull('a.deleted_at')
    .select(
      'a.id',
      'a.finding_id',
      'a.unit_id',
      'u.name as unit_name',
      'u.path as unit_path',
      'a.cause',
      'a.action',
      'a.owner_id',
      'o.full_name as owner_name',
      'o.username as owner_username',
      'a.due_date',
      'a.status',
      'a.done_at',
      'a.verified_by',
      'vb.full_name as verified_by_name',
      'a.verified_at',
      'a.verification_note',
      'a.version',
      'a.created_at',
      'a.updated_at',
      'f.severity',
      'f.clause_ref',
      'f.status as finding_status',
      'f.check_id',
      'c.check_date',
    );
}

function toAction(r: Record<string, unknown>): ActionRow {
  return {
    id: Number(r.id),
    findingId: Number(r.finding_id),
    unitId: Number(r.unit_id),
    unitName: String(r.unit_name),
    unitPath: String(r.unit_path),
    cause: String(r.cause),
    action: String(r.action),
    ownerId: Number(r.owner_id),
    ownerName: String(r.owner_name),
    ownerUsername: String(r.owner_username),
    dueDate: String(r.due_date),
    status: r.status as ActionStatus,
    doneAt: str(r.done_at),
    verifiedBy: r.verified_by == null ? null : Number(r.verified_by),
    verifiedByName: str(r.verified_by_name),
    verifiedAt: str(r.verified_at),
    verificationNote: str(r.verification_note),
    version: Number(r.version),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    severity: r.severity as Severity,
    clauseRef: String(r.clause_ref),
    findingStatus: (r.finding_status as FindingStatus | null) ?? 'open',
    checkId: Number(r.check_id),
    checkDate: String(r.check_date),
  };
}

export async function findAction(db: Db, id: number): Promise<ActionRow | undefined> {
  const row = (await actionQuery(db).where('a.id', id).first()) as Record<string, unknown> | undefined;
  return row ? toAction(row) : undefined;
}

export async function actionsOfFinding(db: Db, findingId: number): Promise<ActionRow[]> {
  const rows = (await actionQuery(db).where('a.finding_id', findingId).orderBy('a.id')) as Array<Record<string, unknown>>;
  return rows.map(toAction);
}

export interface ActionFilter {
  scope: Scope;
  unitPath?: string;
  findingId?: number;
  status?: ActionStatus;
  severity?: Severity;
  ownerId?: number;
  /** Only overdue actions as of this day. */
  overdueOn?: string;
  /** Only actions whose work is not finished (open, in progress, reopened). */
  unfinished?: boolean;
  page: number;
  pageSize: number;
}

export async function listActions(db: Db, f: ActionFilter): Promise<Page<ActionRow>> {
  const where = (q: Knex.QueryBuilder) => {
    whereUnitInScope(q, 'u.path', f.scope);
    if (f.unitPath) wherePathPrefix(q, 'u.path', f.unitPath);
    if (f.findingId) q.where('a.finding_id', f.findingId);
    if (f.status) q.where('a.status', f.status);
    if (f.severity) q.where('f.severity', f.severity);
    if (f.ownerId) q.where('a.owner_id', f.ownerId);
    if (f.overdueOn) q.where('a.due_date', '<', f.overdueOn);
    if (f.overdueOn || f.unfinished) q.whereNotIn('a.status', finishedStatuses as ActionStatus[]);
    return q;
  };
  const count = where(
    db('corrective_actions as a').join('check_findings as f', 'f.id', 'a.finding_id').join('units as u', 'u.id', 'a.unit_id').whereNull('a.deleted_at'),
  );
  const n = ((await count.count({ n: '*' })) as Array<{ n: unknown }>)[0]?.n;
  const rows = (await where(actionQuery(db))
    .orderBy([
      { column: 'a.due_date', order: 'asc' },
      { column: 'a.id', order: 'asc' },
    ])
    .limit(f.pageSize)
    .offset(offsetOf(f.page, f.pageSize))) as Array<Record<string, unknown>>;
  return pageOf(rows.map(toAction), toCount(n), f.page, f.pageSize);
}

export interface ActionValues {
  cause: string;
  action: string;
  ownerId: number;
  dueDate: string;
}

export async function insertAction(db: Db, findingId: number, unitId: number, v: ActionValues, userId: number, at: string): Promise<number> {
  return insertId(
    db('corrective_actions').insert({
      finding_id: findingId,
      unit_id: unitId,
      cause: v.cause,
      action: v.action,
      owner_id: v.ownerId,
      due_date: v.dueDate,
      status: 'open',
      created_by: userId,
      version: 1,
      created_at: at,
      updated_at: at,
    }),
  );
}

/** Updates an action only if it is still at the version the caller saw (0 rows otherwise). */
export async function updateAction(db: Db, id: number, version: number, changes: Record<string, unknown>, at: string): Promise<number> {
  return db('corrective_actions')
    .where({ id, version })
    .whereNull('deleted_at')
    .update({ ...changes, version: version + 1, updated_at: at });
}

/** Reminder reads: unfinished actions of every unit whose due date falls in a range (inclusive). */
export async function unfinishedDueBetween(db: Db, from: string | null, to: string): Promise<ActionRow[]> {
  const q = actionQuery(db)
    .whereNotIn('a.status', finishedStatuses as ActionStatus[])
    .where('a.due_date', '<=', to);
  if (from) q.where('a.due_date', '>=', from);
  const rows = (await q.orderBy([
    { column: 'a.due_date', order: 'asc' },
    { column: 'a.id', order: 'asc' },
  ])) as Array<Record<string, unknown>>;
  return rows.map(toAction);
}

export interface ActionMove {
  to: ActionStatus;
  /** Who verified (or reopened) it, with the note. */
  verification?: { by: number; note: string | null };
}

/**
 * Moves an action on, conditional on the version and status read before: of two moves at once,
 * the second finds it changed (false).
 */
export async function moveAction(trx: Db, id: number, read: { version: number; status: ActionStatus }, m: ActionMove, at: string): Promise<boolean> {
  const changes: Record<string, unknown> = { status: m.to };
  if (m.to === 'done') changes.done_at = at;
  if (m.verification) Object.assign(changes, { verified_by: m.verification.by, verified_at: at, verification_note: m.verification.note });
  const n = await trx('corrective_actions')
    .where({ id, version: read.version, status: read.status })
    .whereNull('deleted_at')
    .update({ ...changes, version: read.version + 1, updated_at: at });
  return n > 0;
}
