import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import { isAdmin, scopeFor } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import { listAudit } from './audit.repository.ts';

const auditQuery = z.object({
  // Any module's entity name (unit, user, procedure, check, ...); unknown names simply match nothing.
  entity: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  entityId: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .optional(),
  ),
  userId: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .optional(),
  ),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
  pageSize: z.coerce.number().int().min(1).max(200).optional().default(50),
});

export class AuditService {
  constructor(private readonly db: Knex) {}

  /** Administrators see everything; coordinators the entries of units in their subtree. */
  async list(actor: Actor, query: unknown) {
    const scope = scopeFor(actor.user, 'audit.read');
    if (!scope.all && scope.paths.length === 0) throw new AppError('NOT_FOUND');
    const q = validate(auditQuery, query);
    return listAudit(this.db, { scope, ...q });
  }

  canRead(actor: Actor): boolean {
    const scope = scopeFor(actor.user, 'audit.read');
    return isAdmin(actor.user) || (!scope.all && scope.paths.length > 0);
  }
}
