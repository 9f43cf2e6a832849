import type { Role } from '../auth/roles.ts';

/** The steps that wait for someone, each named by what the person who takes it does. */
export const handoffKinds = [
  'review_procedure',
  'approve_procedure',
  'issue_procedure',
  'approve_document',
  'issue_document',
  'sign_check',
  'action_for_finding',
  'verify_action',
] as const;
export type HandoffKind = (typeof handoffKinds)[number];

/**
 * A step of one record's work has been taken. The notices of the record's earlier steps are
 * settled for everyone (whoever took it), and when another step now waits, the people holding
 * one of `roles` on the unit are told, except the person who just acted.
 */
export interface HandOffEvent {
  /** The record, as `<kind>:<id>` (`procedure:12`): its notices are settled together. */
  record: string;
  actorId: number;
  next?: {
    kind: HandoffKind;
    unitId: number;
    unitName: string;
    roles: Role[];
    title: string;
    link: string;
    /** Never told either, besides the actor: the owner of an action someone else marked done. */
    except?: number[];
  };
}

/**
 * Tells the people a step waits for and answers their names (for the page's message); never
 * fails the step it follows (the save is kept): a notice not delivered answers nobody.
 */
export type HandOff = (e: HandOffEvent) => Promise<string[]>;

export const noHandOff: HandOff = () => Promise.resolve([]);
