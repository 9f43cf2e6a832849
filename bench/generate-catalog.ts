import sqlite3 from 'sqlite3';
import { foldForSearch } from '../src/lib/text.ts';
import { communeTthc, firstStep, formNames, lastStep, middleSteps, otherProcedures, recordNames, systemProcedures, type TthcSpec } from './catalog-data.ts';
import { seededRandom } from './national-data.ts';

/**
 * The national-scale process catalog of the benchmark: every province keeps a list of
 * 120 commune-level TTHC; every commune-level unit adopts about 112 of them and keeps 120
 * procedures (one per adopted TTHC, the five system procedures, three others), each with its
 * revisions, steps, forms and records, in the states a real catalog has them.
 *
 * Written into an existing bench database (after the units and users) over one connection of the
 * sqlite3 driver: one transaction, multi-row INSERT statements prepared once per table and run
 * again for every full batch, rows computed in memory unit by unit. Foreign keys are checked
 * once at the end instead of on every row.
 */

type Cell = string | number | null;

export interface CatalogUnit {
  id: number;
  code: string;
  name: string;
  provinceId: number;
  /** The unit's ISO officer, who drafts and signs in this data set. */
  officerId: number;
}

export interface CatalogCounts {
  tthc: number;
  adopted: number;
  procedures: number;
  revisions: number;
  steps: number;
  forms: number;
  records: number;
  /** Procedures by state: issued, issued with a draft of the next revision, draft, ... */
  byState: Record<string, number>;
}

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, (err) => (err ? reject(err) : resolve())));
}

function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
}

/**
 * Rows of one table, written in batches of `batch` rows with one prepared statement. At most one
 * batch per table is in flight, so building the next rows overlaps with SQLite writing the last.
 */
class BulkTable {
  private buffer: Cell[] = [];
  private rows = 0;
  private pending: Promise<void> = Promise.resolve();
  private readonly full: sqlite3.Statement;
  count = 0;

  constructor(
    private readonly db: sqlite3.Database,
    private readonly table: string,
    private readonly columns: string[],
    private readonly batch: number,
  ) {
    this.full = db.prepare(this.sql(batch));
  }

  private sql(rows: number): string {
    const one = `(${this.columns.map(() => '?').join(',')})`;
    return `INSERT INTO ${this.table} (${this.columns.join(',')}) VALUES ${Array.from({ length: rows }, () => one).join(',')}`;
  }

