import type { Knex } from 'knex';
import { randomToken, sha256 } from '../../auth/password.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import * as access from './access.repository.ts';
import { tokenInput } from './users.schemas.ts';

/** API tokens: shown once, stored as SHA-256, scoped exactly like their owner. */
export class TokensService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  list(actor: Actor): Promise<access.TokenRow[]> {
    return access.tokensOf(this.db, actor.user.id);
  }

  async create(actor: Actor, input: unknown): Promise<{ id: number; token: string }> {
    const { name } = validate(tokenInput, input);
    const token = `isot_${randomToken(24)}`;
    return this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      const id = await access.insertToken(trx, { userId: actor.user.id, name, tokenHash: sha256(token), prefix: token.slice(0, 9) }, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'create',
        entity: 'api_token',
        entityId: id,
        unitId: null,
        after: { name },
        requestId: actor.requestId,
      });
      return { id, token };
    });
  }

  async revoke(actor: Actor, id: number): Promise<void> {
    await this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      if (!(await access.revokeToken(trx, actor.user.id, id, at))) throw new AppError('NOT_FOUND');
      await writeAudit(trx, { at, userId: actor.user.id, action: 'revoke', entity: 'api_token', entityId: id, unitId: null, requestId: actor.requestId });
    });
  }

  /** The id of the owner of an active token, or undefined. */
  async ownerOf(token: string): Promise<number | undefined> {
    const row = await access.activeToken(this.db, sha256(token));
    if (!row) return undefined;
    const now = this.clock.now();
    // Written at most once a minute per token, so API reads stay reads.
    if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > 60_000) {
      await access.markTokenUsed(this.db, row.id, iso(now));
    }
    return row.userId;
  }
}
