import type { Knex } from 'knex';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { provinceOf, unitFor } from '../catalog/catalog.scope.ts';
import type { ProceduresService } from '../catalog/procedures.service.ts';
import { contentsOf } from '../catalog/procedures.repository.ts';
import { adopt } from '../catalog/tthc.repository.ts';
import type { RevisionContent } from '../catalog/catalog.types.ts';
import { lastMergerOf, predecessorsOf, type UnitMerger } from '../units/units.repository.ts';
import type { Unit } from '../units/units.types.ts';
import { carryGroups, lineageLabel, proposeCode, type CarryGroup } from './merger.logic.ts';
import * as repo from './merger.repository.ts';
import { carryOverForm, type CarryChoice } from './merger.schemas.ts';

/** A group as the carry-over page shows it: what is proposed and what was carried already. */
export interface CarryItem extends CarryGroup {
  /** The TTHC of the new unit's province it becomes (none: not on the province's list). */
  targetTthcId: number | null;
  proposedCode: string | null;
  /** The draft made from this group on an earlier carry-over. */
  carried: { id: number; code: string; title: string; status: string; sourceId: number } | null;
  adopted: boolean;
}

export interface CarryPlan {
  unit: Unit;
  merger: UnitMerger | undefined;
  predecessors: Unit[];
  items: CarryItem[];
}

/**
 * The 2025 merger as an ISO event, on the new unit's side: the predecessors' scopes and issued
 * procedures carried over in one reviewed step, and their open work shown where it now belongs.
 */
