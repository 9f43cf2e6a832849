import type { Scope } from '../../auth/roles.ts';
import type { Db } from '../../kernel/db.ts';

/** The units as documents see them: the choice of unit, the roots of a ZIP, a parent's name, a declaration. */

export interface UnitChoice {
  id: number;
  code: string;
  name: string;
  depth: number;
}

const toChoice = (u: Record<string, unknown>): UnitChoice => ({ id: Number(u.id), code: String(u.code), name: String(u.name), depth: Number(u.depth) });

/** The active units of a scope in tree order (at most 1000). */
export async function activeUnitsInScope(db: Db, scope: Scope): Promise<UnitChoice[]> {
  if (!scope.all && !scope.paths.length) return [];
  const q = db('units').whereNull('active_to').orderBy('path').limit(1000);
  if (!scope.all)
    q.where((w) => {
      for (const p of scope.paths) w.orWhere('path', 'like', `${p}%`);
    });
  return ((await q.select('id', 'code', 'name', 'depth')) as Array<Record<string, unknown>>).map(toChoice);
}

/** The active units at the top of a scope, by name: every province when the scope is all. */
export async function activeRootsOfScope(db: Db, scope: Scope): Promise<Array<Omit<UnitChoice, 'depth'>>> {
  const q = db('units').whereNull('active_to').orderBy('name');
  if (scope.all) q.whereNull('parent_id');
  else if (scope.paths.length) q.whereIn('path', scope.paths);
  else return [];
  return ((await q.select('id', 'code', 'name')) as Array<Record<string, unknown>>).map((u) => ({
    id: Number(u.id),
    code: String(u.code),
    name: String(u.name),
  }));
}

/** The active units of a subtree (its root included) in tree order. */
export async function activeUnitsUnder(db: Db, path: string): Promise<UnitChoice[]> {
  const rows = (await db('units').where('path', 'like', `${path}%`).whereNull('active_to').orderBy('path').select('id', 'code', 'name', 'depth')) as Array<
    Record<string, unknown>
  >;
  return rows.map(toChoice);
}

/** A unit's name and kind (the parent body of a letterhead). */
export async function nameAndKind(db: Db, id: number): Promise<{ name: string | null; kind: string | null } | undefined> {
  const row = (await db('units').where('id', id).first('name', 'kind')) as Record<string, unknown> | undefined;
  return row ? { name: (row.name as string | null) ?? null, kind: (row.kind as string | null) ?? null } : undefined;
}

export interface Declaration {
  isoState: unknown;
  declarationNumber: unknown;
  declaredOn: unknown;
}

/** Makes the unit declared (ISO 9001:2015) by the issued decision; answers its state before. */
export async function declareUnit(trx: Db, unitId: number, d: { number: string; issueDate: string; documentId: number; at: string }): Promise<Declaration> {
  const before = (await trx('units').where('id', unitId).first('iso_state', 'iso_declaration_number', 'iso_declared_on')) as Record<string, unknown>;
  await trx('units')
    .where('id', unitId)
    .update({
      iso_state: 'declared',
      iso_standard: '2015',
      iso_state_changed_at: d.at,
      iso_state_reason: `Quyết định số ${d.number}`,
      iso_declared_on: d.issueDate,
      iso_declaration_number: d.number,
      iso_declared_document_id: d.documentId,
      updated_at: d.at,
    });
  return { isoState: before.iso_state, declarationNumber: before.iso_declaration_number, declaredOn: before.iso_declared_on };
}
