import type { Knex } from 'knex';
import { createDb } from '../src/db/knex.ts';
import { seededRandom } from './national-data.ts';

/**
 * Adds five years of monthly discipline inspections to a generated national data set
 * (bench/generate.ts): for each of the 3,321 commune-level units, one inspection a month from
 * 2022 to 2026 (199,260), seven in ten planned (with their plan item) and the rest unannounced,
 * each closed with 0 to 4 violations, most of them against one of the unit's 10 officials.
 * One team per province, assigned to the province. The frozen form copy is a small stub: the
 * statistics never read it, and 199,260 copies of the real form would add 2 GB to the file.
 */

export const inspectionYears = [2022, 2023, 2024, 2025, 2026] as const;
const kinds = ['late', 'absent-unexcused', 'badge', 'dress', 'smoking', 'alcohol', 'private-business', 'door-plates', 'work-schedule', 'tidy'] as const;
const personal = new Set(['late', 'absent-unexcused', 'badge', 'dress', 'smoking', 'alcohol', 'private-business']);
const stubForm = JSON.stringify({
  id: 'discipline-spot-check',
  version: 1,
  kind: 'ethics-inspection',
  appliesTo: 'unit',
  title: { vi: 'Phiếu kiểm tra', en: 'Spot check' },
  sections: [],
});

export interface InspectionsInfo {
  inspections: number;
  violations: number;
  officials: number;
  planItems: number;
  ms: number;
}

export async function generateInspections(file: string, at: string, seed = 6): Promise<InspectionsInfo> {
  const t0 = performance.now();
  const db = createDb({ url: `sqlite:${file}` });
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  try {
    const units = (await db('units')
      .whereIn('kind', ['commune', 'ward', 'special_zone'])
      .whereNull('active_to')
      .orderBy('id')
      .select('id', 'parent_id')) as Array<{ id: number; parent_id: number }>;
    const provinces = [...new Set(units.map((u) => Number(u.parent_id)))];
    const admin = (await db('users').orderBy('id').first('id')) as { id: number };
    let inspections = 0;
    let violations = 0;
    let planItems = 0;
    await db.transaction(async (trx: Knex.Transaction) => {
      const batch = async (table: string, rows: Array<Record<string, unknown>>) => {
        for (let i = 0; i < rows.length; i += 400) await trx(table).insert(rows.slice(i, i + 400));
      };
      // One team per province, one plan per team and year.
      const teamOf = new Map<number, number>();
      const planOf = new Map<string, number>();
      let planId = 0;
      for (const [n, p] of provinces.entries()) {
        const teamId = n + 1;
        teamOf.set(p, teamId);
        await trx('inspection_teams').insert({ id: teamId, unit_id: p, name: `Tổ kiểm tra công vụ ${n + 1}`, year: 2026, created_at: at, updated_at: at });
        await trx('inspection_team_members').insert({ team_id: teamId, user_id: admin.id, is_leader: true });
        await trx('inspection_team_units').insert({ team_id: teamId, unit_id: p });
        for (const y of inspectionYears) {
          planOf.set(`${teamId}:${y}`, ++planId);
          await trx('inspection_plans').insert({ id: planId, team_id: teamId, unit_id: p, year: y, created_at: at, updated_at: at });
        }
      }
      // Ten officials per unit.
      const officials: Array<Record<string, unknown>> = [];
      const officialsOf = new Map<number, Array<{ id: number; name: string }>>();
      for (const u of units) {
        const list: Array<{ id: number; name: string }> = [];
        for (let k = 0; k < 10; k++) {
          const id = officials.length + 1;
          const name = `Cán bộ ${k + 1} đơn vị ${u.id}`;
          list.push({ id, name });
          officials.push({
            id,
            unit_id: u.id,
            full_name: name,
            position: `Công chức ${k + 1}`,
            person_key: `can bo ${k + 1} don vi ${u.id}|cong chuc ${k + 1}`,
            active: true,
            created_at: at,
            updated_at: at,
          });
        }
        officialsOf.set(u.id, list);
      }
      await batch('unit_officials', officials);
      // The inspections, unit by unit, written as they are made to keep memory flat.
      let insp: Array<Record<string, unknown>> = [];
      let viol: Array<Record<string, unknown>> = [];
      let items: Array<Record<string, unknown>> = [];
      const flush = async () => {
        await batch('inspection_plan_items', items);
        await batch('inspections', insp);
        await batch('inspection_violations', viol);
        insp = [];
        viol = [];
        items = [];
      };
      for (const u of units) {
        const teamId = teamOf.get(Number(u.parent_id))!;
        for (const y of inspectionYears) {
          for (let month = 1; month <= 12; month++) {
            const id = ++inspections;
            const day = `${y}-${String(month).padStart(2, '0')}-${String(1 + Math.floor(rand() * 27)).padStart(2, '0')}`;
            const planned = rand() < 0.7;
            let planItemId: number | null = null;
            if (planned) {
              planItemId = ++planItems;
              items.push({
                id: planItemId,
                plan_id: planOf.get(`${teamId}:${y}`),
                unit_id: u.id,
                month,
                theme: 'Kỷ luật, kỷ cương hành chính',
                inspection_id: id,
                created_at: at,
                updated_at: at,
              });
            }
            insp.push({
              id,
              unit_id: u.id,
              team_id: teamId,
              kind: planned ? 'planned' : 'unannounced',
              plan_item_id: planItemId,
              form_id: 'discipline-spot-check',
              form_version: 1,
              form_json: stubForm,
              status: 'concluded',
              inspection_date: day,
              year: y,
              month,
              arrived_at: `${day}T01:00:00.000Z`,
              closed_at: `${day}T03:00:00.000Z`,
              team_leader_name: 'Tổ trưởng',
              unit_representative_name: 'Đại diện đơn vị',
              created_by: admin.id,
              created_at: at,
              updated_at: at,
            });
            const n = Math.floor(rand() * 5);
            for (let k = 0; k < n; k++) {
              const kind = pick(kinds);
              const who = personal.has(kind) ? pick(officialsOf.get(u.id)!) : undefined;
              viol.push({
                inspection_id: id,
                unit_id: u.id,
                official_id: who?.id ?? null,
                full_name: who?.name ?? null,
                item_id: kind === 'late' || kind === 'absent-unexcused' ? 'attendance' : kind,
                kind,
                severity: kind === 'alcohol' || kind === 'absent-unexcused' ? 'major' : 'minor',
                year: y,
                month,
                created_at: at,
              });
              violations++;
            }
          }
        }
        if (insp.length >= 4000) await flush();
      }
      await flush();
    });
    await db.raw('ANALYZE');
    return { inspections, violations, officials: units.length * 10, planItems, ms: Math.round(performance.now() - t0) };
  } finally {
    await db.destroy();
  }
}
