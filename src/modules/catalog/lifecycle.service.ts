import type { Knex } from 'knex';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso, vnDate } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { AuditAction } from '../../kernel/audit-words.ts';
import { noHandOff, type HandOff, type HandoffKind } from '../../kernel/handoff.ts';
import type { Role } from '../../auth/roles.ts';
import { flagScopeChange } from './catalog.scope.ts';
import { issueInput, noteInput, reasonInput } from './catalog.schemas.ts';
import type { Procedure, Revision } from './catalog.types.ts';
import { checksOf } from './drafting-rules.ts';
import { can, headOf, pendingIn, procedureFor } from './procedures.access.ts';
import * as repo from './procedures.repository.ts';
import { codeAndNameOf, legalDaysOf } from './tthc.repository.ts';

type Trx = Knex.Transaction;

/**
 * Document control (ISO 9001 clause 7.5): draft -> in review -> approved -> issued, with who and
 * when at each signature; approval needs the leader role. Issuing a revision supersedes the one in
 * force; withdrawing keeps everything. Each step is one transaction with its audit row.
 */
export class LifecycleService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly handOff: HandOff = noHandOff,
    private readonly selfReview: 'never' | 'sole-officer' = 'never',
  ) {}

  /**
   * One step of the life cycle in its transaction, then its hand-off: `next` names the step that
   * now waits and who takes it; `null` means nothing waits any more (the earlier notices settle).
   */
  private async step(
    actor: Actor,
    id: number,
    caps: Parameters<typeof procedureFor>[3],
    run: (trx: Trx, p: Procedure, at: string) => Promise<Record<string, unknown>>,
    action: AuditAction,
    next?: { kind: HandoffKind; roles: Role[] } | null,
  ): Promise<Procedure> {
    let revisionNo: unknown;
    const done = await this.db.transaction(async (trx) => {
      const p = await procedureFor(trx, actor, id, caps);
      const at = iso(this.clock.now());
      const after = await run(trx, p, at);
      revisionNo = after.revisionNo;
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action,
        entity: 'procedure',
        entityId: p.id,
        unitId: p.unitId,
        before: { status: p.status, pendingStatus: p.pendingStatus },
        after,
        requestId: actor.requestId,
      });
      return procedureFor(trx, actor, id);
    });
    if (next !== undefined) {
      const told = await this.handOff({
        record: `procedure:${done.id}`,
        actorId: actor.user.id,
        next: next
          ? {
              ...next,
              unitId: done.unitId,
              unitName: done.unitName,
              title: `${done.code} ${done.title}${typeof revisionNo === 'number' ? ` (lần ${revisionNo})` : ''}`,
              link: `/procedures/${done.id}`,
            }
          : undefined,
      });
      actor.told?.(told);
    }
    return done;
  }

  /** Moves the revision being prepared and mirrors its status on the procedure row. */
  private async setPending(trx: Trx, p: Procedure, r: Revision, status: 'draft' | 'in_review' | 'approved', patch: Record<string, unknown>, at: string) {
    if (!(await repo.stepRevision(trx, r.id, r.version, r.status, { ...patch, status }, at))) throw new AppError('PROCEDURE_WRONG_STATE');
    await repo.updateProcedure(trx, p.id, p.issuedRevisionId === null ? { status, pending_status: status } : { pending_status: status }, at);
  }

  private async assertComplete(trx: Trx, r: Revision): Promise<void> {
    const c = checksOf(r, r.tthcId ? await legalDaysOf(trx, r.tthcId) : null);
    if (c.noSteps) throw new AppError('PROCEDURE_NO_STEPS');
    if (c.blocking) {
      throw new AppError('PROCEDURE_INCOMPLETE', {
        steps: c.stepsWithoutResponsible.join(', ') || '-',
        records: c.recordsWithoutRetention.join(', ') || '-',
      });
    }
    if (r.revisionNo > 1 && !r.changeSummary) throw new AppError('PROCEDURE_CHANGE_SUMMARY');
  }

  submit(actor: Actor, id: number): Promise<Procedure> {
    return this.step(
      actor,
      id,
      ['catalog.write'],
      async (trx, p, at) => {
        const r = await pendingIn(trx, p, ['draft']);
        await this.assertComplete(trx, r);
        await this.setPending(
          trx,
          p,
          r,
          'in_review',
          {
            drafted_by: actor.user.id,
            drafted_at: at,
            reviewed_by: null,
            reviewed_at: null,
            approved_by: null,
            approved_at: null,
            review_note: null,
          },
          at,
        );
        return { revisionNo: r.revisionNo, status: 'in_review' };
      },
      'submit',
      { kind: 'review_procedure', roles: ['officer'] },
    );
  }

  /** Sends the revision back to its writer with a note; the signatures so far are cleared. */
  async sendBack(actor: Actor, id: number, input: unknown): Promise<Procedure> {
    const { note } = validate(noteInput, input);
    return this.step(
      actor,
      id,
      ['catalog.write', 'catalog.approve'],
      async (trx, p, at) => {
        const r = await pendingIn(trx, p, ['in_review', 'approved']);
        await this.setPending(trx, p, r, 'draft', { reviewed_by: null, reviewed_at: null, approved_by: null, approved_at: null, review_note: note }, at);
        return { revisionNo: r.revisionNo, status: 'draft', note };
      },
      'send_back',
      null,
    );
  }

  /**
   * Separation of duties (ISO 9001 7.5.2, review and approval): another person than its drafter
   * reviews a revision, unless the deployment lets a unit's only officer review their own draft.
   * The page asks it too, to show the step disabled with its reason rather than offer a refusal.
   */
  async mayReview(actor: Actor, unitId: number, r: Pick<Revision, 'drafted'>, db: Knex | Trx = this.db): Promise<boolean> {
    if (r.drafted.userId !== actor.user.id) return true;
    return this.selfReview === 'sole-officer' && (await repo.activeWriters(db, unitId)) === 1;
  }

  /** The reviewer's signature (xem xét). */
  review(actor: Actor, id: number): Promise<Procedure> {
    return this.step(
      actor,
      id,
      ['catalog.write', 'catalog.approve'],
      async (trx, p, at) => {
        const r = await pendingIn(trx, p, ['in_review']);
        if (!(await this.mayReview(actor, p.unitId, r, trx))) throw new AppError('PROCEDURE_SELF_REVIEW');
        if (!(await repo.stepRevision(trx, r.id, r.version, r.status, { reviewed_by: actor.user.id, reviewed_at: at }, at)))
          throw new AppError('PROCEDURE_WRONG_STATE');
        return { revisionNo: r.revisionNo, reviewedBy: actor.user.id };
      },
      'review',
      { kind: 'approve_procedure', roles: ['leader'] },
    );
  }

  /** The approver's signature (phê duyệt): only a leader of the unit (or an administrator). */
  approve(actor: Actor, id: number): Promise<Procedure> {
    return this.step(
      actor,
      id,
      ['catalog.read'],
      async (trx, p, at) => {
        // The procedure is visible to the caller, so refusing with a reason reveals nothing.
        if (!can(actor, p, 'catalog.approve')) throw new AppError('PROCEDURE_APPROVE_LEADER');
        const r = await pendingIn(trx, p, ['in_review']);
        if (!r.reviewed.userId) throw new AppError('PROCEDURE_NOT_REVIEWED');
        if (r.drafted.userId === actor.user.id) throw new AppError('PROCEDURE_SELF_REVIEW');
        await this.setPending(trx, p, r, 'approved', { approved_by: actor.user.id, approved_at: at }, at);
        return { revisionNo: r.revisionNo, status: 'approved' };
      },
      'approve',
      { kind: 'issue_procedure', roles: ['officer'] },
    );
  }

  /**
   * Issues the approved revision: it comes into force on its issue date and the one before it is
   * superseded. A first issue adds the procedure to the unit's scope (re-declaration if declared).
   */
  async issue(actor: Actor, id: number, input: unknown = {}): Promise<Procedure> {
    const { issueDate } = validate(issueInput, input);
    return this.step(
      actor,
      id,
      ['catalog.write', 'catalog.approve'],
      async (trx, p, at) => {
        // No steps is said first, whatever the state: it is what the officer has to fix.
        const r = await headOf(trx, p);
        if (r.steps.length === 0) throw new AppError('PROCEDURE_NO_STEPS');
        if (r.status !== 'approved') throw new AppError('PROCEDURE_WRONG_STATE');
        await this.assertComplete(trx, r);
        const day = issueDate ?? vnDate(this.clock.now());
        if (!(await repo.stepRevision(trx, r.id, r.version, 'approved', { status: 'issued', issued_by: actor.user.id, issued_at: at, issue_date: day }, at))) {
          throw new AppError('PROCEDURE_WRONG_STATE');
        }
        if (p.issuedRevisionId !== null) await repo.updateRevision(trx, p.issuedRevisionId, { status: 'superseded', superseded_at: at }, at);
        const t = r.tthcId ? await codeAndNameOf(trx, r.tthcId) : undefined;
        await repo.updateProcedure(
          trx,
          p.id,
          {
            status: 'issued',
            pending_status: null,
            head_revision_id: r.id,
            issued_revision_id: r.id,
            revision_no: r.revisionNo,
            issue_date: day,
            last_reviewed_on: day,
            title: r.title,
            kind: r.kind,
            tthc_id: r.tthcId,
            total_days: r.totalDays,
            search_text: repo.searchText(r, t ? `${t.code} ${t.name}` : null),
            template_revision_no: r.templateRevisionNo ?? p.templateRevisionNo,
          },
          at,
        );
        if (p.issuedRevisionId === null && !p.isTemplate) {
          await flagScopeChange(trx, actor, p.unitId, `Thay đổi phạm vi: ban hành quy trình ${r.code} (${r.title})`, at);
        }
        return { revisionNo: r.revisionNo, status: 'issued', issueDate: day };
      },
      'issue',
      null,
    );
  }

  /** Withdraws the procedure in force, with the reason; it leaves the unit's scope but is kept. */
  async withdraw(actor: Actor, id: number, input: unknown): Promise<Procedure> {
    const { reason } = validate(reasonInput, input);
    return this.step(
      actor,
      id,
      ['catalog.write'],
      async (trx, p, at) => {
        if (p.status !== 'issued' || p.issuedRevisionId === null) throw new AppError('PROCEDURE_WRONG_STATE');
        if (p.headRevisionId !== p.issuedRevisionId) await repo.deleteDraftRevision(trx, p.headRevisionId);
        const inForce = (await repo.findRevision(trx, p.issuedRevisionId)) as Revision;
        if (
          !(await repo.stepRevision(
            trx,
            inForce.id,
            inForce.version,
            'issued',
            { status: 'withdrawn', withdrawn_by: actor.user.id, withdrawn_at: at, withdraw_reason: reason },
            at,
          ))
        ) {
          throw new AppError('PROCEDURE_WRONG_STATE');
        }
        await repo.updateProcedure(trx, p.id, { status: 'withdrawn', pending_status: null, head_revision_id: p.issuedRevisionId }, at);
        if (!p.isTemplate) await flagScopeChange(trx, actor, p.unitId, `Thay đổi phạm vi: bãi bỏ quy trình ${p.code} (${reason})`, at);
        return { status: 'withdrawn', reason };
      },
      'withdraw',
      null,
    );
  }

  /** Records a periodic review that found no change needed: the procedure is no longer due. */
  markReviewed(actor: Actor, id: number): Promise<Procedure> {
    return this.step(
      actor,
      id,
      ['catalog.write'],
      async (trx, p, at) => {
        if (p.status !== 'issued') throw new AppError('PROCEDURE_WRONG_STATE');
        const day = vnDate(this.clock.now());
        await repo.updateProcedure(trx, p.id, { last_reviewed_on: day }, at);
        return { lastReviewedOn: day };
      },
      'reviewed',
    );
  }
}
