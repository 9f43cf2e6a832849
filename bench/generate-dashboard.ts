import type { Knex } from 'knex';
import { createDb } from '../src/db/knex.ts';
import { seededRandom } from './national-data.ts';
import { years } from './generate-checks.ts';

/**
 * Five years of the history the dashboards read, on top of a national data set with its checks
 * (bench/generate.ts, bench/generate-checks.ts), for every commune-level unit:
 * 30 adopted TTHC of the province's 100 and 10 issued procedures; on each internal audit a minor
 * and a major finding (the major one still open in a third of the 2025-2026 audits) with its
 * corrective action; a final management review, an unannounced inspection with 0-3 violations and
 * an issued yearly report each year; on-time figures per quarter. About 550,000 rows.
 */
export interface DashboardHistory {
  rows: number;
  ms: number;
}

async function insertAll(trx: Knex.Transaction, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) await trx(table).insert(rows.slice(i, i + 400));
}

export async function generateDashboardHistory(file: string, at: string, seed = 8): Promise<DashboardHistory> {
  const t0 = performance.now();
  const db = createDb({ url: `sqlite:${file}` });
  const rand = seededRandom(seed);
  let total = 0;
  try {
    const units = (await db('units')
      .whereIn('kind', ['commune', 'ward', 'special_zone'])
      .whereNull('active_to')
      .orderBy('id')
      .select('id', 'parent_id')) as Array<{ id: number; parent_id: number }>;
    const provinces = (await db('units').whereNull('parent_id').select('id')) as Array<{ id: number }>;
    const owner = Number(((await db('users').orderBy('id').first('id')) as { id: number }).id);
    const audits = (await db('checks').where('form_id', 'iso-internal-audit').select('id', 'unit_id', 'check_date')) as Array<{
      id: number;
      unit_id: number;
      check_date: string;
    }>;
    await db.transaction(async (trx: Knex.Transaction) => {
      const add = async (table: string, rows: Array<Record<string, unknown>>) => {
        await insertAll(trx, table, rows);
        total += rows.length;
      };
      // TTHC of each province, and what each unit adopts and has issued procedures for.
      const tthc: Array<Record<string, unknown>> = [];
      for (const p of provinces)
        for (let i = 0; i < 100; i++)
          tthc.push({
            province_id: p.id,
            code: `1.${String(i).padStart(6, '0')}`,
            name: `Thủ tục ${i}`,
            field: 'Hộ tịch',
            level: 'commune',
            search_text: `thu tuc ${i}`,
            created_at: at,
            updated_at: at,
          });
      await add('tthc', tthc);
      const tthcRows = (await trx('tthc').select('id', 'province_id').orderBy('id')) as Array<{ id: number; province_id: number }>;
      const byProvince = new Map<number, number[]>();
      for (const t of tthcRows) byProvince.set(Number(t.province_id), [...(byProvince.get(Number(t.province_id)) ?? []), Number(t.id)]);
      const adopted: Array<Record<string, unknown>> = [];
      const procedures: Array<Record<string, unknown>> = [];
      for (const u of units) {
        const list = byProvince.get(Number(u.parent_id)) ?? [];
        list.slice(0, 30).forEach((tthcId, i) => {
          adopted.push({ unit_id: u.id, tthc_id: tthcId, adopted_at: at, created_at: at, updated_at: at });
          if (i < 10) {
            const reviewed = `${rand() < 0.2 ? 2024 : 2025}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-10`;
            procedures.push({
              unit_id: u.id,
              code: `QT-${i}`,
              title: `Quy trình ${i}`,
              kind: 'tthc',
              tthc_id: tthcId,
              status: 'issued',
              revision_no: 1,
              issue_date: reviewed,
              last_reviewed_on: reviewed,
              search_text: `qt-${i}`,
              created_at: at,
              updated_at: at,
            });
          }
        });
      }
      await add('unit_tthc', adopted);
      await add('procedures', procedures);

      // Findings and corrective actions on every internal audit.
      const findings: Array<Record<string, unknown>> = [];
      for (const a of audits) {
        const recent = a.check_date >= '2025-01-01';
        findings.push({
          check_id: a.id,
          section_id: 's1',
          item_id: 'i1',
          severity: 'minor',
          clause_ref: '7.5',
          source: 'automatic',
          status: 'closed',
          created_at: at,
        });
        findings.push({
          check_id: a.id,
          section_id: 's1',
          item_id: 'i2',
          severity: 'major',
          clause_ref: '9.2',
          source: 'automatic',
          status: recent && rand() < 0.33 ? 'open' : 'closed',
          created_at: at,
        });
      }
      await add('check_findings', findings);
      const majors = (await trx('check_findings as f')
        .join('checks as c', 'c.id', 'f.check_id')
        .where('f.severity', 'major')
        .select('f.id', 'f.status', 'c.unit_id', 'c.check_date')) as Array<{ id: number; status: string; unit_id: number; check_date: string }>;
      await add(
        'corrective_actions',
        majors.map((f) => ({
          finding_id: f.id,
          unit_id: f.unit_id,
          cause: 'Nguyên nhân',
          action: 'Hành động khắc phục',
          owner_id: owner,
          due_date: `${f.check_date.slice(0, 4)}-${f.check_date.slice(5, 7) === '06' ? '08' : '12'}-15`,
          status: f.status === 'open' ? (rand() < 0.5 ? 'open' : 'in_progress') : 'verified',
          created_at: at,
          updated_at: at,
        })),
      );

      // Reviews, inspections with violations, yearly reports, on-time figures.
      const teams: Array<Record<string, unknown>> = provinces.map((p) => ({
        unit_id: p.id,
        name: 'Tổ kiểm tra công vụ',
        year: 2026,
        created_at: at,
        updated_at: at,
      }));
      await add('inspection_teams', teams);
      const teamOf = new Map(
        ((await trx('inspection_teams').select('id', 'unit_id')) as Array<{ id: number; unit_id: number }>).map((t) => [Number(t.unit_id), Number(t.id)]),
      );
      const reviews: Array<Record<string, unknown>> = [];
      const inspections: Array<Record<string, unknown>> = [];
      const reports: Array<Record<string, unknown>> = [];
      const figures: Array<Record<string, unknown>> = [];
      for (const u of units) {
        for (const y of years) {
          reviews.push({
            unit_id: u.id,
            review_date: `${y}-07-${String(1 + Math.floor(rand() * 27)).padStart(2, '0')}`,
            status: 'final',
            inputs_json: '{}',
            created_at: at,
            updated_at: at,
          });
          const month = 1 + Math.floor(rand() * 10);
          inspections.push({
            unit_id: u.id,
            team_id: teamOf.get(Number(u.parent_id)),
            kind: 'unannounced',
            form_id: 'discipline',
            form_version: 1,
            form_json: '{}',
            status: 'concluded',
            inspection_date: `${y}-${String(month).padStart(2, '0')}-12`,
            year: y,
            month,
            created_at: at,
            updated_at: at,
          });
          if (y < 2026 || rand() < 0.5)
            reports.push({
              unit_id: u.id,
              type: 'yearly-report',
              year: y,
              number_seq: 1,
              number_text: `01/BC-UBND`,
              status: 'issued',
              data_json: '{}',
              issued_at: at,
              issue_date: `${y}-12-10`,
              created_at: at,
              updated_at: at,
            });
          for (const [q, start, end] of [
            [1, '01-01', '03-31'],
            [2, '04-01', '06-30'],
            [3, '07-01', '09-30'],
            [4, '10-01', '12-31'],
          ] as const) {
            if (y === 2026 && q === 4) continue;
            const received = 50 + Math.floor(rand() * 400);
            const late = Math.floor(received * rand() * 0.1);
            const early = Math.floor((received - late) * rand());
            figures.push({
              unit_id: u.id,
              period_start: `${y}-${start}`,
              period_end: `${y}-${end}`,
              received,
              early,
              on_time: received - late - early,
              late,
              apologies: late,
              source: 'import',
              created_at: at,
              updated_at: at,
            });
          }
        }
      }
      await add('management_reviews', reviews);
      await add('inspections', inspections);
      await add('documents', reports);
      await add('on_time_figures', figures);
      const inspected = (await trx('inspections').select('id', 'unit_id', 'year', 'month')) as Array<{
        id: number;
        unit_id: number;
        year: number;
        month: number;
      }>;
      const violations: Array<Record<string, unknown>> = [];
      for (const i of inspected) {
        const n = Math.floor(rand() * 4);
        for (let k = 0; k < n; k++)
          violations.push({
            inspection_id: i.id,
            unit_id: i.unit_id,
            item_id: `badge-${k}`,
            kind: 'badge',
            severity: 'minor',
            year: i.year,
            month: i.month,
            created_at: at,
          });
      }
      await add('inspection_violations', violations);
    });
    await db.raw('ANALYZE');
  } finally {
    await db.destroy();
  }
  return { rows: total, ms: Math.round(performance.now() - t0) };
}
