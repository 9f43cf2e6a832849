import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { z } from 'zod';
import { inScope, scopeFor } from '../../auth/roles.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { optionalText, requiredText, validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { foldForSearch } from '../../lib/text.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { ImportReportError, openWorkbook, readSheet, type ImportProblem, type UploadedFile } from '../catalog/excel.read.ts';
import { safeText, type SheetDef } from '../catalog/excel.sheets.ts';
import { findUnit } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import type { Db } from '../../kernel/db.ts';
import * as repo from './officials.repository.ts';
import { activeOfficials, personKey, type Official } from './officials.repository.ts';

const officialInput = z.object({
  fullName: requiredText(200),
  position: requiredText(200),
  department: optionalText(200),
  badgeNo: optionalText(60),
});
type OfficialInput = z.infer<typeof officialInput>;

/** The staff-list workbook: one sheet, Vietnamese headers. */
export const officialsSheet: SheetDef = {
  name: 'Danh sách cán bộ',
  columns: [
    { key: 'fullName', header: 'Họ và tên', width: 32 },
    { key: 'position', header: 'Chức vụ', width: 28 },
    { key: 'department', header: 'Bộ phận', width: 28 },
    { key: 'badgeNo', header: 'Số thẻ', width: 14 },
    { key: 'active', header: 'Đang làm việc', width: 14, info: true },
  ],
};

/**
 * Each unit's staff list (name, position, department, badge number if any). Kept by the unit's
 * officer and the province's coordinators; read also by the unit's leader. The same person twice
 * (same name and position in the unit, or the same badge number) is refused.
 */
