import type { Knex } from 'knex';
import { inScope, scopeFor } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { noHandOff, type HandOff } from '../../kernel/handoff.ts';
import { provincePathOf, resolvePeople } from '../users/people-in-scope.ts';
import type { Check, CheckGate, Finding } from './checks.types.ts';
import { auditorIdsOf, checkStatusOf, issuedProcedures, previousOfSubmitted, scopeProcedureIdsOf, signOffCheck } from './checks.repository.ts';
import { findingsOf } from './findings.repository.ts';

/** Findings of a check against those of the check it continues. */
export interface CycleDiff {
  previousCheckId: number;
  previousDate: string;
  previousScore: number | null;
  added: Finding[];
  repeated: Finding[];
  resolved: Finding[];
}

/** One submitted check of a unit, for the score trend. */
export interface TrendPoint {
  checkId: number;
  checkDate: string;
  formId: string;
  formTitle: { vi: string; en: string };
  score: number;
}

/**
 * Findings are "the same" across cycles when they concern the same item with the same severity
 * (a finding added by hand without an item: the same clause). A finding that became less severe
 * is thus resolved at its old severity and new at the new one, which is what the auditor reports.
 */
const findingKey = (f: Finding) => `${f.itemId || `clause:${f.clauseRef}`}|${f.severity}`;

export function diffFindings(current: Finding[], previous: Finding[]): Pick<CycleDiff, 'added' | 'repeated' | 'resolved'> {
  const before = new Set(previous.map(findingKey));
  const now = new Set(current.map(findingKey));
  return {
    added: current.filter((f) => !before.has(findingKey(f))),
    repeated: current.filter((f) => before.has(findingKey(f))),
    resolved: previous.filter((f) => !now.has(findingKey(f))),
  };
}

/** Sign-off, the next cycle of a check, what changed since the previous one, and the trend. */
export class CheckCyclesService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly checks: CheckGate,
    private readonly plugins: () => PluginRegistry,
    private readonly handOff: HandOff = noHandOff,
  ) {}

  /**
   * The unit's leader signs the submitted result off (an administrator may too). Others, even
   * those who read the check, find no such action (404). Before the submit, or twice: 409.
   */
  async signOff(actor: Actor, checkId: number): Promise<Check> {
    const { check } = await this.checks.readable(actor, checkId);
    if (!inScope(scopeFor(actor.user, 'check.sign'), check.unitPath)) throw new AppError('NOT_FOUND');
    const at = iso(this.clock.now());
    await this.db.transaction(async (trx) => {
      if ((await checkStatusOf(trx, checkId)).status !== 'submitted') throw new AppError('CHECK_NOT_SUBMITTED');
      // The condition in the update settles two leaders signing at once: one row changes.
      if (!(await signOffCheck(trx, checkId, actor.user.id, at))) throw new AppError('CHECK_SIGNED');
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'sign_off',
        entity: 'check',
        entityId: checkId,
        unitId: check.unitId,
        after: { signedOffAt: at },
        requestId: actor.requestId,
      });
    });
    // Signed off: nothing of the check waits any more (its findings wait on their own).
    await this.handOff({ record: `check:${checkId}`, actorId: actor.user.id });
    return (await this.checks.load(this.db, checkId))!;
  }

  /**
   * What the plan form of the next cycle starts with: the same unit, the latest version of the
   * same form, the procedures of the scope still in force, the same auditors.
   */
  async nextDraft(actor: Actor, checkId: number): Promise<{ check: Check; values: Record<string, unknown> }> {
    const { check } = await this.checks.readable(actor, checkId);
    if (!inScope(scopeFor(actor.user, 'check.plan'), check.unitPath)) throw new AppError('NOT_FOUND');
    const latest = this.plugins().form(check.formId);
    const [auditorIds, scope] = await Promise.all([auditorIdsOf(this.db, checkId), scopeProcedureIdsOf(this.db, checkId)]);
    const inForce = await issuedProcedures(this.db, check.unitId, scope);
    // The same auditors, as far as they may still audit the unit (the plan checks them again).
    const kept = (await resolvePeople(this.db, { subtrees: [provincePathOf(check.unitPath)] }, { ids: auditorIds })).found;
    const auditors = kept.map((p) => p.username).sort();
    const { form: _form, ...plain } = check;
    return {
      check: plain,
      values: {
        form: `${check.formId}@${latest?.version ?? check.formVersion}`,
        kind: check.kind,
        auditors: auditors.join(', '),
        procedureIds: inForce.map((p) => String(p.id)),
        previousCheckId: String(check.id),
      },
    };
  }

  /** Findings new, repeated and resolved against the previous check, once this one is submitted. */
  async diff(checkId: number): Promise<CycleDiff | undefined> {
    const prev = await previousOfSubmitted(this.db, checkId);
    if (!prev) return undefined;
    const [current, previous] = await Promise.all([findingsOf(this.db, checkId), findingsOf(this.db, prev.id)]);
    return {
      previousCheckId: prev.id,
      previousDate: prev.checkDate,
      previousScore: prev.score,
      ...diffFindings(current, previous),
    };
  }

  /** The submitted, scored checks of a unit in date order (the unit's page draws them). */
  trend(checks: Check[]): TrendPoint[] {
    return checks
      .filter((c) => c.status === 'submitted' && c.score !== null)
      .map((c) => ({ checkId: c.id, checkDate: c.checkDate, formId: c.formId, formTitle: c.formTitle, score: c.score as number }))
      .sort((a, b) => (a.checkDate === b.checkDate ? a.checkId - b.checkId : a.checkDate < b.checkDate ? -1 : 1));
  }
}