export class MergerService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly procedures: ProceduresService,
  ) {}

  /** What a carry-over into the unit would bring, for its officer or coordinator (404 otherwise). */
  async plan(actor: Actor, unitId: number, db: Knex | Knex.Transaction = this.db): Promise<CarryPlan> {
    const unit = await unitFor(db, actor, unitId, 'catalog.write');
    const predecessors = await predecessorsOf(db, unit.id);
    const ids = predecessors.map((p) => p.id);
    // One after the other: inside the carry-over's transaction they share one connection.
    const merger = await lastMergerOf(db, unit.id);
    const scope = await repo.scopeOf(db, ids);
    const issued = await repo.issuedOf(db, ids);
    const carried = await repo.carriedInto(db, unit.id);
    const codes = await repo.codesOf(db, unit.id);
    const province = await provinceOf(db, unit);
    const own = await repo.scopeOf(db, [unit.id]);
    const ownTthc = new Set(own.map((t) => t.tthcId));
    const items: CarryItem[] = [];
    for (const g of carryGroups(scope, issued)) {
      const hasTthc = g.tthc.length > 0 || g.procedures.some((p) => p.tthcId !== null);
      // The new unit's province's row: the same one when the predecessor was of that province.
      const targetTthcId = hasTthc && province ? ((await repo.tthcInProvince(db, province.id, g.tthcCode, g.tthcName)) ?? null) : null;
      const done = g.procedures.map((p) => ({ p, c: carried.get(p.id) })).find((x) => x.c);
      const pick = g.procedures.find((p) => p.id === g.proposedId);
      const proposedCode = pick && !done ? proposeCode(pick.code, unit.code, codes) : null;
      if (proposedCode) codes.add(proposedCode);
      items.push({
        ...g,
        targetTthcId,
        proposedCode,
        carried: done?.c ? { ...done.c, sourceId: done.p.id } : null,
        adopted: targetTthcId !== null && ownTthc.has(targetTthcId),
      });
    }
    return { unit, merger, predecessors, items };
  }

  /**
   * Makes the chosen groups the unit's TTHC scope and draft procedures (never issued), in one
   * transaction with its audit rows. A group carried before is left as it is, so running it twice
   * changes nothing (the source procedure's id is unique per unit).
   */
  async carryOver(actor: Actor, unitId: number, input: unknown): Promise<{ adopted: number; drafts: number }> {
    const choices = carryOverForm(input);
    return this.db.transaction(async (trx) => {
      const plan = await this.plan(actor, unitId, trx);
      const errors: FieldErrors = {};
      const byKey = new Map(plan.items.map((i) => [i.key, i]));
      const chosen: Array<{ item: CarryItem; choice: CarryChoice }> = [];
      const codes = await repo.codesOf(trx, plan.unit.id);
      const newCodes = new Set<string>();
      for (const c of choices) {
        const item = byKey.get(c.key);
        if (!item) {
          errors[`take_${c.index}`] = { key: 'merger.v.gone' };
          continue;
        }
        if (!c.take) continue;
        if (item.procedures.length && !item.carried) {
          if (!item.procedures.some((p) => p.id === c.pick)) errors[`pick_${c.index}`] = { key: 'merger.v.pick' };
          if (!c.code) errors[`code_${c.index}`] = { key: 'v.required' };
          else if (!/^[\p{L}\p{N}._\-/]+$/u.test(c.code)) errors[`code_${c.index}`] = { key: 'v.code_format' };
          else if (codes.has(c.code) || newCodes.has(c.code)) errors[`code_${c.index}`] = { key: 'v.procedure_code_taken' };
          else newCodes.add(c.code);
        }
        chosen.push({ item, choice: c });
      }
      if (!chosen.length && !Object.keys(errors).length) errors.take = { key: 'merger.v.none' };
      if (Object.keys(errors).length) throw new AppError('VALIDATION_FAILED', {}, errors);

      const at = iso(this.clock.now());
      let adopted = 0;
      const drafts: Array<{ code: string; from: string }> = [];
      const tthcCodes: string[] = [];
      for (const { item, choice } of chosen) {
        if (item.targetTthcId !== null && (await adopt(trx, plan.unit.id, item.targetTthcId, at))) {
          adopted++;
          tthcCodes.push(item.tthcCode ?? item.tthcName);
          await writeAudit(trx, {
            at,
            userId: actor.user.id,
            action: 'adopt',
            entity: 'tthc',
            entityId: item.targetTthcId,
            unitId: plan.unit.id,
            after: { code: item.tthcCode, name: item.tthcName },
            requestId: actor.requestId,
          });
        }
        const source = item.procedures.find((p) => p.id === choice.pick);
        if (!source || item.carried) continue;
        const rev = (await contentsOf(trx, [source.revisionId])).get(source.revisionId);
        if (!rev) continue;
        const label = lineageLabel(source);
        const content: RevisionContent = {
          code: choice.code,
          title: rev.title,
          // A procedure whose TTHC is not on the new province's list is carried as an internal one.
          kind: rev.kind === 'tthc' && item.targetTthcId === null ? 'other' : rev.kind,
          tthcId: rev.tthcId === null ? null : item.targetTthcId,
          purpose: rev.purpose,
          scopeText: rev.scopeText,
          referencesText: rev.referencesText,
          definitions: rev.definitions,
          changeSummary: `Kế thừa từ ${label} (${source.unitName})`,
          steps: rev.steps.map((s) => ({ action: s.action, responsible: s.responsible, days: s.days, output: s.output })),
          // The forms' files stay the predecessor's: their names and codes come, the files are attached again.
          forms: rev.forms.map((f) => ({ code: f.code, name: f.name, fileId: null })),
          records: rev.records.map((r) => ({ name: r.name, keeper: r.keeper, retention: r.retention })),
        };
        const id = await this.procedures.createIn(trx, actor, plan.unit, content);
        await repo.markCarried(trx, id, source.id, label);
        drafts.push({ code: choice.code, from: label });
      }
      if (adopted || drafts.length) {
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'carry_over',
          entity: 'unit',
          entityId: plan.unit.id,
          unitId: plan.unit.id,
          after: { tthc: tthcCodes, procedures: drafts.map((d) => `${d.code} ← ${d.from}`) },
          requestId: actor.requestId,
        });
      }
      return { adopted, drafts: drafts.length };
    });
  }

  /** The predecessors of a unit the caller reads, with their open findings and corrective actions. */
  async predecessorWork(unit: Unit) {
    const predecessors = await predecessorsOf(this.db, unit.id);
    const today = vnDate(this.clock.now());
    // Only those whose merger took effect: before that day they are units of their own.
    const merged = predecessors.filter((p) => p.activeTo !== null && p.activeTo <= today);
    const work = await repo.openWorkOf(
      this.db,
      merged.map((p) => p.id),
    );
    return merged.map((p) => ({
      unit: p,
      findings: work.findings.filter((f) => f.unitId === p.id),
      actions: work.actions.filter((a) => a.unitId === p.id),
    }));
  }
}
