import type { Knex } from 'knex';
import type { FormDefinition } from '../../plugins/contract.ts';
import { toCount } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import { tallyOf, type Answers, type StoredAnswer } from './survey.logic.ts';

/** What a unit's public page may show of the unit: no person, no check, no inspection. */
export interface PublicUnit {
  id: number;
  code: string;
  name: string;
  isoState: string;
  isoStandard: string | null;
  declaredOn: string | null;
  declarationNumber: string | null;
}

/** A unit that is public on a day: it exists, has started and has not ended or been merged away. */
export async function publicUnit(db: Db, code: string, day: string): Promise<PublicUnit | undefined> {
  const r = (await db('units')
    .where('code', code)
    .where((q) => q.whereNull('active_from').orWhere('active_from', '<=', day))
    .where((q) => q.whereNull('active_to').orWhere('active_to', '>', day))
    .whereNull('merged_into_id')
    .first('id', 'code', 'name', 'iso_state', 'iso_standard', 'iso_declared_on', 'iso_declaration_number')) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  return {
    id: Number(r.id),
    code: String(r.code),
    name: String(r.name),
    isoState: String(r.iso_state),
    isoStandard: (r.iso_standard as string | null) ?? null,
    declaredOn: (r.iso_declared_on as string | null) ?? null,
    declarationNumber: (r.iso_declaration_number as string | null) ?? null,
  };
}

export interface StoredRow extends StoredAnswer {
  id: number;
  tthcId: number | null;
  dossierCode: string | null;
  comment: string | null;
  day: string;
  createdAt: string;
}

/** A unit's answers given on the days from..to (both included), oldest first. */
export async function answersOf(db: Db, unitId: number, from: string, to: string): Promise<StoredRow[]> {
  const inPeriod = () => db('survey_answers').where('unit_id', unitId).whereBetween('day', [from, to]);
  // The answers of a period share one or two frozen forms: each is read (and parsed) once, from
  // the first answer given with it, instead of with every answer (a form id and version name one
  // definition: a changed form gets a new version).
  const [rows, forms] = (await Promise.all([
    inPeriod().orderBy('id').select('id', 'tthc_id', 'dossier_code', 'form_id', 'form_version', 'answers', 'comment', 'day', 'created_at'),
    db('survey_answers')
      .whereIn('id', inPeriod().groupBy('form_id', 'form_version').select(db.raw('min(id)')))
      .select('form_id', 'form_version', 'definition'),
  ])) as [Array<Record<string, unknown>>, Array<Record<string, unknown>>];
  const formOf = new Map(forms.map((f) => [`${String(f.form_id)}@${Number(f.form_version)}`, JSON.parse(String(f.definition)) as FormDefinition]));
  return rows.map((r) => ({
    id: Number(r.id),
    tthcId: r.tthc_id === null ? null : Number(r.tthc_id),
    dossierCode: (r.dossier_code as string | null) ?? null,
    definition: formOf.get(`${String(r.form_id)}@${Number(r.form_version)}`)!,
    answers: JSON.parse(String(r.answers)) as Answers,
    comment: (r.comment as string | null) ?? null,
    day: String(r.day),
    createdAt: String(r.created_at),
  }));
}

export async function dossierAnswered(db: Db, unitId: number, dossierCode: string): Promise<boolean> {
  return (await db('survey_answers').where({ unit_id: unitId, dossier_code: dossierCode }).first('id')) !== undefined;
}

export interface NewAnswer {
  unitId: number;
  tthcId: number | null;
  dossierCode: string | null;
  form: FormDefinition;
  answers: Answers;
  comment: string | null;
  day: string;
  at: string;
}

export async function insertAnswer(trx: Db, a: NewAnswer): Promise<number> {
  const [row] = (await trx('survey_answers')
    .insert({
      unit_id: a.unitId,
      tthc_id: a.tthcId,
      dossier_code: a.dossierCode,
      form_id: a.form.id,
      form_version: a.form.version,
      definition: JSON.stringify(a.form),
      answers: JSON.stringify(a.answers),
      comment: a.comment,
      ...tallyOf({ definition: a.form, answers: a.answers }),
      day: a.day,
      created_at: a.at,
      updated_at: a.at,
    })
    .returning('id')) as Array<{ id: number } | number>;
  return Number(typeof row === 'object' ? row.id : row);
}

export async function insertCallback(trx: Db, answerId: number, unitId: number, phone: string, at: string): Promise<void> {
  await trx('survey_callbacks').insert({ answer_id: answerId, unit_id: unitId, phone, consent_at: at, created_at: at, updated_at: at });
}

export interface Callback {
  answerId: number;
  phone: string;
  consentAt: string;
}

export async function callbacksOf(db: Db, unitId: number, from: string, to: string): Promise<Callback[]> {
  const rows = (await db('survey_callbacks as c')
    .join('survey_answers as a', 'a.id', 'c.answer_id')
    .where('c.unit_id', unitId)
    .whereBetween('a.day', [from, to])
    .orderBy('c.id')
    .select('c.answer_id', 'c.phone', 'c.consent_at')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ answerId: Number(r.answer_id), phone: String(r.phone), consentAt: String(r.consent_at) }));
}

export async function insertHit(trx: Db, unitId: number, clientHash: string, at: string): Promise<void> {
  await trx('survey_hits').insert({ unit_id: unitId, client_hash: clientHash, at, created_at: at, updated_at: at });
}

/** Answers counted against the limits since an instant: from one client, and to one unit. */
export async function hitsSince(db: Db, unitId: number, clientHash: string, since: string): Promise<{ client: number; unit: number }> {
  const [c, u] = await Promise.all([
    db('survey_hits').where('client_hash', clientHash).where('at', '>=', since).first(db.raw('count(*) as n')),
    db('survey_hits').where('unit_id', unitId).where('at', '>=', since).first(db.raw('count(*) as n')),
  ]);
  return { client: toCount((c as { n: unknown } | undefined)?.n), unit: toCount((u as { n: unknown } | undefined)?.n) };
}

/** Summed tallies of answers per unit, in one grouped query: the caller narrows `q` (units, days). */
export interface UnitTally {
  answers: number;
  rated: number;
  satisfied: number;
  points: number;
  lastDay: string | null;
}

export async function tallies(db: Db, from: string, to: string, narrow: (q: Knex.QueryBuilder) => unknown): Promise<Map<number, UnitTally>> {
  const q = db('survey_answers')
    .whereBetween('day', [from, to])
    .groupBy('unit_id')
    .select(
      'unit_id',
      db.raw('count(*) as answers'),
      db.raw('sum(rated) as rated'),
      db.raw('sum(satisfied) as satisfied'),
      db.raw('sum(points) as points'),
      db.raw('max(day) as last_day'),
    );
  narrow(q);
  const rows = (await q) as Array<Record<string, unknown>>;
  return new Map(
    rows.map((r) => [
      Number(r.unit_id),
      {
        answers: toCount(r.answers),
        rated: toCount(r.rated),
        satisfied: toCount(r.satisfied),
        points: toCount(r.points),
        lastDay: r.last_day == null ? null : String(r.last_day),
      },
    ]),
  );
}