export class OfficialsService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  private async unit(actor: Actor, unitId: number, write: boolean): Promise<Unit> {
    const unit = await findUnit(this.db, unitId, { all: true });
    if (!unit || !(write ? this.canManage(actor, unit) : this.canRead(actor, unit))) throw new AppError('NOT_FOUND');
    return unit;
  }

  /** Whether the staff list of this unit is open to the actor (the unit page links to it only then). */
  canRead(actor: Actor, unit: { path: string }): boolean {
    return [scopeFor(actor.user, 'officials.manage'), scopeFor(actor.user, 'inspection.unit')].some((sc) => inScope(sc, unit.path));
  }

  canManage(actor: Actor, unit: Unit): boolean {
    return inScope(scopeFor(actor.user, 'officials.manage'), unit.path);
  }

  async list(actor: Actor, unitId: number): Promise<{ unit: Unit; officials: Official[] }> {
    const unit = await this.unit(actor, unitId, false);
    return { unit, officials: await repo.officialsOf(this.db, unit.id) };
  }

  async get(actor: Actor, id: number): Promise<{ unit: Unit; official: Official }> {
    const official = await repo.findOfficial(this.db, id);
    if (!official) throw new AppError('NOT_FOUND');
    const unit = await this.unit(actor, official.unitId, true);
    return { unit, official };
  }

  /** The field that makes this person a duplicate of an active one in the unit, if any. */
  private async duplicate(db: Db, unitId: number, data: OfficialInput, exceptId?: number): Promise<FieldErrors | undefined> {
    const same = await repo.sameActiveOfficial(db, unitId, data, exceptId);
    if (same === 'person') return { fullName: { key: 'v.insp_official_twice' } };
    if (same === 'badge') return { badgeNo: { key: 'v.insp_badge_twice', params: { badge: data.badgeNo ?? '' } } };
    return undefined;
  }

  async add(actor: Actor, unitId: number, input: unknown): Promise<Official> {
    const unit = await this.unit(actor, unitId, true);
    const data = validate(officialInput, input);
    const now = iso(this.clock.now());
    const id = await this.db.transaction(async (trx) => {
      const dup = await this.duplicate(trx, unit.id, data);
      if (dup) throw new AppError('OFFICIAL_DUPLICATE', {}, dup);
      const newId = await repo.insertOfficial(trx, unit.id, data, now);
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'create',
        entity: 'unit_official',
        entityId: newId,
        unitId: unit.id,
        after: data,
        requestId: actor.requestId,
      });
      return newId;
    });
    return (await this.get(actor, id)).official;
  }

  async update(actor: Actor, id: number, input: unknown): Promise<Official> {
    const { unit, official } = await this.get(actor, id);
    const data = validate(officialInput, input);
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      if (official.active) {
        const dup = await this.duplicate(trx, unit.id, data, id);
        if (dup) throw new AppError('OFFICIAL_DUPLICATE', {}, dup);
      }
      await repo.updateOfficial(trx, id, data, now);
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'update',
        entity: 'unit_official',
        entityId: id,
        unitId: unit.id,
        before: official,
        after: data,
        requestId: actor.requestId,
      });
    });
    return (await this.get(actor, id)).official;
  }

  /** Deactivates (left the unit) or activates again; a person coming back must not be a duplicate. */
  async setActive(actor: Actor, id: number, active: boolean): Promise<Official> {
    const { unit, official } = await this.get(actor, id);
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      if (active && !official.active) {
        const dup = await this.duplicate(
          trx,
          unit.id,
          { fullName: official.fullName, position: official.position, badgeNo: official.badgeNo ?? undefined, department: undefined },
          id,
        );
        if (dup) throw new AppError('OFFICIAL_DUPLICATE', {}, dup);
      }
      await repo.setOfficialActive(trx, id, active, now);
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: active ? 'activate' : 'deactivate',
        entity: 'unit_official',
        entityId: id,
        unitId: unit.id,
        requestId: actor.requestId,
      });
    });
    return (await this.get(actor, id)).official;
  }

  /**
   * Imports a staff list from .xlsx. Every row is checked first (required cells, lengths, the
   * same person twice in the file or already on the list); with any problem nothing is added and
   * every problem is reported by row. Rows already on the list unchanged are skipped.
   */
  async importXlsx(actor: Actor, unitId: number, file: UploadedFile | undefined): Promise<{ added: number; skipped: number }> {
    const unit = await this.unit(actor, unitId, true);
    const sheet = readSheet(await openWorkbook(file, [officialsSheet]), officialsSheet, ['badgeNo']);
    if (!sheet.rows.length) throw new AppError('IMPORT_EMPTY');
    const problems: ImportProblem[] = [];
    const seenKeys = new Map<string, number>();
    const seenBadges = new Map<string, number>();
    const existing = await activeOfficials(this.db, unit.id);
    const toAdd: OfficialInput[] = [];
    let skipped = 0;
    for (const { row, cells } of sheet.rows) {
      // An export lists those who left too; they are not brought back by importing it.
      if (cells.active && foldForSearch(cells.active) === 'khong') {
        skipped++;
        continue;
      }
      const r = officialInput.safeParse(cells);
      if (!r.success) {
        for (const i of r.error.issues) {
          const key = String(i.path[0] ?? 'fullName');
          const [k, n] = i.message.split('|');
          problems.push({
            sheet: officialsSheet.name,
            row,
            column: sheet.columnName(key),
            key: k && /^v\.[a-z_]+$/.test(k) ? k : 'v.invalid',
            params: n ? { n } : undefined,
          });
        }
        continue;
      }
      const d = r.data;
      const key = personKey(d.fullName, d.position);
      const same = existing.find((o) => personKey(o.fullName, o.position) === key);
      if (same && (same.badgeNo ?? undefined) === d.badgeNo) {
        skipped++;
        continue;
      }
      const where = (k: string) => ({ sheet: officialsSheet.name, row, column: sheet.columnName(k) });
      if (same || seenKeys.has(key)) problems.push({ ...where('fullName'), key: 'v.insp_official_twice' });
      else if (d.badgeNo && (seenBadges.has(d.badgeNo) || existing.some((o) => o.badgeNo === d.badgeNo)))
        problems.push({ ...where('badgeNo'), key: 'v.insp_badge_twice', params: { badge: d.badgeNo } });
      seenKeys.set(key, row);
      if (d.badgeNo) seenBadges.set(d.badgeNo, row);
      toAdd.push(d);
    }
    if (problems.length) throw new ImportReportError(problems);
    const now = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      for (const d of toAdd) await repo.insertOfficial(trx, unit.id, d, now);
      await writeAudit(trx, {
        at: now,
        userId: actor.user.id,
        action: 'import',
        entity: 'unit_official',
        entityId: unit.id,
        unitId: unit.id,
        after: { added: toAdd.length, skipped, file: file?.name },
        requestId: actor.requestId,
      });
    });
    return { added: toAdd.length, skipped };
  }

  async exportXlsx(actor: Actor, unitId: number): Promise<{ unit: Unit; buffer: Buffer }> {
    const { unit, officials } = await this.list(actor, unitId);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(officialsSheet.name);
    ws.columns = officialsSheet.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    ws.getRow(1).font = { bold: true };
    for (const o of officials) {
      ws.addRow({
        fullName: safeText(o.fullName),
        position: safeText(o.position),
        department: safeText(o.department),
        badgeNo: safeText(o.badgeNo),
        active: o.active ? 'Có' : 'Không',
      });
    }
    return { unit, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
  }
}
