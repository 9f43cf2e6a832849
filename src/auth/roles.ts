/**
 * Roles and what each allows (DESIGN.md, Access). A user holds roles on units; a role on a unit
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
  // Checks, more (issue 5, checks area).
  // Corrective actions, management reviews, audit programme (issue 5, actions area).
  // Inspections (issue 6).
  // Documents (issue 7).
  // Dashboards and on-time figures (issue 8).
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
