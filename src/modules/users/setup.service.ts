import type { Knex } from 'knex';
import { randomToken, sha256 } from '../../auth/password.ts';
import type { AppConfig } from '../../config/config.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import * as access from './access.repository.ts';
import * as repo from './users.repository.ts';

/** First-run setup: a one-time link, no default password anywhere. */
export class SetupService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async needed(): Promise<boolean> {
    return (await repo.countUsers(this.db)) === 0;
  }

  /** Issues a setup token when no user exists yet; returns it (to print) or undefined. */
  async issue(): Promise<string | undefined> {
    if (!(await this.needed())) return undefined;
    const token = randomToken(24);
    const now = this.clock.now();
    await access.insertSetupToken(this.db, sha256(token), iso(now), iso(new Date(now.getTime() + this.config.setupTokenMs)));
    return token;
  }

  async valid(token: unknown): Promise<boolean> {
    if (typeof token !== 'string' || token.length < 10 || token.length > 100) return false;
    if (!(await this.needed())) return false;
    return access.setupTokenInForce(this.db, sha256(token), iso(this.clock.now()));
  }

  /** Consumes the token inside the transaction (serialises two people submitting at once). */
  consume(trx: Knex.Transaction, token: string): Promise<boolean> {
    return access.consumeSetupTokens(trx, sha256(token), iso(this.clock.now()));
  }
}
