import { isPostgres } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';
import type { StoredAnswer } from './checks.logic.ts';

/** The queries of a check's answers, one row per item. */

/** Every answer of a check by item, with its author's name. */
export async function answersOf(db: Db, checkId: number): Promise<Map<string, StoredAnswer>> {
  const rows = (await db('check_answers as a')
    .join('users as u', 'u.id', 'a.answered_by')
    .where('a.check_id', checkId)
    .select('a.section_id', 'a.item_id', 'a.value', 'a.note', 'a.answered_by', 'u.full_name', 'a.answered_at', 'a.version')) as Array<Record<string, unknown>>;
  return new Map(
    rows.map((r) => [
      String(r.item_id),
      {
        sectionId: String(r.section_id),
        itemId: String(r.item_id),
        value: (r.value as string | null) ?? null,
        note: (r.note as string | null) ?? null,
        answeredBy: Number(r.answered_by),
        answeredByName: String(r.full_name),
        answeredAt: String(r.answered_at),
        version: Number(r.version),
      },
    ]),
  );
}

/** Only the values of a check's answers by item: enough to score it and count its progress. */
export async function answerValuesOf(db: Db, checkId: number): Promise<Map<string, StoredAnswer>> {
  const rows = (await db('check_answers').where('check_id', checkId).select('item_id', 'value')) as Array<Record<string, unknown>>;
  return new Map(rows.map((r) => [String(r.item_id), { value: (r.value as string | null) ?? null } as StoredAnswer]));
}

/** Who gave an item's answer as it stands, when, and what it says. */
export async function answerAuthorOf(
  db: Db,
  checkId: number,
  itemId: string,
): Promise<{ answeredBy: number; answeredAt: string; value: string | null } | undefined> {
  const row = (await db('check_answers').where({ check_id: checkId, item_id: itemId }).first('answered_by', 'answered_at', 'value')) as
    Record<string, unknown> | undefined;
  if (!row) return undefined;
  return { answeredBy: Number(row.answered_by), answeredAt: String(row.answered_at), value: (row.value as string | null) ?? null };
}

export interface AnswerWrite {
  checkId: number;
  sectionId: string;
  itemId: string;
  value: string | null;
  note: string | null;
  answeredBy: number;
  at: string;
}

/**
 * Writes an item's answer in one statement, and only while the check is not submitted: no
 * transaction holds the connection between statements (SQLite has one, and 50 auditors saving at
 * once would queue behind each other's round trips). The version grows in the statement itself.
 * On PostgreSQL the check's row is read shared: a submit (which updates the row) waits for this
 * save, or this save waits for the submit and then sees the check submitted. The answer's new
 * version, or undefined when the check was submitted.
 */
export async function upsertAnswer(db: Db, a: AnswerWrite): Promise<number | undefined> {
  const share = isPostgres(db) ? ' for share' : '';
  const written = (await db.raw(
    `insert into check_answers (check_id, section_id, item_id, value, note, answered_by, answered_at, version)
     select ?, ?, ?, ?, ?, ?, ?, 1 where (select status from checks where id = ?${share}) <> 'submitted'
     on conflict (check_id, item_id) do update set value = excluded.value, note = excluded.note,
       answered_by = excluded.answered_by, answered_at = excluded.answered_at, version = check_answers.version + 1
     returning version`,
    [a.checkId, a.sectionId, a.itemId, a.value, a.note, a.answeredBy, a.at, a.checkId],
  )) as Array<{ version: number }> | { rows: Array<{ version: number }> };
  const [row] = Array.isArray(written) ? written : written.rows;
  return row ? Number(row.version) : undefined;
}

/** A photo item's answer names its photo: the answer is written, or rewritten with a new version. */
export async function writePhotoAnswer(trx: Db, a: Omit<AnswerWrite, 'note'>): Promise<void> {
  const prev = (await trx('check_answers').where({ check_id: a.checkId, item_id: a.itemId }).first('id', 'version')) as
    { id: number; version: number } | undefined;
  if (prev)
    await trx('check_answers')
      .where('id', prev.id)
      .update({ value: a.value, answered_by: a.answeredBy, answered_at: a.at, version: Number(prev.version) + 1 });
  else
    await trx('check_answers').insert({
      check_id: a.checkId,
      section_id: a.sectionId,
      item_id: a.itemId,
      value: a.value,
      note: null,
      answered_by: a.answeredBy,
      answered_at: a.at,
      version: 1,
    });
}

export async function deleteAnswer(trx: Db, checkId: number, itemId: string): Promise<void> {
  await trx('check_answers').where({ check_id: checkId, item_id: itemId }).del();
}
