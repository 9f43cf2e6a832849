import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import { inScope, isAdmin, scopeFor, type Capability } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import * as repo from './units.repository.ts';
import { isoStateInput, mergeInput, moveInput, unitInput, unitListQuery, unitUpdate } from './units.schemas.ts';
import { isActiveOn, type Unit } from './units.types.ts';

/** The stored reason of the flag a merger raises: "sáp nhập" and the predecessors' names. */
export function mergerReason(sources: Array<Pick<Unit, 'name'>>): string {
  const text = `Sáp nhập: ${sources.map((s) => s.name).join(', ')}`;
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}

export class UnitsService {
  /** Counts per kind, shown on every tree page; cleared by any unit write in this process. */
  private counts = new TtlCache<string, Record<string, number>>(10_000);

  /**
   * `onPathsChanged` runs after a move, which rewrites the paths that role assignments (and so
   * cached signed-in users) carry.
   */
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly onPathsChanged: () => void = () => undefined,
  ) {}

  private today(): string {
    return vnDate(this.clock.now());
  }

  /** A unit the actor may act on with `cap`; anything else is not found. */
  async get(actor: Actor, id: number, cap: Capability = 'unit.read', db: Knex | Knex.Transaction = this.db): Promise<Unit> {
    const unit = await repo.findUnit(db, id, scopeFor(actor.user, cap));
    if (!unit) throw new AppError('NOT_FOUND');
    return unit;
  }

  async list(actor: Actor, query: unknown, opts: { rootsOnly?: boolean } = {}) {
    const q = validate(unitListQuery, query);
    return repo.listUnits(this.db, {
      scope: scopeFor(actor.user, 'unit.read'),
      q: q.q.trim() || undefined,
      kind: q.kind,
      parentId: q.parentId,
      rootsOnly: opts.rootsOnly && !q.q && !q.kind && q.parentId === undefined,
      status: q.status,
      today: this.today(),
      page: q.page,
      pageSize: q.pageSize,
    });
  }

  async countsByKind(actor: Actor, under?: Unit) {
    const scope = scopeFor(actor.user, 'unit.read');
    const today = this.today();
    const key = JSON.stringify([scope, today, under?.path ?? null]);
    return this.counts.getOrLoad(key, () => repo.countByKind(this.db, scope, today, under?.path));
  }

  /** Runs a unit write and forgets cached counts, whatever its outcome. */
  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      this.counts.clear();
    }
  }

  async details(actor: Actor, id: number) {
    const unit = await this.get(actor, id);
    const [ancestors, predecessors, mergedInto] = await Promise.all([
      repo.ancestorsOf(this.db, unit),
      repo.predecessorsOf(this.db, unit.id),
      unit.mergedIntoId ? repo.findUnit(this.db, unit.mergedIntoId, { all: true }) : Promise.resolve(undefined),
    ]);
    const merger = predecessors.length ? await repo.lastMergerOf(this.db, unit.id) : undefined;
    return { unit, ancestors, predecessors, mergedInto, merger, active: isActiveOn(unit, this.today()) };
  }

  /** What the actor may do on a unit, for showing or hiding buttons (the service checks again). */
  can(actor: Actor, unit: Unit, cap: Capability): boolean {
    return inScope(scopeFor(actor.user, cap), unit.path);
  }

  async create(actor: Actor, input: unknown): Promise<Unit> {
    const data = validate(unitInput, input);
    return this.write(() =>
      this.db.transaction(async (trx) => {
        let parent: Unit | undefined;
        if (data.parentId !== undefined) {
          parent = await repo.findUnit(trx, data.parentId, scopeFor(actor.user, 'unit.manage'));
          if (!parent) throw new AppError('VALIDATION_FAILED', {}, { parentId: { key: 'v.parent_unknown' } });
        } else if (!isAdmin(actor.user)) {
          // Only an administrator creates a top-level unit (a province).
          throw new AppError('VALIDATION_FAILED', {}, { parentId: { key: 'v.required' } });
        }
        if (await repo.codeTaken(trx, data.code)) {
          throw new AppError('UNIT_CODE_TAKEN', { code: data.code }, { code: { key: 'v.code_taken' } });
        }
        const at = iso(this.clock.now());
        const id = await repo.insertUnit(
          trx,
          {
            code: data.code,
            name: data.name,
            kind: data.kind,
            parentId: parent?.id ?? null,
            placeName: data.placeName ?? null,
            activeFrom: data.activeFrom ?? null,
            activeTo: data.activeTo ?? null,
          },
          parent?.path ?? null,
          at,
        );
        const unit = (await repo.findUnit(trx, id, { all: true })) as Unit;
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'create',
          entity: 'unit',
          entityId: id,
          unitId: id,
          after: unit,
          requestId: actor.requestId,
        });
        return unit;
      }),
    );
  }

  async update(actor: Actor, id: number, input: unknown): Promise<Unit> {
    const data = validate(unitUpdate, input);
    return this.write(() =>
      this.db.transaction(async (trx) => {
        const before = await this.get(actor, id, 'unit.manage', trx);
        if (data.code !== before.code && (await repo.codeTaken(trx, data.code, id))) {
          throw new AppError('UNIT_CODE_TAKEN', { code: data.code }, { code: { key: 'v.code_taken' } });
        }
        const at = iso(this.clock.now());
        await repo.updateUnitRow(
          trx,
          id,
          {
            code: data.code,
            name: data.name,
            kind: data.kind,
            placeName: data.placeName ?? null,
            activeFrom: data.activeFrom ?? null,
            activeTo: data.activeTo ?? null,
          },
          at,
        );
        const after = (await repo.findUnit(trx, id, { all: true })) as Unit;
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'update',
          entity: 'unit',
          entityId: id,
          unitId: id,
          before,
          after,
          requestId: actor.requestId,
        });
        return after;
      }),
    );
  }

  async move(actor: Actor, id: number, input: unknown): Promise<Unit> {
    const data = validate(moveInput, input);
    return this.write(async () => {
      const moved = await this.db.transaction(async (trx) => {
        const unit = await this.get(actor, id, 'unit.manage', trx);
        let parentId = data.parentId;
        if (parentId === undefined && data.parentCode) {
          const byCode = await repo.findUnitByCode(trx, data.parentCode, scopeFor(actor.user, 'unit.manage'));
          if (!byCode) throw new AppError('VALIDATION_FAILED', {}, { parentCode: { key: 'v.parent_unknown' } });
          parentId = byCode.id;
        }
        let parentPath = '/';
        if (parentId === undefined) {
          // Only the administrator makes a top-level unit, and only a province stands at the top:
          // a commune there would belong to no province and drop out of every province's figures.
          if (!isAdmin(actor.user) || unit.kind !== 'province') throw new AppError('VALIDATION_FAILED', {}, { parentCode: { key: 'v.required' } });
        } else {
          const parent = await repo.findUnit(trx, parentId, scopeFor(actor.user, 'unit.manage'));
          const field = data.parentCode ? 'parentCode' : 'parentId';
          if (!parent) throw new AppError('VALIDATION_FAILED', {}, { [field]: { key: 'v.parent_unknown' } });
          if (parent.path.startsWith(unit.path)) {
            throw new AppError('UNIT_MOVE_INTO_OWN_SUBTREE', {}, { [field]: { key: 'v.move_into_subtree' } });
          }
          parentPath = parent.path;
        }
        const at = iso(this.clock.now());
        await repo.moveSubtree(trx, unit, parentId ?? null, parentPath, at);
        const after = (await repo.findUnit(trx, id, { all: true })) as Unit;
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'move',
          entity: 'unit',
          entityId: id,
          unitId: id,
          before: { parentId: unit.parentId, path: unit.path },
          after: { parentId: after.parentId, path: after.path },
          requestId: actor.requestId,
        });
        return after;
      });
      this.onPathsChanged();
      return moved;
    });
  }

  /**
   * Merges units into a target on a date: each source ends the day before and points to the
   * target, keeping its name, records and history; the target lists them as predecessors.
   */
  async merge(actor: Actor, targetId: number, input: unknown): Promise<{ target: Unit; sources: Unit[] }> {
    const data = validate(mergeInput, input);
    return this.write(() =>
      this.db.transaction(async (trx) => {
        const target = await this.get(actor, targetId, 'unit.manage', trx);
        const manage = scopeFor(actor.user, 'unit.manage');
        const sources: Unit[] = [];
        for (const code of data.sources) {
          const s = await repo.findUnitByCode(trx, code, manage);
          if (!s) throw new AppError('UNIT_MERGE_INVALID', { code }, { sources: { key: 'v.merge_unknown', params: { code } } });
          if (s.id === target.id) throw new AppError('UNIT_MERGE_INTO_SELF', {}, { sources: { key: 'v.merge_self' } });
          if (target.path.startsWith(s.path) || s.path.startsWith(target.path)) {
            throw new AppError('UNIT_MERGE_INVALID', { code }, { sources: { key: 'v.merge_lineage', params: { code } } });
          }
          if (!isActiveOn(s, data.date)) {
            throw new AppError('UNIT_MERGE_INVALID', { code }, { sources: { key: 'v.merge_inactive', params: { code } } });
          }
          if (await repo.hasActiveChildren(trx, s.id, data.date)) {
            throw new AppError('UNIT_MERGE_INVALID', { code }, { sources: { key: 'v.merge_has_children', params: { code } } });
          }
          sources.push(s);
        }
        const at = iso(this.clock.now());
        for (const s of sources) {
          await repo.updateUnitRow(trx, s.id, { activeTo: data.date, mergedIntoId: target.id }, at);
          await writeAudit(trx, {
            at,
            userId: actor.user.id,
            action: 'merge',
            entity: 'unit',
            entityId: s.id,
            unitId: s.id,
            before: { activeTo: s.activeTo, mergedIntoId: s.mergedIntoId },
            after: { activeTo: data.date, mergedIntoId: target.id },
            requestId: actor.requestId,
          });
        }
        if (!target.activeFrom || target.activeFrom > data.date) {
          await repo.updateUnitRow(trx, target.id, { activeFrom: data.date }, at);
        }
        // A merger changes the scope of the QMS: the new unit must declare again (QĐ 19/2014).
        const reason = mergerReason(sources);
        await repo.updateUnitRow(trx, target.id, { isoState: 'needs_redeclaration', isoStateReason: reason, isoStateChangedAt: at }, at);
        const resolution = { resolutionNumber: data.resolutionNumber ?? null, resolutionDate: data.resolutionDate ?? null };
        await repo.insertMerger(
          trx,
          { unitId: target.id, mergedOn: data.date, ...resolution, predecessors: sources.map((s) => ({ id: s.id, code: s.code, name: s.name })) },
          actor.user.id,
          at,
        );
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'merge',
          entity: 'unit',
          entityId: target.id,
          unitId: target.id,
          before: { isoState: target.isoState, reason: target.isoStateReason },
          after: { mergedFrom: sources.map((s) => s.code), date: data.date, ...resolution, isoState: 'needs_redeclaration', reason },
          requestId: actor.requestId,
        });
        return { target: (await repo.findUnit(trx, target.id, { all: true })) as Unit, sources };
      }),
    );
  }

  async setIsoState(actor: Actor, id: number, input: unknown): Promise<Unit> {
    const data = validate(isoStateInput, input);
    return this.write(() =>
      this.db.transaction(async (trx) => {
        const before = await this.get(actor, id, 'unit.iso_state', trx);
        const at = iso(this.clock.now());
        await repo.updateUnitRow(
          trx,
          id,
          {
            isoState: data.state,
            isoStandard: data.standard ?? before.isoStandard ?? null,
            isoStateReason: data.reason,
            isoStateChangedAt: at,
          },
          at,
        );
        const after = (await repo.findUnit(trx, id, { all: true })) as Unit;
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'iso_state',
          entity: 'unit',
          entityId: id,
          unitId: id,
          before: { isoState: before.isoState, isoStandard: before.isoStandard, reason: before.isoStateReason },
          after: { isoState: after.isoState, isoStandard: after.isoStandard, reason: after.isoStateReason },
          requestId: actor.requestId,
        });
        return after;
      }),
    );
  }
}
