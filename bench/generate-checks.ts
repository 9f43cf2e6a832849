import type { Knex } from 'knex';
import { createDb } from '../src/db/knex.ts';
import { seededRandom } from './national-data.ts';

/**
 * Adds five years of checks to a generated national data set (bench/generate.ts): for each of the
 * 3,321 commune-level units, an internal audit (June) and a one-stop-shop check (November) a year,
 * 2022-2026, submitted with a score, the last year's November ones still planned. 33,210 checks.
 * Plus a few checks in the coordinator's province with many text items, for the answer-save load.
 *
 * The frozen form copy (`form_json`) is a small form here, not the 60-item audit form: the list
 * never reads that column, and 33,210 copies of the full form would add 800 MB to the file.
 */

export const years = [2022, 2023, 2024, 2025, 2026] as const;
/** Text items of the answer-save checks: one per connection at most. */
export const saveItems = 64;

const smallForm = (id: string) => JSON.stringify({ id, version: 1, kind: 'iso-check', appliesTo: 'unit', title: { vi: id, en: id }, sections: [] });

/** A form whose items take any text, so each save can carry a value unique to it. */
export function saveForm(): string {
  return JSON.stringify({
    id: 'bench-save',
    version: 1,
    kind: 'iso-check',
    appliesTo: 'unit',
    title: { vi: 'Bench', en: 'Bench' },
    sections: [
      {
        id: 's1',
        title: { vi: 'Phần 1', en: 'Part 1' },
        items: Array.from({ length: saveItems }, (_, i) => ({
          id: `t${i}`,
          ref: '9.2',
          text: { vi: `Câu ${i}`, en: `Item ${i}` },
          answer: { type: 'text' },
          mandatory: false,
          weight: 0,
        })),
      },
    ],
  });
}

export interface ChecksInfo {
  checks: number;
  saveCheckIds: number[];
  ms: number;
}

export async function generateChecks(file: string, provinceId: number, at: string, seed = 5): Promise<ChecksInfo> {
  const t0 = performance.now();
  const db = createDb({ url: `sqlite:${file}` });
  const rand = seededRandom(seed);
  try {
    const units = (await db('units')
      .whereIn('kind', ['commune', 'ward', 'special_zone'])
      .whereNull('active_to')
      .orderBy('id')
      .select('id', 'parent_id')) as Array<{ id: number; parent_id: number }>;
    const audit = smallForm('iso-internal-audit');
    const counter = smallForm('one-stop-shop');
    const rows: Array<Record<string, unknown>> = [];
    for (const u of units) {
      for (const y of years) {
        for (const [formId, json, month] of [
          ['iso-internal-audit', audit, '06'],
          ['one-stop-shop', counter, '11'],
        ] as const) {
          const open = y === 2026 && month === '11';
          rows.push({
            unit_id: u.id,
            form_id: formId,
            form_version: 1,
            form_json: json,
            check_date: `${y}-${month}-${String(1 + Math.floor(rand() * 27)).padStart(2, '0')}`,
            kind: rand() < 0.2 ? 'unannounced' : 'planned',
            status: open ? 'planned' : 'submitted',
            score: open ? null : Math.round(rand() * 1000) / 10,
            submitted_at: open ? null : at,
            created_at: at,
            updated_at: at,
          });
        }
      }
    }
    await db.transaction(async (trx: Knex.Transaction) => {
      for (let i = 0; i < rows.length; i += 500) await trx('checks').insert(rows.slice(i, i + 500));
    });
    const inProvince = units.filter((u) => Number(u.parent_id) === provinceId).slice(0, 5);
    const saveCheckIds: number[] = [];
    for (const u of inProvince) {
      const [row] = (await db('checks')
        .insert({
          unit_id: u.id,
          form_id: 'bench-save',
          form_version: 1,
          form_json: saveForm(),
          check_date: '2026-03-02',
          kind: 'planned',
          status: 'planned',
          created_at: at,
          updated_at: at,
        })
        .returning('id')) as Array<{ id: number } | number>;
      saveCheckIds.push(typeof row === 'number' ? row : Number(row!.id));
    }
    await db.raw('ANALYZE');
    return { checks: rows.length, saveCheckIds, ms: Math.round(performance.now() - t0) };
  } finally {
    await db.destroy();
  }
}
