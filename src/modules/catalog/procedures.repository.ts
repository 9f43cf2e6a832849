import type { Scope } from '../../auth/roles.ts';
import { insertId } from '../../db/helpers.ts';
import { foldForSearch } from '../../lib/text.ts';
import { whereUnitInScope } from '../units/units.scope.ts';
import type {
  FormItem,
  Procedure,
  ProcedureKind,
  ProcedureStatus,
  RecordItem,
  Revision,
  RevisionContent,
  RevisionStatus,
  Signature,
  Step,
} from './catalog.types.ts';
import type { Db } from '../../kernel/db.ts';

const num = (v: unknown): number | null => (v == null ? null : Number(v));
const str = (v: unknown): string | null => (v == null ? null : String(v));

/** The columns a procedure row is read with, joined to its unit and linked TTHC. */
export function procedureQuery(db: Db) {
  return db('procedures as p')
    .join('units as u', 'u.id', 'p.unit_id')
    .leftJoin('tthc as t', 't.id', 'p.tthc_id')
    .select(
      'p.*',
      'u.path as unit_path',
      'u.name as unit_name',
      'u.code as unit_code',
      't.code as tthc_code',
      't.field as tthc_field',
      't.legal_days as tthc_legal_days',
    );
}

export function toProcedure(r: Record<string, unknown>): Procedure {
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitPath: String(r.unit_path),
    unitName: String(r.unit_name),
    unitCode: String(r.unit_code),
    code: String(r.code),
    title: String(r.title),
    kind: r.kind as ProcedureKind,
    tthcId: num(r.tthc_id),
    tthcCode: str(r.tthc_code),
    tthcField: str(r.tthc_field),
    tthcLegalDays: num(r.tthc_legal_days),
    isTemplate: r.is_template === true || r.is_template === 1,
    templateId: num(r.template_id),
    templateRevisionNo: num(r.template_revision_no),
    status: r.status as ProcedureStatus,
    pendingStatus: (r.pending_status as ProcedureStatus | null) ?? null,
    headRevisionId: Number(r.head_revision_id),
    issuedRevisionId: num(r.issued_revision_id),
    revisionNo: num(r.revision_no),
    issueDate: str(r.issue_date),
    lastReviewedOn: str(r.last_reviewed_on),
    totalDays: num(r.total_days),
    carriedFrom: str(r.carried_from_label),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

/** A procedure whose unit lies in the scope, or undefined (the caller answers 404). */
export async function findProcedure(db: Db, id: number, scope: Scope): Promise<Procedure | undefined> {
  const q = procedureQuery(db).where('p.id', id);
  whereUnitInScope(q, 'u.path', scope);
  const row = (await q.first()) as Record<string, unknown> | undefined;
  return row ? toProcedure(row) : undefined;
}

export async function findByCode(db: Db, unitId: number, code: string): Promise<Procedure | undefined> {
  const row = (await procedureQuery(db).where({ 'p.unit_id': unitId, 'p.code': code }).first()) as Record<string, unknown> | undefined;
  return row ? toProcedure(row) : undefined;
}

export async function codeTaken(db: Db, unitId: number, code: string, exceptId?: number): Promise<boolean> {
  const q = db('procedures').where({ unit_id: unitId, code }).first('id');
  if (exceptId !== undefined) q.whereNot('id', exceptId);
  return !!(await q);
}

function signature(r: Record<string, unknown>, who: string): Signature {
  return { userId: num(r[`${who}_by`]), name: str(r[`${who}_name`]), at: str(r[`${who}_at`]) };
}

const signers = ['drafted', 'reviewed', 'approved', 'issued', 'withdrawn'] as const;

function revisionQuery(db: Db) {
  const q = db('procedure_revisions as r').select('r.*').leftJoin('users as upd_u', 'upd_u.id', 'r.updated_by').select('upd_u.full_name as updated_by_name');
  for (const s of signers) q.leftJoin(`users as ${s}_u`, `${s}_u.id`, `r.${s}_by`).select(`${s}_u.full_name as ${s}_name`);
  return q;
}

async function childrenOf(db: Db, revisionId: number): Promise<Pick<RevisionContent, 'steps' | 'forms' | 'records'>> {
  // One after the other: inside a transaction the three share one connection.
  const steps = (await db('procedure_steps').where('revision_id', revisionId).orderBy('position')) as Array<Record<string, unknown>>;
  const forms = (await db('procedure_forms as f')
    .leftJoin('catalog_files as cf', 'cf.id', 'f.file_id')
    .where('f.revision_id', revisionId)
    .orderBy('f.position')
    .select('f.*', 'cf.file_name')) as Array<Record<string, unknown>>;
  const records = (await db('procedure_records').where('revision_id', revisionId).orderBy('position')) as Array<Record<string, unknown>>;
  return {
    steps: steps.map((s): Step => ({ action: String(s.action), responsible: str(s.responsible), days: num(s.days), output: str(s.output) })),
    forms: forms.map((f): FormItem => ({ code: str(f.code), name: String(f.name), fileId: num(f.file_id), fileName: str(f.file_name) })),
    records: records.map((x): RecordItem => ({ name: String(x.name), keeper: str(x.keeper), retention: str(x.retention) })),
  };
}

function toRevision(r: Record<string, unknown>, children: Pick<RevisionContent, 'steps' | 'forms' | 'records'>): Revision {
  return {
    id: Number(r.id),
    procedureId: Number(r.procedure_id),
    revisionNo: Number(r.revision_no),
    status: r.status as RevisionStatus,
    code: String(r.code),
    title: String(r.title),
    kind: r.kind as ProcedureKind,
    tthcId: num(r.tthc_id),
    purpose: str(r.purpose),
    scopeText: str(r.scope_text),
    referencesText: str(r.references_text),
    definitions: str(r.definitions),
    changeSummary: str(r.change_summary),
    reviewNote: str(r.review_note),
    templateRevisionNo: num(r.template_revision_no),
    totalDays: num(r.total_days),
    drafted: signature(r, 'drafted'),
    reviewed: signature(r, 'reviewed'),
    approved: signature(r, 'approved'),
    issued: signature(r, 'issued'),
    withdrawn: signature(r, 'withdrawn'),
    issueDate: str(r.issue_date),
    supersededAt: str(r.superseded_at),
    withdrawReason: str(r.withdraw_reason),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedByName: str(r.updated_by_name),
    ...children,
  };
}

export async function findRevision(db: Db, id: number): Promise<Revision | undefined> {
  const row = (await revisionQuery(db).where('r.id', id).first()) as Record<string, unknown> | undefined;
  return row ? toRevision(row, await childrenOf(db, id)) : undefined;
}

export async function findRevisionByNo(db: Db, procedureId: number, no: number): Promise<Revision | undefined> {
  const row = (await revisionQuery(db).where({ 'r.procedure_id': procedureId, 'r.revision_no': no }).first()) as Record<string, unknown> | undefined;
  return row ? toRevision(row, await childrenOf(db, Number(row.id))) : undefined;
}

/** Every revision of a procedure, newest first, without steps (for the history table). */
export async function revisionsOf(db: Db, procedureId: number): Promise<Revision[]> {
  const rows = (await revisionQuery(db).where('r.procedure_id', procedureId).orderBy('r.revision_no', 'desc')) as Array<Record<string, unknown>>;
  return rows.map((r) => toRevision(r, { steps: [], forms: [], records: [] }));
}

export function totalDays(steps: Step[]): number | null {
  const days = steps.map((s) => s.days).filter((d): d is number => d !== null);
  return days.length ? Math.round(days.reduce((a, b) => a + b, 0) * 100) / 100 : null;
}

function contentRow(c: RevisionContent): Record<string, unknown> {
  return {
    code: c.code,
    title: c.title,
    kind: c.kind,
    tthc_id: c.tthcId,
    purpose: c.purpose,
    scope_text: c.scopeText,
    references_text: c.referencesText,
    definitions: c.definitions,
    change_summary: c.changeSummary,
    total_days: totalDays(c.steps),
  };
}

async function writeChildren(trx: Db, revisionId: number, c: RevisionContent, at: string): Promise<void> {
  const stamp = { revision_id: revisionId, created_at: at, updated_at: at };
  if (c.steps.length)
    await trx('procedure_steps').insert(
      c.steps.map((s, i) => ({ ...stamp, position: i + 1, action: s.action, responsible: s.responsible, days: s.days, output: s.output })),
    );
  if (c.forms.length)
    await trx('procedure_forms').insert(c.forms.map((f, i) => ({ ...stamp, position: i + 1, code: f.code, name: f.name, file_id: f.fileId })));
  if (c.records.length)
    await trx('procedure_records').insert(c.records.map((x, i) => ({ ...stamp, position: i + 1, name: x.name, keeper: x.keeper, retention: x.retention })));
}

export async function insertRevision(
  trx: Db,
  procedureId: number,
  revisionNo: number,
  c: RevisionContent,
  extra: Record<string, unknown>,
  at: string,
): Promise<number> {
  const id = await insertId(
    trx('procedure_revisions').insert({
      ...contentRow(c),
      ...extra,
      procedure_id: procedureId,
      revision_no: revisionNo,
      status: 'draft',
      version: 1,
      created_at: at,
      updated_at: at,
    }),
  );
  await writeChildren(trx, id, c, at);
  return id;
}

/**
 * Replaces a draft's content if it is still at `version` (optimistic concurrency): the version
 * check and the bump are one UPDATE, so of two saves from the same version only one wins.
 */
export async function replaceDraftContent(trx: Db, revisionId: number, version: number, c: RevisionContent, userId: number, at: string): Promise<boolean> {
  const n = await trx('procedure_revisions')
    .where({ id: revisionId, version })
    .whereIn('status', ['draft'])
    .update({ ...contentRow(c), version: version + 1, updated_by: userId, updated_at: at });
  if (n !== 1) return false;
  for (const t of ['procedure_steps', 'procedure_forms', 'procedure_records']) await trx(t).where('revision_id', revisionId).del();
  await writeChildren(trx, revisionId, c, at);
  return true;
}

export async function updateRevision(trx: Db, id: number, patch: Record<string, unknown>, at: string): Promise<void> {
  await trx('procedure_revisions')
    .where('id', id)
    .update({ ...patch, updated_at: at });
}

/**
 * A life-cycle step on a revision still at `version` and `status` (then bumps the version): of
 * two people pressing the same button at once, only the first one's step is taken.
 */
export async function stepRevision(trx: Db, id: number, version: number, status: string, patch: Record<string, unknown>, at: string): Promise<boolean> {
  const n = await trx('procedure_revisions')
    .where({ id, version, status })
    .update({ ...patch, version: version + 1, updated_at: at });
  return n === 1;
}

export interface ProcedureInsert {
  unitId: number;
  isTemplate: boolean;
  templateId: number | null;
  templateRevisionNo: number | null;
  createdBy: number;
}

export async function insertProcedure(
  trx: Db,
  p: ProcedureInsert,
  c: RevisionContent,
  tthcText: string | null,
  at: string,
): Promise<{ id: number; revisionId: number }> {
  const id = await insertId(
    trx('procedures').insert({
      unit_id: p.unitId,
      code: c.code,
      title: c.title,
      kind: c.kind,
      tthc_id: c.tthcId,
      is_template: p.isTemplate,
      template_id: p.templateId,
      template_revision_no: p.templateRevisionNo,
      status: 'draft',
      pending_status: 'draft',
      head_revision_id: 0,
      total_days: totalDays(c.steps),
      search_text: searchText(c, tthcText),
      created_by: p.createdBy,
      created_at: at,
      updated_at: at,
    }),
  );
  const revisionId = await insertRevision(trx, id, 1, c, { template_revision_no: p.templateRevisionNo, updated_by: p.createdBy }, at);
  await trx('procedures').where('id', id).update({ head_revision_id: revisionId });
  return { id, revisionId };
}

/** The folded text a search matches: code, title, and the linked TTHC's code and name. */
export function searchText(c: Pick<RevisionContent, 'code' | 'title'>, tthcText: string | null): string {
  return foldForSearch(`${c.code} ${c.title} ${tthcText ?? ''}`).slice(0, 1200);
}

export async function updateProcedure(trx: Db, id: number, patch: Record<string, unknown>, at: string): Promise<void> {
  await trx('procedures')
    .where('id', id)
    .update({ ...patch, updated_at: at });
}

/** Only a revision that was never issued is ever deleted (document control keeps the rest). */
export async function deleteDraftRevision(trx: Db, revisionId: number): Promise<void> {
  await trx('procedure_revisions').where({ id: revisionId }).whereIn('status', ['draft', 'in_review', 'approved']).del();
}

export async function deleteNeverIssued(trx: Db, procedureId: number): Promise<void> {
  await trx('procedure_revisions').where('procedure_id', procedureId).del();
  await trx('procedures').where({ id: procedureId }).whereNull('issued_revision_id').del();
}

/**
 * The content of many revisions at once (for exports): four queries per 500 revisions instead of
 * four per revision.
 */
export async function contentsOf(db: Db, revisionIds: number[]): Promise<Map<number, Revision>> {
  const out = new Map<number, Revision>();
  for (let i = 0; i < revisionIds.length; i += 500) {
    const ids = revisionIds.slice(i, i + 500);
    const revs = (await revisionQuery(db).whereIn('r.id', ids)) as Array<Record<string, unknown>>;
    const steps = (await db('procedure_steps').whereIn('revision_id', ids).orderBy(['revision_id', 'position'])) as Array<Record<string, unknown>>;
    const forms = (await db('procedure_forms as f')
      .leftJoin('catalog_files as cf', 'cf.id', 'f.file_id')
      .whereIn('f.revision_id', ids)
      .orderBy(['f.revision_id', 'f.position'])
      .select('f.*', 'cf.file_name')) as Array<Record<string, unknown>>;
    const records = (await db('procedure_records').whereIn('revision_id', ids).orderBy(['revision_id', 'position'])) as Array<Record<string, unknown>>;
    const group = (rows: Array<Record<string, unknown>>) => {
      const m = new Map<number, Array<Record<string, unknown>>>();
      for (const r of rows) {
        const list = m.get(Number(r.revision_id));
        if (list) list.push(r);
        else m.set(Number(r.revision_id), [r]);
      }
      return m;
    };
    const [gs, gf, gr] = [group(steps), group(forms), group(records)];
    for (const r of revs) {
      const id = Number(r.id);
      out.set(
        id,
        toRevision(r, {
          steps: (gs.get(id) ?? []).map((s): Step => ({ action: String(s.action), responsible: str(s.responsible), days: num(s.days), output: str(s.output) })),
          forms: (gf.get(id) ?? []).map((f): FormItem => ({ code: str(f.code), name: String(f.name), fileId: num(f.file_id), fileName: str(f.file_name) })),
          records: (gr.get(id) ?? []).map((x): RecordItem => ({ name: String(x.name), keeper: str(x.keeper), retention: str(x.retention) })),
        }),
      );
    }
  }
  return out;
}

/** Active users who write the unit's procedures from a role on the unit itself: its officers, or a province's coordinators. */
export async function activeWriters(db: Db, unitId: number): Promise<number> {
  const row = (await db('user_roles as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where({ 'r.unit_id': unitId, 'u.is_active': true })
    .whereIn('r.role', ['officer', 'coordinator'])
    .countDistinct({ n: 'u.id' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** The unit's copies of templates: template id -> the copy's id. */
export async function templateCopiesOf(db: Db, unitId: number): Promise<Map<number, number>> {
  const rows = (await db('procedures').where('unit_id', unitId).whereNotNull('template_id').select('id', 'template_id')) as Array<{
    id: number;
    template_id: number;
  }>;
  return new Map(rows.map((c) => [Number(c.template_id), Number(c.id)]));
}
