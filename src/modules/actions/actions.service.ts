import type { Knex } from 'knex';
import { inScope, scopeFor, type Capability } from '../../auth/roles.ts';
import { AppError, type FieldErrors } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Page } from '../../kernel/pagination.ts';
import { dayText, iso, vnDate } from '../../lib/time.ts';
import type { LocalizedText } from '../../plugins/contract.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { noHandOff, type HandOff } from '../../kernel/handoff.ts';
import { handOnAction } from './actions.handoff.ts';
import { listWorkbook } from '../catalog/excel.sheets.ts';
import { findItem } from '../checks/checks.logic.ts';
import { checkFormOf } from '../checks/checks.repository.ts';
import { findUnit } from '../units/units.repository.ts';
import { peopleWithin, personNotInScope, resolvePeople, type PeopleWithin } from '../users/people-in-scope.ts';
import type { Unit } from '../units/units.types.ts';
import { addDays, isOverdue, moverOf, nextStatuses, type ActionStatus } from './actions.logic.ts';
import * as repo from './actions.repository.ts';
import { actionInput, exportMax, findingQuery, listFilters, listQuery, pageParam, pageSize, transitionInput, type ActionListQuery } from './actions.schemas.ts';
import type { ActionRow, FindingRow } from './actions.repository.ts';

export type { ActionRow, FindingRow } from './actions.repository.ts';
export type { ActionListQuery } from './actions.schemas.ts';

/** An action as shown: with whether it is overdue today and what the viewer may do with it. */
export interface ActionView extends ActionRow {
  overdue: boolean;
  /** Statuses this viewer may move the action to now. */
  moves: ActionStatus[];
  canEdit: boolean;
}

export interface FindingDetails {
  finding: FindingRow;
  /** The form item the finding was raised on (its question), when the form has it. */
  itemText: LocalizedText | null;
  actions: ActionView[];
  canManage: boolean;
  /** Actions that keep a major finding from closing (not verified yet). */
  blocking: ActionView[];
}

/** Whom an action may be given to: someone holding a role on the finding's unit or a unit above it, in its province. */
const ownersOf = (unitPath: string): PeopleWithin => ({ lineOf: unitPath });

/**
 * Corrective actions on findings (ISO 9001 clause 10.2) and the closing of findings. Scope as for
 * units: a finding or action of a unit outside the caller's scope does not exist (404). Every
 * write and its audit row share one transaction.
 */
