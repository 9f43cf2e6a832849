import { inScope, isAdmin, scopeFor, type SessionUser } from '../../auth/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Db } from '../../kernel/db.ts';
import { isTeamMember, loadInspection } from './inspections.repository.ts';
import type { Inspection } from './inspections.types.ts';

export { inspectionStatuses, type Inspection } from './inspections.types.ts';

/**
 * What one user may do with one inspection. The privacy rule: the personal violations
 * (those against a named official) are seen by the team that recorded them, the coordinators of
 * the province and the leader of the official's unit; the unit's ISO officer sees the unit's
 * findings and the record without the names (docs/architecture.md, Inspections). The system
 * administrator holds every capability (roles.ts), this one included.
 */
export interface InspectionAccess {
  /** A member of the inspection's team (and an inspector on the unit), or the administrator. */
  team: boolean;
  /** A coordinator over the unit. */
  coordinator: boolean;
  /** The inspected unit's officer or leader. */
  unit: boolean;
  read: boolean;
  personal: boolean;
  /** Enter attendance and answers, close the record: the team, while on site. */
  record: boolean;
  /** Write the conclusion, accept or return answers: the team or a coordinator. */
  conclude: boolean;
  /** Answer a required correction: the unit. */
  answer: boolean;
}

export function covers(paths: string[], unitPath: string): boolean {
  return paths.some((p) => unitPath.startsWith(p));
}

export async function accessTo(db: Db, user: SessionUser, i: Pick<Inspection, 'teamId' | 'unitPath' | 'status'>): Promise<InspectionAccess> {
  const admin = isAdmin(user);
  const team = admin || (inScope(scopeFor(user, 'inspection.inspect'), i.unitPath) && (await isTeamMember(db, i.teamId, user.id)));
  const coordinator = inScope(scopeFor(user, 'inspection.manage'), i.unitPath);
  const unit = inScope(scopeFor(user, 'inspection.unit'), i.unitPath);
  const leader = inScope(scopeFor(user, 'inspection.personal'), i.unitPath);
  return {
    team,
    coordinator,
    unit,
    read: team || coordinator || unit,
    personal: team || coordinator || leader,
    record: team && i.status === 'on_site',
    conclude: team || coordinator,
    answer: unit,
  };
}

/** The inspection and the actor's access; 404 when the actor may not read it. */
export async function readableInspection(db: Db, user: SessionUser, id: number) {
  const inspection = await loadInspection(db, id);
  if (!inspection) throw new AppError('NOT_FOUND');
  const access = await accessTo(db, user, inspection);
  if (!access.read) throw new AppError('NOT_FOUND');
  return { inspection, access };
}
