import type { Knex } from 'knex';
import type { AppConfig } from '../../config/config.ts';
import { AppError } from '../../kernel/errors.ts';
import { dummyPasswordHash, verifyPassword } from '../../auth/password.ts';
import type { SessionUser } from '../../auth/roles.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import * as repo from './users.repository.ts';
import * as throttle from './throttle.repository.ts';

/** Signing in with a password or an API token, throttled in the database (throttle.repository.ts). */
export class SignInService {
  /** Passwords hashed by sign-in attempts since start: what throttling bounds. */
  passwordChecks = 0;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly sessionUser: (id: number) => Promise<SessionUser | undefined>,
    private readonly userForToken: (token: string) => Promise<SessionUser | undefined>,
  ) {}

  /** Checks a user name and password with throttling per account and per address. Wrong user and
   *  wrong password get the same answer and cost the same time. Each attempt takes a slot of both
   *  keys before its password is hashed (throttle.repository.ts), so attempts sent at once cannot
   *  outrun the limits; a right password gives its slots back. */
  async authenticate(rawUsername: string, password: string, address: string): Promise<SessionUser> {
    const username = String(rawUsername ?? '')
      .trim()
      .toLowerCase()
      .slice(0, 60);
    const now = this.clock.now().getTime();
    const { maxPerAccount, maxPerAddress, windowMs } = this.config.login;
    const acct = await throttle.reserveAttempt(this.db, `acct:${username}`, maxPerAccount, windowMs, now);
    if (!acct) throw await this.throttled('LOGIN_THROTTLED', [`acct:${username}`], now);
    const addr = await throttle.reserveAttempt(this.db, `addr:${address}`, maxPerAddress, windowMs, now);
    if (!addr) {
      await throttle.releaseAttempt(this.db, acct, maxPerAccount);
      throw await this.throttled('LOGIN_THROTTLED', [`addr:${address}`], now);
    }
    const cred = username ? await repo.findCredentials(this.db, username) : undefined;
    this.passwordChecks++;
    const ok = cred
      ? await verifyPassword(String(password ?? ''), cred.passwordHash)
      : (await verifyPassword(String(password ?? ''), await dummyPasswordHash(this.config.scryptCost)), false);
    // A failure keeps both slots taken: that is the count.
    if (!ok || !cred || !cred.isActive) throw new AppError('UNAUTHENTICATED');
    await throttle.releaseAttempt(this.db, acct, maxPerAccount);
    await throttle.releaseAttempt(this.db, addr, maxPerAddress);
    await repo.updateUserRow(this.db, cred.id, { lastLoginAt: iso(this.clock.now()) }, iso(this.clock.now()));
    return (await this.sessionUser(cred.id)) as SessionUser;
  }

  /** A bearer token's owner, with guessing throttled per address like sign-in: at most
   *  `maxPerAddress` wrong tokens a window get an answer; after that every token from the address,
   *  valid or not, is refused until the lock ends, so the answers tell a guesser nothing. A wrong
   *  token takes its slot in one guarded statement; a valid one only reads the lock, so API
   *  reads stay free of writes. */
  async authenticateToken(token: string, address: string): Promise<SessionUser> {
    const key = `tok:${address}`;
    const now = this.clock.now().getTime();
    const { maxPerAddress, windowMs } = this.config.login;
    if (await throttle.lockedUntil(this.db, [key], now)) throw await this.throttled('TOKEN_THROTTLED', [key], now);
    const user = await this.userForToken(token);
    if (user) return user;
    if (!(await throttle.reserveAttempt(this.db, key, maxPerAddress, windowMs, now))) throw await this.throttled('TOKEN_THROTTLED', [key], now);
    throw new AppError('TOKEN_INVALID');
  }

  private async throttled(code: 'LOGIN_THROTTLED' | 'TOKEN_THROTTLED', keys: string[], now: number): Promise<AppError> {
    // A refusal without a lock in force is an attempt that met the last slot still being checked.
    const until = (await throttle.lockedUntil(this.db, keys, now)) ?? now + this.config.login.windowMs;
    return new AppError(code, { minutes: Math.max(1, Math.ceil((until - now) / 60000)) });
  }
}
