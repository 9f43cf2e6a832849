import type { Knex } from 'knex';
import { roleGrants, type Capability, type Scope, type SessionUser } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Locale } from '../../lib/i18n.ts';
import * as repo from './handoffs.repository.ts';
import type { Handoff } from './handoffs.repository.ts';

type Titled = { title: Record<Locale, string> } | undefined;

/**
 * The units where a user takes part in the unit's own work for one capability: officers, leaders
 * and inspectors of a unit and the units under it. A coordinator's role covers the whole
 * province, whose steps the dashboard follows; listing every commune's step as the coordinator's
 * own would bury what is really theirs. Administrators take no step of a unit's work here.
 */
export function ownScope(user: SessionUser, cap: Capability): Scope {
  const paths = user.roles
    .filter((r) => r.role !== 'admin' && r.role !== 'coordinator' && r.unitPath && roleGrants(r.role, cap))
    .map((r) => r.unitPath as string);
  return { all: false, paths: [...new Set(paths)] };
}

/**
 * "Chờ tôi xử lý": every step of another person's work that waits for this user, read from the
 * records' own states, so a step disappears from everyone's list as soon as anyone takes it.
 * Separation of duties shows here too: a drafter is not offered the review of their own revision,
 * an owner not the verification of their own action, an auditor not the sign-off of their check.
 */
export class HandoffsService {
  constructor(
    private readonly db: Knex,
    private readonly documentType: (type: string) => Titled,
  ) {}

  async waitingFor(actor: Actor, locale: Locale): Promise<Handoff[]> {
    const u = actor.user;
    const id = u.id;
    const s = (cap: Capability) => ownScope(u, cap);
    const lists = await Promise.all([
      repo.toReview(this.db, s('catalog.write'), id),
      repo.toApprove(this.db, s('catalog.approve'), id),
      repo.toIssue(this.db, s('catalog.write')),
      repo.documentsIn(this.db, s('document.approve'), 'draft'),
      repo.documentsIn(this.db, s('document.issue'), 'approved'),
      repo.toSign(this.db, s('check.sign'), id),
      repo.findingsWithoutAction(this.db, s('action.manage')),
      repo.toVerify(this.db, s('action.verify'), id),
    ]);
    const [review, approve, issue, docsToApprove, docsToIssue, sign, findings, verify] = lists;
    const docTitle = (d: { type: string; numberText: string }) => `${this.documentType(d.type)?.title[locale] ?? d.type} ${d.numberText}`.trim();
    const formTitle = (json: string) => {
      const f = JSON.parse(json) as { title?: Partial<Record<Locale, string>> };
      return f.title?.[locale] ?? f.title?.vi ?? '';
    };
    const all: Handoff[] = [
      ...review,
      ...approve,
      ...issue,
      ...[...docsToApprove, ...docsToIssue].map(({ type, numberText, ...d }) => ({ ...d, title: docTitle({ type, numberText }) })),
      ...sign.map(({ formJson, ...c }) => ({ ...c, title: formTitle(formJson) })),
      ...findings,
      ...verify,
    ];
    // The oldest step first: it has waited longest.
    return all.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
  }
}
