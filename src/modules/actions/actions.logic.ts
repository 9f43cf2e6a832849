import type { Severity } from '../../plugins/contract.ts';

/**
 * The life cycle of a corrective action (ISO 9001 clause 10.2): the owner works on it, someone
 * else verifies that it removed the cause. A failed verification reopens it and the loop starts
 * again (reopened -> in_progress -> done -> verified).
 */
export const actionStatuses = ['open', 'in_progress', 'done', 'verified', 'reopened'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export const findingStatuses = ['open', 'closed'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

export const severities = ['major', 'minor', 'observation'] as const satisfies readonly Severity[];

/** Who may make a move: the owner (or a manager) works; a verifier other than the owner judges. */
export type Mover = 'worker' | 'verifier';

const moves: Record<ActionStatus, Partial<Record<ActionStatus, Mover>>> = {
  open: { in_progress: 'worker' },
  in_progress: { done: 'worker' },
  done: { verified: 'verifier', reopened: 'verifier' },
  reopened: { in_progress: 'worker' },
  verified: {},
};

/** Who may move an action from one status to another, or undefined when the move does not exist. */
export function moverOf(from: ActionStatus, to: ActionStatus): Mover | undefined {
  return moves[from][to];
}

/** The statuses an action may go to next. */
export function nextStatuses(from: ActionStatus): ActionStatus[] {
  return Object.keys(moves[from]) as ActionStatus[];
}

/** Statuses in which the work is finished (no longer overdue, whatever the date). */
export const finishedStatuses: readonly ActionStatus[] = ['done', 'verified'];

/** Overdue = due before today and the work not finished (the same rule in lists, reminders and the dashboard). */
export function isOverdue(a: { dueDate: string; status: ActionStatus }, today: string): boolean {
  return a.dueDate < today && !finishedStatuses.includes(a.status);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
