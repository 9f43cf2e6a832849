import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import { foldForSearch } from '../../lib/text.ts';

/** The queries of each unit's staff list (unit_officials). */

export interface Official {
  id: number;
  unitId: number;
  fullName: string;
  position: string;
  department: string | null;
  badgeNo: string | null;
  active: boolean;
}

/** What a person on the list is entered with. */
export interface OfficialFields {
  fullName: string;
  position: string;
  department?: string;
  badgeNo?: string;
}

/** The same person in a unit: the same name and position, however accented or spaced. */
export const personKey = (fullName: string, position: string) => `${foldForSearch(fullName)}|${foldForSearch(position)}`;

function toOfficial(r: Record<string, unknown>): Official {
  return {
    id: Number(r.id),
    unitId: Number(r.unit_id),
    fullName: String(r.full_name),
    position: String(r.position),
    department: (r.department as string | null) ?? null,
    badgeNo: (r.badge_no as string | null) ?? null,
    active: !!r.active,
  };
}

/** Active officials of a unit, in list order (used by inspections for the attendance). */
export async function activeOfficials(db: Db, unitId: number): Promise<Official[]> {
  // By the folded name, so that Đặng sorts with D as Vietnamese readers expect (not after Z).
  const rows = (await db('unit_officials')
    .where({ unit_id: unitId, active: true })
    .whereNull('deleted_at')
    .orderBy([{ column: 'person_key' }, { column: 'id' }])
    .select()) as Array<Record<string, unknown>>;
  return rows.map(toOfficial);
}

/** A unit's whole list, those still working first. */
export async function officialsOf(db: Db, unitId: number): Promise<Official[]> {
  const rows = (await db('unit_officials')
    .where('unit_id', unitId)
    .whereNull('deleted_at')
    .orderBy([{ column: 'active', order: 'desc' }, { column: 'person_key' }, { column: 'id' }])
    .select()) as Array<Record<string, unknown>>;
  return rows.map(toOfficial);
}

export async function findOfficial(db: Db, id: number): Promise<Official | undefined> {
  const row = (await db('unit_officials').where('id', id).whereNull('deleted_at').first()) as Record<string, unknown> | undefined;
  return row ? toOfficial(row) : undefined;
}

/** Which of a person's fields an active official of the unit already has: the name and position, or the badge. */
export async function sameActiveOfficial(db: Db, unitId: number, d: OfficialFields, exceptId?: number): Promise<'person' | 'badge' | undefined> {
  const q = db('unit_officials').where({ unit_id: unitId, active: true }).whereNull('deleted_at');
  if (exceptId) q.whereNot('id', exceptId);
  if (await q.clone().where('person_key', personKey(d.fullName, d.position)).first('id')) return 'person';
  if (d.badgeNo && (await q.clone().where('badge_no', d.badgeNo).first('id'))) return 'badge';
  return undefined;
}

function columnsOf(d: OfficialFields, at: string) {
  return {
    full_name: d.fullName,
    position: d.position,
    department: d.department ?? null,
    badge_no: d.badgeNo ?? null,
    person_key: personKey(d.fullName, d.position),
    updated_at: at,
  };
}

export function insertOfficial(trx: Db, unitId: number, d: OfficialFields, at: string): Promise<number> {
  return insertId(trx('unit_officials').insert({ unit_id: unitId, ...columnsOf(d, at), active: true, created_at: at }));
}

export async function updateOfficial(trx: Db, id: number, d: OfficialFields, at: string): Promise<void> {
  await trx('unit_officials').where('id', id).update(columnsOf(d, at));
}

export async function setOfficialActive(trx: Db, id: number, active: boolean, at: string): Promise<void> {
  await trx('unit_officials').where('id', id).update({ active, updated_at: at });
}
