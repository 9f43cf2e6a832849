import type { Knex } from 'knex';
import { inScope, scopeFor } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { findUnit } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import { flagScopeChange, provinceOf, unitFor } from './catalog.scope.ts';
import { tthcInput, tthcListQuery, versionInput } from './catalog.schemas.ts';
import type { Tthc } from './catalog.types.ts';
import * as repo from './tthc.repository.ts';
import { retireOne, retirementInput, type RetirementOf } from './tthc.retire.ts';

/** The province's list of administrative procedures (TTHC) and what each unit adopts from it. */
export class TthcService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: unknown) {
    const q = validate(tthcListQuery, query);
    return repo.listTthc(this.db, {
      scope: scopeFor(actor.user, 'catalog.read'),
      q: q.q.trim() || undefined,
      provinceId: q.provinceId,
      field: q.field,
      level: q.level,
      page: q.page,
      pageSize: q.pageSize,
    });
  }

  async get(actor: Actor, id: number, db: Knex | Knex.Transaction = this.db): Promise<Tthc> {
    const t = await repo.findTthc(db, id, scopeFor(actor.user, 'catalog.read'));
    if (!t) throw new AppError('NOT_FOUND');
    return t;
  }

  fields(actor: Actor, provinceId?: number): Promise<string[]> {
    return repo.tthcFields(this.db, scopeFor(actor.user, 'catalog.read'), provinceId);
  }

  /** Provinces whose list the actor keeps (for the province menu of the forms). */
  async managedProvinces(actor: Actor): Promise<Unit[]> {
    const scope = scopeFor(actor.user, 'tthc.manage');
    const ids = (await repo.provincePaths(this.db)).filter((r) => inScope(scope, r.path)).map((r) => r.id);
    return (await Promise.all(ids.map((id) => findUnit(this.db, id, { all: true })))).filter((u): u is Unit => !!u);
  }

  /** Whether the actor keeps the list this TTHC belongs to (to show the edit button). */
  async canManage(actor: Actor, t: Pick<Tthc, 'provinceId'>, db: Knex | Knex.Transaction = this.db): Promise<boolean> {
    return !!(await findUnit(db, t.provinceId, scopeFor(actor.user, 'tthc.manage')));
  }

  /** The unit's province list grouped by field, for the TTHC menu of the procedure form. */
  async optionsFor(unit: Unit): Promise<Array<{ field: string; items: Tthc[] }>> {
    const province = await provinceOf(this.db, unit);
    const all = province ? await repo.tthcOfProvince(this.db, province.id) : [];
    const groups = new Map<string, Tthc[]>();
    for (const t of all) groups.set(t.field, [...(groups.get(t.field) ?? []), t]);
    return [...groups.entries()].map(([field, items]) => ({ field, items }));
  }

  /** The province a coordinator keeps a list for; anything else is not found. */
  async managedProvince(actor: Actor, provinceId: number | undefined, db: Knex | Knex.Transaction = this.db): Promise<Unit> {
    if (provinceId === undefined) throw new AppError('VALIDATION_FAILED', {}, { provinceId: { key: 'v.required' } });
    const p = await findUnit(db, provinceId, scopeFor(actor.user, 'tthc.manage'));
    if (!p || p.kind !== 'province') throw new AppError('VALIDATION_FAILED', {}, { provinceId: { key: 'v.province_unknown' } });
    return p;
  }

  async create(actor: Actor, input: unknown): Promise<Tthc> {
    const d = validate(tthcInput, input);
    return this.db.transaction(async (trx) => {
      const province = await this.managedProvince(actor, d.provinceId, trx);
      if (await repo.findTthcByCode(trx, province.id, d.code)) {
        throw new AppError('TTHC_CODE_TAKEN', { code: d.code }, { code: { key: 'v.tthc_code_taken' } });
      }
      const at = iso(this.clock.now());
      const id = await repo.insertTthc(trx, province.id, d, at);
      const created = (await repo.findTthc(trx, id, { all: true })) as Tthc;
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'create',
        entity: 'tthc',
        entityId: id,
        unitId: province.id,
        after: created,
        requestId: actor.requestId,
      });
      return created;
    });
  }

  async update(actor: Actor, id: number, input: unknown): Promise<Tthc> {
    const { version } = validate(versionInput, input);
    const d = validate(tthcInput, input);
    return this.db.transaction(async (trx) => {
      const before = await this.get(actor, id, trx);
      const province = await this.managedProvince(actor, before.provinceId, trx).catch(() => {
        throw new AppError('NOT_FOUND');
      });
      if (d.code !== before.code && (await repo.findTthcByCode(trx, province.id, d.code))) {
        throw new AppError('TTHC_CODE_TAKEN', { code: d.code }, { code: { key: 'v.tthc_code_taken' } });
      }
      const at = iso(this.clock.now());
      if (!(await repo.updateTthc(trx, id, version, d, at))) throw new AppError('STALE_EDIT', {}, { version: { key: 'v.stale' } });
      const after = (await repo.findTthc(trx, id, { all: true })) as Tthc;
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'update',
        entity: 'tthc',
        entityId: id,
        unitId: province.id,
        before,
        after,
        requestId: actor.requestId,
      });
      return after;
    });
  }

  /** The TTHC a unit has in its scope. */
  async adopted(actor: Actor, unitId: number) {
    const unit = await unitFor(this.db, actor, unitId, 'catalog.read');
    return { unit, items: await repo.adoptedBy(this.db, unit.id), province: await provinceOf(this.db, unit) };
  }

  /**
   * Adopts TTHC of the unit's province by their codes (one or many, separated by commas, spaces or
   * lines). A code of another province's list is refused: the unit's scope is its own province's.
   */
  async adopt(actor: Actor, unitId: number, input: unknown): Promise<number> {
    const raw = typeof (input as { codes?: unknown })?.codes === 'string' ? (input as { codes: string }).codes : '';
    const codes = [
      ...new Set(
        raw
          .split(/[\s,;]+/)
          .map((c) => c.trim())
          .filter(Boolean),
      ),
    ];
    if (codes.length === 0) throw new AppError('VALIDATION_FAILED', {}, { codes: { key: 'v.required' } });
    return this.db.transaction(async (trx) => {
      const unit = await unitFor(trx, actor, unitId, 'catalog.write');
      const province = await provinceOf(trx, unit);
      const found = province ? await repo.tthcByCodes(trx, province.id, codes) : new Map<string, Tthc>();
      const missing = codes.filter((c) => !found.has(c));
      if (missing.length) throw new AppError('VALIDATION_FAILED', {}, { codes: { key: 'v.tthc_unknown', params: { code: missing.join(', ') } } });
      const retired = codes.filter((c) => found.get(c)?.retiredAt);
      if (retired.length) throw new AppError('VALIDATION_FAILED', {}, { codes: { key: 'v.tthc_retired', params: { code: retired.join(', ') } } });
      const at = iso(this.clock.now());
      const added: string[] = [];
      for (const t of found.values()) {
        if (!(await repo.adopt(trx, unit.id, t.id, at))) continue;
        added.push(t.code);
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'adopt',
          entity: 'tthc',
          entityId: t.id,
          unitId: unit.id,
          after: { code: t.code, name: t.name },
          requestId: actor.requestId,
        });
      }
      if (added.length) await flagScopeChange(trx, actor, unit.id, `Thay đổi phạm vi: tiếp nhận TTHC ${added.join(', ')}`, at);
      return added.length;
    });
  }

  async drop(actor: Actor, unitId: number, tthcId: number): Promise<void> {
    await this.db.transaction(async (trx) => {
      const unit = await unitFor(trx, actor, unitId, 'catalog.write');
      const t = await this.get(actor, tthcId, trx);
      const at = iso(this.clock.now());
      if (!(await repo.drop(trx, unit.id, t.id, at))) throw new AppError('NOT_FOUND');
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'drop',
        entity: 'tthc',
        entityId: t.id,
        unitId: unit.id,
        before: { code: t.code, name: t.name },
        requestId: actor.requestId,
      });
      await flagScopeChange(trx, actor, unit.id, `Thay đổi phạm vi: bỏ TTHC ${t.code}`, at);
    });
  }

  /** Retires a TTHC of a list the actor keeps (see tthc.retire.ts); anything else is not found. */
  async retire(actor: Actor, id: number, input: unknown): Promise<{ tthc: Tthc; flagged: number }> {
    const r = validate(retirementInput, input) as RetirementOf;
    return this.db.transaction(async (trx) => {
      const t = await this.get(actor, id, trx);
      if (!(await this.canManage(actor, t, trx))) throw new AppError('NOT_FOUND');
      const flagged = await retireOne(trx, actor, t, r, iso(this.clock.now()));
      return { tthc: (await repo.findTthc(trx, id, { all: true })) as Tthc, flagged };
    });
  }

  /** A TTHC that a procedure of this unit may link to: one of the unit's own province's list. */
  async linkable(trx: Knex | Knex.Transaction, unit: Unit, tthcId: number): Promise<Tthc> {
    const province = await provinceOf(trx, unit);
    const t = await repo.findTthc(trx, tthcId, { all: true });
    if (!t || !province || t.provinceId !== province.id) {
      throw new AppError('TTHC_OTHER_PROVINCE', {}, { tthcId: { key: 'v.tthc_other_province' } });
    }
    return t;
  }
}