export class ActionsService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly handOff: HandOff = noHandOff,
  ) {}

  today(): string {
    return vnDate(this.clock.now());
  }

  private can(actor: Actor, cap: Capability, unitPath: string): boolean {
    return inScope(scopeFor(actor.user, cap), unitPath);
  }

  private view(actor: Actor, a: ActionRow, today = this.today()): ActionView {
    const manager = this.can(actor, 'action.manage', a.unitPath);
    const owner = a.ownerId === actor.user.id;
    const verifier = this.can(actor, 'action.verify', a.unitPath) && !owner;
    const moves = nextStatuses(a.status).filter((to) => (moverOf(a.status, to) === 'worker' ? manager || owner : verifier));
    return { ...a, overdue: isOverdue(a, today), moves, canEdit: manager && a.status !== 'verified' };
  }

  private async readableFinding(actor: Actor, id: number, db: Knex | Knex.Transaction = this.db): Promise<FindingRow> {
    const f = await repo.findFinding(db, id);
    if (!f || !this.can(actor, 'unit.read', f.unitPath)) throw new AppError('NOT_FOUND');
    return f;
  }

  private async readableAction(actor: Actor, id: number, db: Knex | Knex.Transaction = this.db): Promise<ActionRow> {
    const a = await repo.findAction(db, id);
    if (!a || !this.can(actor, 'unit.read', a.unitPath)) throw new AppError('NOT_FOUND');
    return a;
  }

  async finding(actor: Actor, id: number): Promise<FindingDetails> {
    const finding = await this.readableFinding(actor, id);
    const [actions, form] = await Promise.all([repo.actionsOfFinding(this.db, id), checkFormOf(this.db, finding.checkId)]);
    const today = this.today();
    const views = actions.map((a) => this.view(actor, a, today));
    return {
      finding,
      actions: views,
      itemText: form ? (findItem(form, finding.itemId)?.item.text ?? null) : null,
      canManage: this.can(actor, 'action.manage', finding.unitPath),
      blocking: finding.severity === 'major' ? views.filter((a) => a.status !== 'verified') : [],
    };
  }

  /** Whom an action on this unit may be given to (for the owner field's suggestions). */
  ownerCandidates(unitPath: string): Promise<Array<{ username: string; fullName: string }>> {
    return peopleWithin(this.db, ownersOf(unitPath));
  }

  async action(actor: Actor, id: number): Promise<ActionView> {
    return this.view(actor, await this.readableAction(actor, id));
  }

  private async ownerFor(unitPath: string, d: { owner?: string; ownerId?: number }, fields: FieldErrors) {
    if (!d.owner && !d.ownerId) {
      fields.owner = { key: 'v.required' };
      return undefined;
    }
    const { found } = await resolvePeople(this.db, ownersOf(unitPath), d.ownerId ? { ids: [d.ownerId] } : { usernames: [d.owner ?? ''] });
    if (!found[0]) fields[d.ownerId ? 'ownerId' : 'owner'] = personNotInScope;
    return found[0];
  }

  /** Checks an action's fields against its finding: an owner of the unit, a due date not before the finding. */
  private async checkedValues(finding: FindingRow, input: unknown): Promise<repo.ActionValues & { version?: number }> {
    const d = validate(actionInput, input);
    const fields: FieldErrors = {};
    const owner = await this.ownerFor(finding.unitPath, d, fields);
    // The finding dates from its check: an action cannot be due before the problem was found.
    if (d.dueDate < finding.checkDate) fields.dueDate = { key: 'v.actions_due_before', params: { date: dayText(finding.checkDate) } };
    if (Object.keys(fields).length || !owner) throw new AppError('VALIDATION_FAILED', {}, fields);
    return { cause: d.cause, action: d.action, ownerId: owner.id, dueDate: d.dueDate, version: d.version };
  }

  async create(actor: Actor, findingId: number, input: unknown): Promise<ActionView> {
    const finding = await this.readableFinding(actor, findingId);
    if (!this.can(actor, 'action.manage', finding.unitPath)) throw new AppError('NOT_FOUND');
    if (finding.status === 'closed') throw new AppError('FINDING_CLOSED');
    const v = await this.checkedValues(finding, input);
    const id = await this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      // Re-read under the transaction: a finding closed meanwhile takes no new action.
      const still = await repo.findFinding(trx, findingId);
      if (!still || still.status === 'closed') throw new AppError('FINDING_CLOSED');
      const newId = await repo.insertAction(trx, findingId, finding.unitId, v, actor.user.id, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'create',
        entity: 'corrective_action',
        entityId: newId,
        unitId: finding.unitId,
        after: { findingId, cause: v.cause, action: v.action, ownerId: v.ownerId, dueDate: v.dueDate },
        requestId: actor.requestId,
      });
      return newId;
    });
    // The finding has its action: the officers asked to record one need not any more.
    await this.handOff({ record: `finding:${findingId}`, actorId: actor.user.id });
    return this.action(actor, id);
  }

  async update(actor: Actor, id: number, input: unknown): Promise<ActionView> {
    const before = await this.readableAction(actor, id);
    if (!this.can(actor, 'action.manage', before.unitPath)) throw new AppError('NOT_FOUND');
    if (before.status === 'verified') throw new AppError('ACTION_WRONG_STATE', { status: before.status });
    const finding = await this.readableFinding(actor, before.findingId);
    const v = await this.checkedValues(finding, input);
    await this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      const n = await repo.updateAction(
        trx,
        id,
        v.version ?? before.version,
        { cause: v.cause, action: v.action, owner_id: v.ownerId, due_date: v.dueDate },
        at,
      );
      if (!n) throw new AppError('STALE_EDIT');
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'update',
        entity: 'corrective_action',
        entityId: id,
        unitId: before.unitId,
        before: { cause: before.cause, action: before.action, ownerId: before.ownerId, dueDate: before.dueDate },
        after: { cause: v.cause, action: v.action, ownerId: v.ownerId, dueDate: v.dueDate },
        requestId: actor.requestId,
      });
    });
    return this.action(actor, id);
  }

  /**
   * Moves an action along its life cycle. The owner (or a manager) works on it; verification is
   * for someone holding `action.verify` who is not the owner; a reopen says why.
   */
  async transition(actor: Actor, id: number, input: unknown): Promise<ActionView> {
    const d = validate(transitionInput, input);
    const a = await this.readableAction(actor, id);
    const mover = moverOf(a.status, d.to);
    const owner = a.ownerId === actor.user.id;
    const manager = this.can(actor, 'action.manage', a.unitPath);
    const verifier = this.can(actor, 'action.verify', a.unitPath);
    if (d.to === 'verified' || d.to === 'reopened') {
      if (!verifier) throw new AppError('NOT_FOUND');
      // Clause 10.2: the effectiveness is judged by someone other than who did the work.
      if (owner) throw new AppError('ACTION_SELF_VERIFY');
    } else if (!owner && !manager) {
      // Readers of the action (the unit's leader, say) see it, but only its owner or a manager moves the work on.
      throw new AppError('ACTION_NOT_OWNER');
    }
    if (!mover) throw new AppError('ACTION_WRONG_STATE', { status: a.status });
    if (d.version !== undefined && d.version !== a.version) throw new AppError('STALE_EDIT');
    if (d.to === 'reopened' && !d.note) throw new AppError('VALIDATION_FAILED', {}, { note: { key: 'v.actions_reopen_note' } });

    await this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      const verification = d.to === 'verified' || d.to === 'reopened' ? { by: actor.user.id, note: d.note ?? null } : undefined;
      // Conditional on the version read above: of two moves at once, the second finds it changed.
      if (!(await repo.moveAction(trx, id, a, { to: d.to, verification }, at))) throw new AppError('ACTION_WRONG_STATE', { status: a.status });
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'transition',
        entity: 'corrective_action',
        entityId: id,
        unitId: a.unitId,
        before: { status: a.status },
        after: { status: d.to, note: d.note ?? null },
        requestId: actor.requestId,
      });
    });
    if (d.to === 'done' || a.status === 'done') await handOnAction(this.handOff, actor, a, d.to === 'done');
    return this.action(actor, id);
  }

  /**
   * Closes a finding by hand. A major nonconformity closes only when it has actions and every one
   * of them was verified effective (clause 10.2: the action's effectiveness is reviewed); the
   * error names those still open.
   */
  async closeFinding(actor: Actor, id: number): Promise<FindingRow> {
    const finding = await this.readableFinding(actor, id);
    if (!this.can(actor, 'action.manage', finding.unitPath)) throw new AppError('NOT_FOUND');
    await this.db.transaction(async (trx) => {
      const f = (await repo.findFinding(trx, id))!;
      if (f.status === 'closed') throw new AppError('FINDING_CLOSED');
      if (f.severity === 'major') {
        const open = (await repo.actionsOfFinding(trx, id)).filter((a) => a.status !== 'verified');
        if (open.length || f.actions === 0) {
          const list = open.map((a) => `#${a.id} (${a.ownerName})`).join(', ');
          throw new AppError('FINDING_ACTIONS_UNVERIFIED', { n: open.length, list: list || '—' });
        }
      }
      const at = iso(this.clock.now());
      if (!(await repo.closeFinding(trx, id, actor.user.id, at))) throw new AppError('FINDING_CLOSED');
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'close',
        entity: 'finding',
        entityId: id,
        unitId: f.unitId,
        before: { status: 'open' },
        after: { status: 'closed' },
        requestId: actor.requestId,
      });
    });
    return this.readableFinding(actor, id);
  }

  private async unitIn(actor: Actor, unitId: number): Promise<Unit> {
    const unit = await findUnit(this.db, unitId, scopeFor(actor.user, 'unit.read'));
    if (!unit) throw new AppError('NOT_FOUND');
    return unit;
  }

  /** Actions of every unit in the caller's scope, filtered (the province list, `/actions`). */
  async list(actor: Actor, query: unknown, strict = false, all = false): Promise<{ query: ActionListQuery; page: Page<ActionView>; unit?: Unit }> {
    const q = listFilters(listQuery, query, strict);
    // The export: every matching action on one page.
    if (all) Object.assign(q, { page: 1, pageSize: exportMax });
    const today = this.today();
    // An unknown or out-of-scope unit filters to nothing rather than failing: it is a search.
    const unit = q.unit ? await findUnit(this.db, q.unit, scopeFor(actor.user, 'unit.read')) : undefined;
    if (q.unit && !unit) return { query: q, page: { items: [], total: 0, page: 1, pageSize: q.pageSize, pages: 1 } };
    const page = await repo.listActions(this.db, {
      scope: scopeFor(actor.user, 'unit.read'),
      unitPath: unit?.path,
      status: q.status,
      severity: q.severity,
      overdueOn: q.overdue ? today : undefined,
      page: q.page,
      pageSize: q.pageSize,
    });
    return { query: q, unit, page: { ...page, items: page.items.map((a) => this.view(actor, a, today)) } };
  }

  /**
   * The same list as a workbook, every matching action (at most `exportMax`), for a coordinator
   * to send the units what is still open. A filter the page could not read is left out, as there.
   */
  async exportXlsx(actor: Actor, query: unknown, t: (key: string, params?: Record<string, string | number>) => string): Promise<Buffer> {
    const { page } = await this.list(actor, query, false, true);
    return listWorkbook(
      t('actions.sheet'),
      [
        { header: t('actions.unit'), width: 30 },
        { header: t('actions.finding'), width: 14 },
        { header: t('actions.severity'), width: 14 },
        { header: t('actions.check'), width: 12 },
        { header: t('actions.cause'), width: 40 },
        { header: t('actions.action'), width: 40 },
        { header: t('actions.owner'), width: 24 },
        { header: t('actions.due_date'), width: 12 },
        { header: t('actions.status'), width: 18 },
        { header: t('actions.overdue'), width: 10 },
      ],
      page.items.map((a) => [
        a.unitName,
        `#${a.findingId} ${a.clauseRef}`,
        t(`checks.severities.${a.severity}`),
        dayText(a.checkDate),
        a.cause,
        a.action,
        a.ownerName,
        dayText(a.dueDate),
        t(`actions.statuses.${a.status}`),
        a.overdue ? t('actions.overdue') : '',
      ]),
    );
  }

  /** A unit's open findings and its unfinished actions (with its sub-units). */
  async forUnit(actor: Actor, unitId: number, query: Record<string, unknown> = {}) {
    const unit = await this.unitIn(actor, unitId);
    const scope = scopeFor(actor.user, 'unit.read');
    const fp = pageParam.catch(1).parse(query.fpage);
    const ap = pageParam.catch(1).parse(query.page);
    const today = this.today();
    const [findings, actions] = await Promise.all([
      repo.listFindings(this.db, { scope, unitPath: unit.path, status: 'open', page: fp, pageSize }),
      repo.listActions(this.db, { scope, unitPath: unit.path, unfinished: true, page: ap, pageSize }),
    ]);
    return { unit, findings, actions: { ...actions, items: actions.items.map((a) => this.view(actor, a, today)) } };
  }

  async listFindings(actor: Actor, query: unknown, strict = false): Promise<Page<FindingRow>> {
    const q = listFilters(findingQuery, query, strict);
    const scope = scopeFor(actor.user, 'unit.read');
    const unit = q.unit ? await findUnit(this.db, q.unit, scope) : undefined;
    if (q.unit && !unit) return { items: [], total: 0, page: 1, pageSize: q.pageSize, pages: 1 };
    return repo.listFindings(this.db, {
      scope,
      unitPath: unit?.path,
      checkId: q.check,
      status: q.status,
      severity: q.severity,
      page: q.page,
      pageSize: q.pageSize,
    });
  }

  /** Reminder reads (no actor: reminders look at every unit). Unfinished actions due from today to `days` ahead. */
  dueSoon(day: string, days: number): Promise<ActionRow[]> {
    return repo.unfinishedDueBetween(this.db, day, addDays(day, days));
  }

  /** Reminder reads: unfinished actions due before `day`. */
  overdue(day: string): Promise<ActionRow[]> {
    return repo.unfinishedDueBetween(this.db, null, addDays(day, -1));
  }
}
