/**
 * Roles and what each allows (the access rules in docs/architecture.md and ADR 002). A user holds roles on units; a role on a unit
 * holds for that unit and its whole subtree. `admin` holds everywhere.
 */
export const roles = ['admin', 'coordinator', 'officer', 'inspector', 'leader', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** What each capability allows, and the roles that hold it (`admin` holds every one). */
const capabilities = {
  'unit.read': ['coordinator', 'officer', 'leader', 'inspector', 'viewer'],
  'unit.manage': ['coordinator'], // create, edit, move, merge units
  'unit.iso_state': ['coordinator', 'officer'], // set the ISO state by hand
  'audit.read': ['coordinator'],
  'catalog.read': ['coordinator', 'officer', 'leader', 'inspector', 'viewer'],
  'catalog.write': ['coordinator', 'officer'], // write procedures, adopt TTHC, import, quality policy and objectives
  'catalog.approve': ['leader'], // approve a procedure (the leader's signature, ISO 9001 clause 7.5)
  'tthc.manage': ['coordinator'], // keep the province's TTHC list and publish template procedures
  'check.plan': ['coordinator', 'officer'], // plan a compliance check or internal audit of a unit
  'check.answer': ['coordinator', 'officer', 'inspector'], // answer and submit a check (auditors named on a check may too)
  // Checks: sign-off and its states.
  'check.sign': ['leader'], // sign off a submitted check: the unit's leader answers for its result
  // Corrective actions, management reviews, audit programme (the actions area).
  'action.manage': ['coordinator', 'officer'], // record corrective actions on findings, edit them, close findings
  'action.verify': ['coordinator', 'officer', 'leader'], // verify an action effective or reopen it (never one's own: clause 10.2 asks for an independent check)
  'review.manage': ['coordinator', 'officer'], // prepare a management review record and make it final
  'programme.manage': ['coordinator', 'officer'], // plan the yearly internal audit programme of a unit or province
  // Inspections.
  'inspection.manage': ['coordinator'], // form teams and plans, read every inspection and its personal violations in the province, statistics
  'inspection.inspect': ['inspector'], // record inspections, but only as a member of a team assigned to the unit
  'inspection.unit': ['officer', 'leader'], // the inspected unit: read its record and conclusion, answer corrections
  'inspection.personal': ['leader'], // the unit's leader also sees the personal violations of the unit's officials
  'officials.manage': ['coordinator', 'officer'], // keep a unit's staff list (add, edit, deactivate, import)
  // Documents.
  'document.write': ['coordinator', 'officer'], // prepare a document's draft and edit its fields and number
  'document.approve': ['leader'], // approve a draft: the unit leader's decision to sign
  'document.issue': ['coordinator', 'officer'], // issue an approved document (stored for good, a declaration takes effect)
  'document.batch': ['coordinator'], // one ZIP of a document type for every unit of a province
  // Dashboards and on-time figures.
  'dashboard.read': ['coordinator'], // the province dashboard of every unit in the subtree (admin: the national overview)
  'ontime.write': ['coordinator', 'officer'], // enter on-time figures of a unit by hand or through the API
  'ontime.import': ['coordinator'], // import the on-time figures of the province's units from Excel
  // Citizens' satisfaction surveys.
  'satisfaction.read': ['coordinator', 'officer', 'leader'], // the survey results of a unit, its comments, the Excel export and the poster
  'satisfaction.callbacks': ['officer', 'leader'], // the phone numbers citizens left with consent (NĐ 13/2023/NĐ-CP): the unit's own people only
} as const satisfies Record<string, readonly Exclude<Role, 'admin'>[]>;

export type Capability = keyof typeof capabilities;

export function roleGrants(role: Role, cap: Capability): boolean {
  return role === 'admin' || (capabilities[cap] as readonly Role[]).includes(role);
}

export interface RoleAssignment {
  id: number;
  role: Role;
  unitId: number | null;
  /** Materialised path of the unit ('/1/5/'); null for admin. */
  unitPath: string | null;
  unitName: string | null;
  unitCode: string | null;
}

export interface SessionUser {
  id: number;
  username: string;
  fullName: string;
  email: string | null;
  locale: 'vi' | 'en';
  emailNotifications: boolean;
  roles: RoleAssignment[];
}

/**
 * The unit scope of a user for one capability: `all` for an administrator, otherwise the list of
 * subtree paths where the capability holds (possibly empty). Repositories filter by it.
 */
export type Scope = { all: true } | { all: false; paths: string[] };

export function scopeFor(user: SessionUser, cap: Capability): Scope {
  if (user.roles.some((r) => r.role === 'admin')) return { all: true };
  const paths = user.roles.filter((r) => r.unitPath && roleGrants(r.role, cap)).map((r) => r.unitPath as string);
  // Drop paths already covered by a shorter one, so queries stay small.
  const minimal = paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(q)));
  return { all: false, paths: [...new Set(minimal)] };
}

export function inScope(scope: Scope, unitPath: string): boolean {
  return scope.all || scope.paths.some((p) => unitPath.startsWith(p));
}

export function isAdmin(user: SessionUser | undefined): boolean {
  return !!user?.roles.some((r) => r.role === 'admin');
}
