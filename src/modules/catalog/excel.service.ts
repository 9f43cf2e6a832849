import type { Knex } from 'knex';
import { scopeFor } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import type { Unit } from '../units/units.types.ts';
import { provinceOf, unitFor } from './catalog.scope.ts';
import type { Tthc } from './catalog.types.ts';
import { catalogWorkbook } from './excel.export.ts';
import { openWorkbook, type UploadedFile } from './excel.read.ts';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import { applyPlan, planPublishedList, previewOf, type TthcImportResult, type TthcPreview } from './tthc.import.ts';
import { PendingImports } from './tthc.pending.ts';
import { tthcListWorkbook } from './tthc.export.ts';
import { findUnit } from '../units/units.repository.ts';
import { retireMissingInput, retirementInput, retireOne, type RetirementOf } from './tthc.retire.ts';
import { readPublishedList } from './tthc.read.ts';
import { procedureSheets } from './excel.sheets.ts';
import { importProcedures } from './excel.procedures.ts';
import { listProcedures } from './procedures.list.repository.ts';
import { contentsOf } from './procedures.repository.ts';
import type { ProceduresService } from './procedures.service.ts';
import * as tthcRepo from './tthc.repository.ts';
import type { TthcService } from './tthc.service.ts';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** Excel in and out: a unit's catalog export, and all-or-nothing imports of TTHC lists and procedures. */
export class CatalogExcelService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly tthc: TthcService,
    private readonly procedures: ProceduresService,
  ) {}

  private readonly pending = new PendingImports();

  /** The unit's catalog as .xlsx: every procedure with its steps, forms and records. */
  async exportCatalog(actor: Actor, unitId: number): Promise<{ unit: Unit; buffer: Buffer }> {
    const unit = await unitFor(this.db, actor, unitId, 'catalog.read');
    const cutoff = this.procedures.reviewCutoff();
    const page = await listProcedures(this.db, {
      scope: scopeFor(actor.user, 'catalog.read'),
      unitId: unit.id,
      reviewCutoff: cutoff,
      templates: false,
      sort: 'code',
      dir: 'asc',
      page: 1,
      pageSize: 100_000,
    });
    const revisions = await contentsOf(
      this.db,
      page.items.map((p) => p.headRevisionId),
    );
    const tthcIds = [...new Set([...revisions.values()].map((r) => r.tthcId).filter((x): x is number => x !== null))];
    const codes = new Map<number, string>();
    for (let i = 0; i < tthcIds.length; i += 500) {
      for (const t of await tthcRepo.tthcByIds(this.db, tthcIds.slice(i, i + 500))) codes.set(t.id, t.code);
    }
    return { unit, buffer: await catalogWorkbook(page.items, revisions, codes) };
  }

  /**
   * Imports a province's TTHC list as published (tthc.read.ts, tthc.import.ts) in one transaction:
   * every row is checked first; any problem and nothing is written.
   */
  async importTthc(actor: Actor, provinceId: number | undefined, file: UploadedFile | undefined, clearBlanks = false): Promise<TthcImportResult> {
    const province = await this.tthc.managedProvince(actor, provinceId);
    const list = await readPublishedList(file);
    const at = iso(this.clock.now());
    return this.db.transaction(async (trx) => applyPlan(trx, await planPublishedList(trx, { province, list }), { actor, clearBlanks, at }));
  }

  /**
   * What importing the file would do, row by row, writing nothing. With `keep`, the file stays
   * server-side under the returned token, for `applyTthc` to apply exactly it.
   */
  async previewTthc(
    actor: Actor,
    provinceId: number | undefined,
    file: UploadedFile | undefined,
    clearBlanks: boolean,
    keep = true,
  ): Promise<{ preview: TthcPreview; token?: string }> {
    const province = await this.tthc.managedProvince(actor, provinceId);
    const list = await readPublishedList(file);
    const preview = previewOf(await planPublishedList(this.db, { province, list }), clearBlanks);
    if (!keep || preview.refusedCount > 0 || !file) return { preview };
    const token = this.pending.keep({ userId: actor.user.id, provinceId: province.id, clearBlanks, file }, this.clock.now().getTime());
    return { preview, token };
  }

  /** The preview of a kept upload again (the apply form refused, to be corrected), if still kept. */
  async pendingPreview(actor: Actor, token: string): Promise<{ preview: TthcPreview; token: string } | undefined> {
    const p = this.pending.take(token, actor.user.id, this.clock.now().getTime());
    if (!p) return undefined;
    const province = await this.tthc.managedProvince(actor, p.provinceId);
    return { preview: previewOf(await planPublishedList(this.db, { province, list: await readPublishedList(p.file) }), p.clearBlanks), token };
  }

  /**
   * Applies a previewed file (by its token) in one transaction, retiring the ticked TTHC the file
   * left out (only those, with the decision typed). An unknown or expired token is refused.
   */
  async applyTthc(actor: Actor, token: string, input: unknown): Promise<TthcImportResult & { retired: number; flagged: number }> {
    const p = this.pending.take(token, actor.user.id, this.clock.now().getTime());
    if (!p) throw new AppError('IMPORT_EXPIRED');
    const { retire } = validate(retireMissingInput, input);
    const r = retire.length ? (validate(retirementInput, input) as RetirementOf) : undefined;
    const province = await this.tthc.managedProvince(actor, p.provinceId);
    const list = await readPublishedList(p.file);
    const at = iso(this.clock.now());
    const result = await this.db.transaction(async (trx) => {
      const plan = await planPublishedList(trx, { province, list });
      const missing = new Map(previewOf(plan, p.clearBlanks).missing.map((m) => [m.id, m]));
      if (retire.some((id) => !missing.has(id))) throw new AppError('VALIDATION_FAILED', {}, { retire: { key: 'v.tthc_not_missing' } });
      const out = await applyPlan(trx, plan, { actor, clearBlanks: p.clearBlanks, at });
      let flagged = 0;
      for (const id of retire) {
        const t = plan.existing.find((e) => e.id === id);
        if (t && r) flagged += await retireOne(trx, actor, t, r, at);
      }
      return { ...out, retired: retire.length, flagged };
    });
    this.pending.forget(token);
    return result;
  }

  /** A province's whole list (retired ones marked) as .xlsx in the import format; a province not kept is not found. */
  async exportTthc(actor: Actor, provinceId: number): Promise<{ province: Unit; buffer: Buffer }> {
    const province = await findUnit(this.db, provinceId, scopeFor(actor.user, 'tthc.manage'));
    if (!province || province.kind !== 'province') throw new AppError('NOT_FOUND');
    const items = (await tthcRepo.allOfProvince(this.db, province.id)).sort((a, b) => a.field.localeCompare(b.field) || a.code.localeCompare(b.code));
    return { province, buffer: await tthcListWorkbook(items) };
  }

  /** Imports procedures into a unit (see excel.procedures.ts), all or nothing. */
  async importProcedures(actor: Actor, unitId: number, file: UploadedFile | undefined): Promise<ImportResult> {
    const unit = await unitFor(this.db, actor, unitId, 'catalog.write');
    const wb = await openWorkbook(file, procedureSheets);
    const province = await provinceOf(this.db, unit);
    return importProcedures(this.db, {
      actor,
      unit,
      wb,
      procedures: this.procedures,
      tthcOf: (codes) => (province ? tthcRepo.tthcByCodes(this.db, province.id, codes) : Promise.resolve(new Map<string, Tthc>())),
    });
  }
}
