import type { Knex } from 'knex';
import { scopeFor } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { Unit } from '../units/units.types.ts';
import { provinceOf, unitFor } from './catalog.scope.ts';
import { tthcInput, type TthcInput } from './catalog.schemas.ts';
import type { Tthc } from './catalog.types.ts';
import { catalogWorkbook } from './excel.export.ts';
import { ImportReportError, openWorkbook, problemOf, readSheet, zodProblems, type ImportProblem, type UploadedFile } from './excel.read.ts';
import { levelFrom, onlineFrom, procedureSheets, tthcSheet } from './excel.sheets.ts';
import { importProcedures } from './excel.procedures.ts';
import { listProcedures } from './procedures.list.ts';
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
   * Imports a province's TTHC list. Every row is checked first; any problem and nothing is
   * written. A code already in the list is updated only if something differs.
   */
  async importTthc(actor: Actor, provinceId: number | undefined, file: UploadedFile | undefined): Promise<ImportResult> {
    const province = await this.tthc.managedProvince(actor, provinceId);
    const wb = await openWorkbook(file, [tthcSheet]);
    const sheet = readSheet(wb, tthcSheet, ['code']);
    if (sheet.rows.length === 0) throw new AppError('IMPORT_EMPTY');
    const problems: ImportProblem[] = [];
    const inputs: Array<{ row: number; d: TthcInput }> = [];
    const seen = new Map<string, number>();
    for (const { row, cells } of sheet.rows) {
      const level = levelFrom(cells.level ?? '');
      const online = onlineFrom(cells.onlineLevel ?? '');
      if (!level) problems.push(problemOf(sheet, row, 'level', 'v.level_unknown'));
      if (!online) problems.push(problemOf(sheet, row, 'onlineLevel', 'v.online_unknown'));
      const parsed = tthcInput.safeParse({ ...cells, provinceId: String(province.id), level: level ?? 'commune', onlineLevel: online ?? 'none' });
      if (!parsed.success) {
        problems.push(...zodProblems(parsed.error.issues, (path) => ({ sheet, row, key: String(path[0] ?? 'code') })));
        continue;
      }
      const first = seen.get(parsed.data.code);
      if (first !== undefined) problems.push({ ...problemOf(sheet, row, 'code', 'v.duplicate_code'), params: { code: parsed.data.code } });
      seen.set(parsed.data.code, row);
      inputs.push({ row, d: parsed.data });
    }
    if (problems.length) throw new ImportReportError(problems);
    return this.db.transaction(async (trx) => {
      const existing = await tthcRepo.tthcByCodes(
        trx,
        province.id,
        inputs.map((i) => i.d.code),
      );
      const at = iso(this.clock.now());
      const out: ImportResult = { created: 0, updated: 0, unchanged: 0 };
      for (const { d } of inputs) {
        const cur = existing.get(d.code);
        if (!cur) {
          const id = await tthcRepo.insertTthc(trx, province.id, d, at);
          await writeAudit(trx, {
            at,
            userId: actor.user.id,
            action: 'import',
            entity: 'tthc',
            entityId: id,
            unitId: province.id,
            after: d,
            requestId: actor.requestId,
          });
          out.created++;
        } else if (tthcRepo.tthcDiffers(cur, d)) {
          await tthcRepo.updateTthc(trx, cur.id, cur.version, d, at);
          await writeAudit(trx, {
            at,
            userId: actor.user.id,
            action: 'import',
            entity: 'tthc',
            entityId: cur.id,
            unitId: province.id,
            before: cur,
            after: d,
            requestId: actor.requestId,
          });
          out.updated++;
        } else {
          out.unchanged++;
        }
      }
      return out;
    });
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
