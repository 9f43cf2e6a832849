import { insertId, wherePathPrefix } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';

/** The queries of a unit's yearly internal audit programme and the checks that carry it out. */

export interface ProgrammeRow {
  id: number;
  unitId: number;
  unitName: string;
  unitCode: string;
  plannedMonth: number;
  formId: string;
  note: string | null;
  /** The check linked to the item by hand, if any. */
  checkId: number | null;
}

export interface CheckOfYear {
  id: number;
  unitId: number;
  formId: string;
  checkDate: string;
  status: string;
  score: number | null;
}

/** The items of a unit's programme for a year, by month, then unit, in entry order. */
export async function programmeItems(db: Db, unitId: number, year: number): Promise<ProgrammeRow[]> {
  const programme = (await db('audit_programmes').where({ unit_id: unitId, year }).first('id')) as { id: number } | undefined;
  if (!programme) return [];
  const rows = (await db('audit_programme_items as i')
    .join('units as u', 'u.id', 'i.unit_id')
    .where('i.programme_id', programme.id)
    .orderBy([
      { column: 'i.planned_month', order: 'asc' },
      { column: 'u.path', order: 'asc' },
      { column: 'i.id', order: 'asc' },
    ])
    .select('i.id', 'i.unit_id', 'u.name as unit_name', 'u.code as unit_code', 'i.planned_month', 'i.form_id', 'i.note', 'i.check_id')) as Array<
    Record<string, unknown>
  >;
  return rows.map((r) => ({
    id: Number(r.id),
    unitId: Number(r.unit_id),
    unitName: String(r.unit_name),
    unitCode: String(r.unit_code),
    plannedMonth: Number(r.planned_month),
    formId: String(r.form_id),
    note: (r.note as string | null) ?? null,
    checkId: r.check_id == null ? null : Number(r.check_id),
  }));
}

/** The checks of a subtree in a year, oldest first: one query, matched to the items in memory. */
export async function checksOfYear(db: Db, subtreePath: string, year: number): Promise<CheckOfYear[]> {
  const q = db('checks as c')
    .join('units as u', 'u.id', 'c.unit_id')
    .whereBetween('c.check_date', [`${year}-01-01`, `${year}-12-31`])
    .orderBy([
      { column: 'c.check_date', order: 'asc' },
      { column: 'c.id', order: 'asc' },
    ])
    .select('c.id', 'c.unit_id', 'c.form_id', 'c.check_date', 'c.status', 'c.score');
  wherePathPrefix(q, 'u.path', subtreePath);
  return ((await q) as Array<Record<string, unknown>>).map((c) => ({
    id: Number(c.id),
    unitId: Number(c.unit_id),
    formId: String(c.form_id),
    checkDate: String(c.check_date),
    status: String(c.status),
    score: c.score == null ? null : Number(c.score),
  }));
}

/** The unit's programme of the year, made on first use (two first uses at once make one); its id. */
export async function programmeId(trx: Db, unitId: number, year: number, by: number, at: string): Promise<number> {
  let programme = (await trx('audit_programmes').where({ unit_id: unitId, year }).first('id')) as { id: number } | undefined;
  if (!programme) {
    await trx('audit_programmes').insert({ unit_id: unitId, year, created_by: by, created_at: at, updated_at: at }).onConflict(['unit_id', 'year']).ignore();
    programme = (await trx('audit_programmes').where({ unit_id: unitId, year }).first('id')) as { id: number };
  }
  return Number(programme.id);
}

export function insertItem(
  trx: Db,
  programme: number,
  item: { unitId: number; plannedMonth: number; formId: string; note: string | null; createdBy: number },
  at: string,
): Promise<number> {
  return insertId(
    trx('audit_programme_items').insert({
      programme_id: programme,
      unit_id: item.unitId,
      planned_month: item.plannedMonth,
      form_id: item.formId,
      note: item.note,
      created_by: item.createdBy,
      created_at: at,
      updated_at: at,
    }),
  );
}

/** An item of the unit's programme of the year. */
export async function findItem(
  db: Db,
  unitId: number,
  year: number,
  itemId: number,
): Promise<{ unitId: number; plannedMonth: number; formId: string; note: string | null } | undefined> {
  const row = (await db('audit_programme_items as i')
    .join('audit_programmes as p', 'p.id', 'i.programme_id')
    .where({ 'i.id': itemId, 'p.unit_id': unitId, 'p.year': year })
    .first('i.id', 'i.unit_id', 'i.planned_month', 'i.form_id', 'i.note')) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return { unitId: Number(row.unit_id), plannedMonth: Number(row.planned_month), formId: String(row.form_id), note: (row.note as string | null) ?? null };
}

export async function deleteItem(trx: Db, itemId: number): Promise<void> {
  await trx('audit_programme_items').where('id', itemId).delete();
}