  async add(values: Cell[]): Promise<void> {
    this.buffer.push(...values);
    this.rows++;
    this.count++;
    if (this.rows < this.batch) return;
    const params = this.buffer;
    this.buffer = [];
    this.rows = 0;
    await this.pending;
    this.pending = new Promise((resolve, reject) => this.full.run(params, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    await this.pending;
    if (this.rows > 0) {
      const last = this.db.prepare(this.sql(this.rows));
      await new Promise<void>((resolve, reject) => last.run(this.buffer, (err) => (err ? reject(err) : resolve())));
      await new Promise<void>((resolve) => last.finalize(() => resolve()));
    }
    await new Promise<void>((resolve) => this.full.finalize(() => resolve()));
  }
}

const stamp = ['created_at', 'updated_at'];
// Batches stay under SQLite's 32,766 bound variables per statement.
const batchFor = (columns: string[]) => Math.max(1, Math.min(500, Math.floor(30_000 / columns.length)));

const tthcColumns = [
  'id',
  'province_id',
  'code',
  'name',
  'field',
  'level',
  'legal_days',
  'fees',
  'legal_basis',
  'online_level',
  'search_text',
  'version',
  ...stamp,
];
const adoptColumns = ['unit_id', 'tthc_id', 'adopted_at', ...stamp];
const procedureColumns = [
  'id',
  'unit_id',
  'code',
  'title',
  'kind',
  'tthc_id',
  'is_template',
  'status',
  'pending_status',
  'head_revision_id',
  'issued_revision_id',
  'revision_no',
  'issue_date',
  'last_reviewed_on',
  'total_days',
  'search_text',
  'created_by',
  ...stamp,
];
const revisionColumns = [
  'id',
  'procedure_id',
  'revision_no',
  'status',
  'code',
  'title',
  'kind',
  'tthc_id',
  'purpose',
  'scope_text',
  'references_text',
  'change_summary',
  'total_days',
  'drafted_by',
  'drafted_at',
  'reviewed_by',
  'reviewed_at',
  'approved_by',
  'approved_at',
  'issued_by',
  'issued_at',
  'withdrawn_by',
  'withdrawn_at',
  'issue_date',
  'superseded_at',
  'withdraw_reason',
  'version',
  'updated_by',
  ...stamp,
];
const stepColumns = ['revision_id', 'position', 'action', 'responsible', 'days', 'output', ...stamp];
const formColumns = ['revision_id', 'position', 'code', 'name', ...stamp];
const recordColumns = ['revision_id', 'position', 'name', 'keeper', 'retention', ...stamp];

/** Field initials for procedure codes: "Hộ tịch" -> "HT". */
const initials = (field: string) =>
  foldForSearch(field)
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .slice(0, 4);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const round2 = (n: number) => Math.round(n * 100) / 100;

type State = 'issued' | 'issued_rev2' | 'issued_with_draft' | 'draft' | 'in_review' | 'approved' | 'withdrawn';

function stateOf(x: number): State {
  return x < 0.8
    ? 'issued'
    : x < 0.88
      ? 'issued_rev2'
      : x < 0.92
        ? 'issued_with_draft'
        : x < 0.96
          ? 'draft'
          : x < 0.98
            ? 'in_review'
            : x < 0.99
              ? 'approved'
              : 'withdrawn';
}

const systemSteps = [
  { action: 'Lập kế hoạch, phân công thực hiện', responsible: 'Thư ký ISO', output: 'Kế hoạch' },
  { action: 'Thực hiện theo kế hoạch được phê duyệt', responsible: 'Các bộ phận liên quan', output: 'Biên bản' },
  { action: 'Tổng hợp, báo cáo kết quả', responsible: 'Thư ký ISO', output: 'Báo cáo' },
  { action: 'Theo dõi hành động khắc phục, cải tiến', responsible: 'Thư ký ISO', output: 'Phiếu theo dõi' },
  { action: 'Lưu hồ sơ theo quy định', responsible: 'Văn thư UBND xã', output: 'Hồ sơ lưu' },
];

/** Adds the national catalog to the bench database `file` (units and users already there). */
export async function generateCatalog(file: string, units: CatalogUnit[], provinceIds: number[], seed: number, at: string): Promise<CatalogCounts> {
  const rnd = seededRandom(seed ^ 0x5eed);
  const db = new sqlite3.Database(file);
  const counts: CatalogCounts = { tthc: 0, adopted: 0, procedures: 0, revisions: 0, steps: 0, forms: 0, records: 0, byState: {} };
  try {
    // A bulk load of a throw-away data set: no fsync per commit, foreign keys checked once below.
    await run(db, 'PRAGMA journal_mode = WAL');
    await run(db, 'PRAGMA synchronous = OFF');
    await run(db, 'PRAGMA foreign_keys = OFF');
    await run(db, 'PRAGMA cache_size = -200000');
    await run(db, 'BEGIN');
    const t = {
      tthc: new BulkTable(db, 'tthc', tthcColumns, batchFor(tthcColumns)),
      adopt: new BulkTable(db, 'unit_tthc', adoptColumns, batchFor(adoptColumns)),
      proc: new BulkTable(db, 'procedures', procedureColumns, batchFor(procedureColumns)),
      rev: new BulkTable(db, 'procedure_revisions', revisionColumns, batchFor(revisionColumns)),
      step: new BulkTable(db, 'procedure_steps', stepColumns, batchFor(stepColumns)),
      form: new BulkTable(db, 'procedure_forms', formColumns, batchFor(formColumns)),
      record: new BulkTable(db, 'procedure_records', recordColumns, batchFor(recordColumns)),
    };

    // Every province's list: the same 120 TTHC (national codes are national).
    const tthcIds = new Map<number, number[]>();
    let nextTthc = 1;
    for (const provinceId of provinceIds) {
      const ids: number[] = [];
      for (const s of communeTthc) {
        const id = nextTthc++;
        ids.push(id);
        await t.tthc.add([
          id,
          provinceId,
          s.code,
          s.name,
          s.field,
          'commune',
          s.legalDays,
          s.legalDays === null ? null : 'Miễn phí',
          `Bộ thủ tục hành chính lĩnh vực ${s.field}`,
          s.code.startsWith('1.') ? 'full' : 'partial',
          foldForSearch(`${s.code} ${s.name} ${s.field}`),
          1,
          at,
          at,
        ]);
      }
      tthcIds.set(provinceId, ids);
    }

    let nextProcedure = 1;
    let nextRevision = 1;
    const day = (from: number, spanDays: number) =>
      new Date(Date.UTC(2023, 0, 1) + Math.floor(from + rnd() * spanDays) * 86_400_000).toISOString().slice(0, 10);

    for (const u of units) {
      const listIds = tthcIds.get(u.provinceId);
      if (!listIds) throw new Error(`unit ${u.code}: no TTHC list for province ${u.provinceId}`);
      // About 112 of the 120: a few TTHC of the list are not handled by this unit.
      const dropped = new Set<number>();
      while (dropped.size < 8) dropped.add(Math.floor(rnd() * communeTthc.length));
      const adopted = communeTthc.map((s, i) => ({ s, id: listIds[i]!, i })).filter((x) => !dropped.has(x.i));
      for (const a of adopted) await t.adopt.add([u.id, a.id, at, at, at]);

      type Plan = { code: string; title: string; kind: string; tthc: { id: number; spec: TthcSpec } | null };
      const plans: Plan[] = [];
      adopted.forEach((a, k) =>
        plans.push({
          code: `QT-${String(k + 1).padStart(3, '0')}/${initials(a.s.field)}`,
          title: `Quy trình ${lowerFirst(a.s.name)}`,
          kind: 'tthc',
          tthc: { id: a.id, spec: a.s },
        }),
      );
      for (const s of systemProcedures) plans.push({ code: `QT-${s.suffix}`, title: s.title, kind: s.kind, tthc: null });
      otherProcedures.forEach((title, i) => plans.push({ code: `QT-K${String(i + 1).padStart(2, '0')}`, title, kind: 'other', tthc: null }));
      // Fill up to 120 when fewer TTHC were adopted (never the case with 8 dropped, kept for safety).
      while (plans.length < 120)
        plans.push({ code: `QT-K${String(plans.length).padStart(3, '0')}`, title: 'Quy trình nội bộ khác', kind: 'other', tthc: null });

      for (const plan of plans.slice(0, 120)) {
        const state = stateOf(rnd());
        counts.byState[state] = (counts.byState[state] ?? 0) + 1;
        const pid = nextProcedure++;
        const legal = plan.tthc?.spec.legalDays ?? null;
        const revCount = state === 'issued_rev2' || state === 'issued_with_draft' ? 2 : 1;
        const issue1 = day(0, 900);
        const issue2 = day(900, 420);
        const revIds: number[] = [];
        let headTotal: number | null = null;
        for (let r = 1; r <= revCount; r++) {
          const rid = nextRevision++;
          revIds.push(rid);
          const status =
            revCount === 1
              ? state === 'issued'
                ? 'issued'
                : state === 'withdrawn'
                  ? 'withdrawn'
                  : state
              : r === 1
                ? state === 'issued_rev2'
                  ? 'superseded'
                  : 'issued'
                : state === 'issued_rev2'
                  ? 'issued'
                  : 'draft';
          const signed = status !== 'draft';
          const issued = ['issued', 'superseded', 'withdrawn'].includes(status);
          const approved = issued || status === 'approved';
          const reviewed = approved || (status === 'in_review' && rnd() < 0.5);
          const issueDate = issued ? (r === 1 ? issue1 : issue2) : null;
          const when = `${issueDate ?? '2026-10-01'}T02:00:00.000Z`;

          // Steps: the first and the last always, 2-5 of the middle ones in order.
          const steps = plan.tthc
            ? [firstStep, ...middleSteps.filter(() => rnd() < 0.6).slice(0, 5), lastStep]
            : systemSteps.filter((_, i) => i === 0 || i === 4 || rnd() < 0.6);
          while (steps.length < 4) steps.splice(steps.length - 1, 0, plan.tthc ? middleSteps[steps.length]! : systemSteps[2]!);
          let days: Array<number | null> = steps.map(() => null);
          if (plan.tthc) {
            const budget = (legal ?? 10) * (rnd() < 0.05 ? 1.2 : 0.8 + rnd() * 0.2);
            const weights = steps.map((_, i) => (i === 0 || i === steps.length - 1 ? 1 : 2));
            const sum = weights.reduce((a, b) => a + b, 0);
            days = weights.map((w) => round2((budget * w) / sum));
          }
          const numbers = days.filter((d): d is number => d !== null);
          const total = numbers.length ? round2(numbers.reduce((a, b) => a + b, 0)) : null;
          headTotal = total;
          await t.rev.add([
            rid,
            pid,
            r,
            status,
            plan.code,
            r === 2 ? `${plan.title} (sửa đổi)` : plan.title,
            plan.kind,
            plan.tthc?.id ?? null,
            `Quy định trình tự, trách nhiệm thực hiện tại ${u.name}.`,
            `Áp dụng cho cán bộ, công chức ${u.name}.`,
            plan.tthc ? `Bộ thủ tục hành chính lĩnh vực ${plan.tthc.spec.field}` : 'TCVN ISO 9001:2015',
            r === 2 ? 'Cập nhật theo văn bản quy phạm pháp luật mới' : null,
            total,
            signed ? u.officerId : null,
            signed ? when : null,
            reviewed ? u.officerId : null,
            reviewed ? when : null,
            approved ? u.officerId : null,
            approved ? when : null,
            issued ? u.officerId : null,
            issued ? when : null,
            status === 'withdrawn' ? u.officerId : null,
            status === 'withdrawn' ? when : null,
            issueDate,
            status === 'superseded' ? `${issue2}T02:00:00.000Z` : null,
            status === 'withdrawn' ? 'Thủ tục hành chính đã được bãi bỏ' : null,
            1,
            u.officerId,
            when,
            when,
          ]);
          for (let i = 0; i < steps.length; i++) {
            const s = steps[i]!;
            await t.step.add([rid, i + 1, s.action, s.responsible, days[i] ?? null, s.output, at, at]);
          }
          const nForms = 1 + (rnd() < 0.5 ? 1 : 0);
          for (let i = 0; i < nForms; i++)
            await t.form.add([rid, i + 1, `BM.${String(pid % 1000).padStart(3, '0')}.0${i + 1}`, formNames[(pid + i) % formNames.length]!, at, at]);
          const nRecords = 1 + (rnd() < 0.5 ? 1 : 0);
          for (let i = 0; i < nRecords; i++) {
            const [name, keeper, retention] = recordNames[(pid + i) % recordNames.length]!;
            await t.record.add([rid, i + 1, name, keeper, retention, at, at]);
          }
        }

        const head = revIds[revIds.length - 1]!;
        const inForce =
          state === 'issued' || state === 'withdrawn' ? revIds[0]! : state === 'issued_rev2' ? revIds[1]! : state === 'issued_with_draft' ? revIds[0]! : null;
        const status = state === 'issued_rev2' || state === 'issued_with_draft' ? 'issued' : state;
        const pending = state === 'issued_with_draft' ? 'draft' : ['draft', 'in_review', 'approved'].includes(state) ? state : null;
        const issueDate = inForce === null ? null : state === 'issued_rev2' ? issue2 : issue1;
        // Reviewed some time after issue: the older ones are due for review again.
        const reviewedOn = issueDate && rnd() < 0.5 ? day(1000, 400) : issueDate;
        await t.proc.add([
          pid,
          u.id,
          plan.code,
          state === 'issued_rev2' ? `${plan.title} (sửa đổi)` : plan.title,
          plan.kind,
          plan.tthc?.id ?? null,
          0,
          status,
          pending,
          state === 'withdrawn' ? revIds[0]! : head,
          inForce,
          inForce === null ? null : state === 'issued_rev2' ? 2 : 1,
          issueDate,
          status === 'issued' ? reviewedOn : null,
          headTotal,
          foldForSearch(`${plan.code} ${plan.title} ${plan.tthc ? `${plan.tthc.spec.code} ${plan.tthc.spec.name}` : ''}`).slice(0, 1200),
          u.officerId,
          at,
          at,
        ]);
      }
    }

    for (const table of Object.values(t)) await table.close();
    await run(db, 'COMMIT');
    counts.tthc = t.tthc.count;
    counts.adopted = t.adopt.count;
    counts.procedures = t.proc.count;
    counts.revisions = t.rev.count;
    counts.steps = t.step.count;
    counts.forms = t.form.count;
    counts.records = t.record.count;

    await run(db, 'PRAGMA foreign_keys = ON');
    const broken = await all<Record<string, unknown>>(db, 'PRAGMA foreign_key_check');
    if (broken.length) throw new Error(`the generated catalog breaks ${broken.length} foreign keys, e.g. ${JSON.stringify(broken[0])}`);
    return counts;
  } catch (err) {
    await run(db, 'ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}
