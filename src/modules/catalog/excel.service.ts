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
import { importPublishedList, type TthcImportResult } from './tthc.import.ts';
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
   * Imports a province's TTHC list as published (tthc.read.ts, tthc.import.ts): every row is
   * checked first; any problem and nothing is written.
   */
  async importTthc(actor: Actor, provinceId: number | undefined, file: UploadedFile | undefined, clearBlanks = false): Promise<TthcImportResult> {
    const province = await this.tthc.managedProvince(actor, provinceId);
    const list = await readPublishedList(file);
    return importPublishedList(this.db, { actor, province, list, clearBlanks, at: iso(this.clock.now()) });
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
