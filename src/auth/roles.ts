/**
 * Roles and what each allows (DESIGN.md, Access). A user holds roles on units; a role on a unit
 * holds for that unit and its whole subtree. `admin` holds everywhere.
 */
export const roles = ['admin', 'coordinator', 'officer', 'inspector', 'leader', 'viewer'] as const;
export type Role = (typeof roles)[number];

export type Capability =
  | 'unit.read'
  | 'unit.manage' // create, edit, move, merge units
  | 'unit.iso_state' // set the ISO state by hand
  | 'audit.read'
  | 'catalog.read'
  | 'catalog.write' // write procedures, adopt TTHC, import, quality policy and objectives
  | 'catalog.approve' // approve a procedure (the leader's signature, ISO 9001 clause 7.5)
  | 'tthc.manage' // keep the province's TTHC list and publish template procedures
  | 'check.plan' // plan a compliance check or internal audit of a unit
  | 'check.answer'; // answer and submit a check (auditors named on a check may too)

const grants: Record<Role, Capability[]> = {
  admin: ['unit.read', 'unit.manage', 'unit.iso_state', 'audit.read', 'catalog.read', 'catalog.write', 'catalog.approve', 'tthc.manage', 'check.plan', 'check.answer'],
  coordinator: ['unit.read', 'unit.manage', 'unit.iso_state', 'audit.read', 'catalog.read', 'catalog.write', 'tthc.manage', 'check.plan', 'check.answer'],
  officer: ['unit.read', 'unit.iso_state', 'catalog.read', 'catalog.write', 'check.plan', 'check.answer'],
  leader: ['unit.read', 'catalog.read', 'catalog.approve'],
  inspector: ['unit.read', 'catalog.read', 'check.answer'],
  viewer: ['unit.read', 'catalog.read'],
};

export function roleGrants(role: Role, cap: Capability): boolean {
  return grants[role].includes(cap);
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
