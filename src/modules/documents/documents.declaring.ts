import { AppError } from '../../kernel/errors.ts';
import type { Db } from '../../kernel/db.ts';
import { monthsBefore } from '../../lib/time.ts';
import { declarationChecks, declaringTypes, missingText, type DeclarationCheck } from './declaration-checks.ts';
import { declarationFactsOf } from './declaration-checks.repository.ts';

export { declaringTypes, type DeclarationCheck };

/** The checks of a declaring document dated `date`; null for every other type. */
export async function checksOf(db: Db, d: { type: string; unitId: number }, date: string): Promise<DeclarationCheck[] | null> {
  if (!declaringTypes.includes(d.type)) return null;
  return declarationChecks(await declarationFactsOf(db, d.unitId, date), date, monthsBefore(date, 12));
}

/** The leader's written reason given with an issue (`overrideReason`), trimmed; '' when none. */
export function overrideReasonOf(input: unknown): string {
  const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).overrideReason : undefined;
  return typeof given === 'string' ? given.trim().slice(0, 2000) : '';
}

/**
 * Whether the document may be issued with its checks as they stand. All met: whoever may issue.
 * Something missing: only the leader (document.approve), with a written reason, which is returned
 * for the audit entry. Otherwise a 422 naming what is missing.
 */
export function issueGate(checks: DeclarationCheck[] | null, reason: string, canIssue: boolean, isLeader: boolean): { reason: string; missing: string } | null {
  const missing = checks ? missingText(checks) : '';
  if (!missing) {
    if (!canIssue) throw new AppError('NOT_FOUND');
    return null;
  }
  if (!reason) throw new AppError('DOCUMENT_PRECONDITIONS', { missing }, { overrideReason: { key: 'v.doc_override_reason' } });
  if (!isLeader) throw new AppError('DOCUMENT_OVERRIDE_LEADER', { missing });
  return { reason, missing };
}
