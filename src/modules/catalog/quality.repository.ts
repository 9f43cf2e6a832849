import { insertId } from '../../db/helpers.ts';
import type { QualityObjective, QualityPolicy } from './catalog.types.ts';
import type { Db } from '../../kernel/db.ts';

function toObjective(r: Record<string, unknown>): QualityObjective {
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    year: Number(r.year),
    objective: String(r.objective),
    measure: (r.measure as string | null) ?? null,
    target: String(r.target),
    actual: (r.actual as string | null) ?? null,
    achieved: r.achieved == null ? null : r.achieved === true || r.achieved === 1,
  };
}

export async function policyOf(db: Db, unitId: number): Promise<QualityPolicy | undefined> {
  const r = (await db('quality_policies').where('unit_id', unitId).first()) as Record<string, unknown> | undefined;
  return r ? { unitId, text: String(r.text), issuedOn: (r.issued_on as string | null) ?? null, updatedAt: String(r.updated_at) } : undefined;
}

export async function savePolicy(trx: Db, unitId: number, text: string, issuedOn: string | null, userId: number, at: string): Promise<void> {
  await trx('quality_policies')
    .insert({ unit_id: unitId, text, issued_on: issuedOn, updated_by: userId, created_at: at, updated_at: at })
    .onConflict('unit_id')
    .merge({ text, issued_on: issuedOn, updated_by: userId, updated_at: at });
}

export async function objectivesOf(db: Db, unitId: number, year?: number): Promise<QualityObjective[]> {
  const q = db('quality_objectives')
    .where('unit_id', unitId)
    .orderBy([{ column: 'year', order: 'desc' }, { column: 'id' }]);
  if (year !== undefined) q.where('year', year);
  return ((await q) as Array<Record<string, unknown>>).map(toObjective);
}

export async function findObjective(db: Db, unitId: number, id: number): Promise<QualityObjective | undefined> {
  const r = (await db('quality_objectives').where({ unit_id: unitId, id }).first()) as Record<string, unknown> | undefined;
  return r ? toObjective(r) : undefined;
}

type ObjectiveData = Omit<QualityObjective, 'id' | 'unitId'>;

function row(d: ObjectiveData) {
  return { year: d.year, objective: d.objective, measure: d.measure, target: d.target, actual: d.actual, achieved: d.achieved };
}

export async function insertObjective(trx: Db, unitId: number, d: ObjectiveData, at: string): Promise<number> {
  return insertId(trx('quality_objectives').insert({ ...row(d), unit_id: unitId, created_at: at, updated_at: at }));
}

export async function updateObjective(trx: Db, id: number, d: ObjectiveData, at: string): Promise<void> {
  await trx('quality_objectives')
    .where('id', id)
    .update({ ...row(d), updated_at: at });
}

export async function deleteObjective(trx: Db, id: number): Promise<void> {
  await trx('quality_objectives').where('id', id).del();
}
