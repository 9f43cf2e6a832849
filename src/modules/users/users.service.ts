import type { Knex } from 'knex';
import type { AppConfig } from '../../config/config.ts';
import { AppError } from '../../kernel/errors.ts';
import { validate } from '../../kernel/validation.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { isAdmin, type SessionUser } from '../../auth/roles.ts';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { iso } from '../../lib/time.ts';
import { writeAudit } from '../../kernel/audit.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { findUnit, findUnitByCode } from '../units/units.repository.ts';
import * as repo from './users.repository.ts';
import { SetupService } from './setup.service.ts';
import { SignInService } from './sign-in.service.ts';
import { TokensService } from './tokens.service.ts';
import * as access from './access.repository.ts';
import {
  changePasswordInput,
  newUserInput,
  preferencesInput,
  resetPasswordInput,
  roleInput,
  setupInput,
  userListQuery,
  userUpdateInput,
} from './users.schemas.ts';

/** What is written to the audit log about a user: never the password hash. */
function auditView(u: repo.UserRecord | undefined) {
  if (!u) return undefined;
  return {
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    isActive: u.isActive,
    locale: u.locale,
    roles: u.roles.map((r) => ({ role: r.role, unitId: r.unitId })),
  };
}

export class UsersService {
  /** Signed-in users by id: read on every request, changed rarely (see ADR 003). */
  readonly sessionUsers: TtlCache<number, SessionUser | null>;
  /** Set by the app: forgets cached session rows once sessions are deleted in the database. */
  onSessionsEnded: () => void = () => undefined;
  private readonly signIn: SignInService;
  private readonly tokens: TokensService;
  private readonly setup: SetupService;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.sessionUsers = new TtlCache(config.authCacheMs);
    this.tokens = new TokensService(db, clock);
    this.setup = new SetupService(db, clock, config);
    this.signIn = new SignInService(
      db,
      clock,
      config,
      (id) => this.sessionUser(id),
      (token) => this.userForToken(token),
    );
  }

  private requireAdmin(actor: Actor): void {
    // Outside an administrator's reach, user management does not exist.
    if (!isAdmin(actor.user)) throw new AppError('NOT_FOUND');
  }

  async sessionUser(id: number): Promise<SessionUser | undefined> {
    const u = await this.sessionUsers.getOrLoad(id, async () => {
      const found = await repo.findUserById(this.db, id);
      return found && found.isActive ? found : null;
    });
    return u ?? undefined;
  }

  /** Sign-in by password (throttled per account and address); see sign-in.service.ts. */
  authenticate(username: string, password: string, address: string): Promise<SessionUser> {
    return this.signIn.authenticate(username, password, address);
  }

  /** The owner of a bearer token (guessing throttled per address); see sign-in.service.ts. */
  authenticateToken(token: string, address: string): Promise<SessionUser> {
    return this.signIn.authenticateToken(token, address);
  }

  /** Passwords hashed by sign-in attempts since start: what throttling bounds (read by tests). */
  get passwordChecks(): number {
    return this.signIn.passwordChecks;
  }

  /** Ends a user's sessions (but `keepSid`) and, when asked, revokes their API tokens, with an
   *  audit row for the revocation. The caller clears the caches once the transaction is over. */
  private async shutOut(trx: Knex.Transaction, userId: number, at: string, opts: { keepSid?: string; revokeTokens: boolean; actor: Actor }): Promise<void> {
    const ended = await access.endSessionsOf(trx, userId, opts.keepSid);
    const revoked = opts.revokeTokens ? await access.revokeTokensOf(trx, userId, at) : [];
    if (ended > 0 || revoked.length > 0) {
      await writeAudit(trx, {
        at,
        userId: opts.actor.user.id,
        action: 'end_access',
        entity: 'user',
        entityId: userId,
        unitId: null,
        after: { sessionsEnded: ended, tokensRevoked: revoked },
        requestId: opts.actor.requestId,
      });
    }
  }

  private afterShutOut(userId: number): void {
    this.sessionUsers.delete(userId);
    this.onSessionsEnded();
  }

  async list(actor: Actor, query: unknown) {
    this.requireAdmin(actor);
    const q = validate(userListQuery, query);
    return repo.listUsers(this.db, q);
  }

  async get(actor: Actor, id: number): Promise<repo.UserRecord> {
    if (!isAdmin(actor.user) && actor.user.id !== id) throw new AppError('NOT_FOUND');
    const u = await repo.findUserById(this.db, id);
    if (!u) throw new AppError('NOT_FOUND');
    return u;
  }

  /** Creates a user; `actor` undefined means the operator's CLI or the first-run setup. */
  async create(actor: Actor | undefined, input: unknown, opts: { admin?: boolean; db?: Knex.Transaction } = {}): Promise<repo.UserRecord> {
    if (actor) this.requireAdmin(actor);
    const data = validate(newUserInput, input);
    const run = async (trx: Knex.Transaction) => {
      if (await repo.usernameTaken(trx, data.username)) {
        throw new AppError('USERNAME_TAKEN', {}, { username: { key: 'v.username_taken' } });
      }
      const at = iso(this.clock.now());
      const id = await repo.insertUser(
        trx,
        {
          username: data.username,
          fullName: data.fullName,
          email: data.email ?? null,
          passwordHash: await hashPassword(data.password, this.config.scryptCost),
          locale: data.locale,
        },
        at,
      );
      if (opts.admin) await repo.insertRole(trx, id, 'admin', null, at);
      const created = (await repo.findUserById(trx, id)) as repo.UserRecord;
      await writeAudit(trx, {
        at,
        userId: actor?.user.id ?? null,
        action: 'create',
        entity: 'user',
        entityId: id,
        unitId: null,
        after: auditView(created),
        requestId: actor?.requestId,
      });
      return created;
    };
    return opts.db ? run(opts.db) : this.db.transaction(run);
  }

  async update(actor: Actor, id: number, input: unknown): Promise<repo.UserRecord> {
    this.requireAdmin(actor);
    const data = validate(userUpdateInput, input);
    try {
      return await this.db.transaction(async (trx) => {
        const before = await repo.findUserById(trx, id);
        if (!before) throw new AppError('NOT_FOUND');
        if (before.isActive && !data.isActive && before.roles.some((r) => r.role === 'admin') && (await repo.countAdmins(trx)) <= 1) {
          throw new AppError('LAST_ADMIN', {}, { isActive: { key: 'v.last_admin' } });
        }
        const at = iso(this.clock.now());
        await repo.updateUserRow(trx, id, { fullName: data.fullName, email: data.email ?? null, isActive: data.isActive, locale: data.locale }, at);
        const after = (await repo.findUserById(trx, id)) as repo.UserRecord;
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'update',
          entity: 'user',
          entityId: id,
          unitId: null,
          before: auditView(before),
          after: auditView(after),
          requestId: actor.requestId,
        });
        // A deactivated user is out for good: reactivating the account later brings back neither
        // an old browser session nor an old API token.
        if (before.isActive && !data.isActive) await this.shutOut(trx, id, at, { revokeTokens: true, actor });
        return after;
      });
    } finally {
      this.afterShutOut(id);
    }
  }

  async resetPassword(actor: Actor, id: number, input: unknown, opts: { sessionId?: string } = {}): Promise<void> {
    this.requireAdmin(actor);
    const data = validate(resetPasswordInput, input);
    const hash = await hashPassword(data.password, this.config.scryptCost);
    try {
      await this.db.transaction(async (trx) => {
        if (!(await repo.findUserById(trx, id))) throw new AppError('NOT_FOUND');
        const at = iso(this.clock.now());
        await repo.updateUserRow(trx, id, { passwordHash: hash }, at);
        await writeAudit(trx, { at, userId: actor.user.id, action: 'reset_password', entity: 'user', entityId: id, unitId: null, requestId: actor.requestId });
        // Whoever knew the old password, or holds a cookie or token of that user, is out.
        // The administrator's own session stays when they reset their own password.
        await this.shutOut(trx, id, at, { keepSid: id === actor.user.id ? opts.sessionId : undefined, revokeTokens: true, actor });
      });
    } finally {
      this.afterShutOut(id);
    }
  }

  async addRole(actor: Actor, userId: number, input: unknown): Promise<repo.UserRecord> {
    this.requireAdmin(actor);
    const data = validate(roleInput, input);
    try {
      return await this.db.transaction(async (trx) => {
        const before = await repo.findUserById(trx, userId);
        if (!before) throw new AppError('NOT_FOUND');
        let unitId: number | null = null;
        const field = data.unitId === undefined && data.unitCode !== undefined ? 'unitCode' : 'unitId';
        if (data.role === 'admin') {
          if (data.unitId !== undefined || data.unitCode !== undefined) throw new AppError('ROLE_INVALID', {}, { [field]: { key: 'v.admin_no_unit' } });
        } else {
          const unit =
            data.unitId !== undefined
              ? await findUnit(trx, data.unitId, { all: true })
              : data.unitCode !== undefined
                ? await findUnitByCode(trx, data.unitCode, { all: true })
                : undefined;
          if (data.unitId === undefined && data.unitCode === undefined) throw new AppError('ROLE_INVALID', {}, { [field]: { key: 'v.required' } });
          if (!unit) throw new AppError('ROLE_INVALID', {}, { [field]: { key: 'v.parent_unknown' } });
          unitId = unit.id;
        }
        if (await repo.roleExists(trx, userId, data.role, unitId)) {
          throw new AppError('ROLE_INVALID', {}, { role: { key: 'v.role_exists' } });
        }
        const at = iso(this.clock.now());
        await repo.insertRole(trx, userId, data.role, unitId, at);
        const after = (await repo.findUserById(trx, userId)) as repo.UserRecord;
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'add_role',
          entity: 'user',
          entityId: userId,
          unitId,
          before: auditView(before),
          after: auditView(after),
          requestId: actor.requestId,
        });
        return after;
      });
    } finally {
      this.sessionUsers.delete(userId);
    }
  }

  async removeRole(actor: Actor, userId: number, roleId: number): Promise<void> {
    this.requireAdmin(actor);
    try {
      await this.db.transaction(async (trx) => {
        const before = await repo.findUserById(trx, userId);
        const role = before?.roles.find((r) => r.id === roleId);
        if (!before || !role) throw new AppError('NOT_FOUND');
        if (role.role === 'admin' && (await repo.countAdmins(trx)) <= 1) throw new AppError('LAST_ADMIN');
        await repo.deleteRole(trx, userId, roleId);
        const after = await repo.findUserById(trx, userId);
        await writeAudit(trx, {
          at: iso(this.clock.now()),
          userId: actor.user.id,
          action: 'remove_role',
          entity: 'user',
          entityId: userId,
          unitId: role.unitId,
          before: auditView(before),
          after: auditView(after),
          requestId: actor.requestId,
        });
      });
    } finally {
      this.sessionUsers.delete(userId);
    }
  }

  /** Changes one's own password. Every other session of the user ends (this one, `sessionId`,
   *  stays); API tokens are revoked too when the user ticks the box. */
  async changeOwnPassword(actor: Actor, input: unknown, opts: { sessionId?: string } = {}): Promise<void> {
    const data = validate(changePasswordInput, input);
    const stored = await repo.passwordHashOf(this.db, actor.user.id);
    if (!stored || !(await verifyPassword(data.current, stored))) {
      throw new AppError('PASSWORD_WRONG', {}, { current: { key: 'v.password_wrong' } });
    }
    const hash = await hashPassword(data.password, this.config.scryptCost);
    await this.db.transaction(async (trx) => {
      const at = iso(this.clock.now());
      await repo.updateUserRow(trx, actor.user.id, { passwordHash: hash }, at);
      await writeAudit(trx, {
        at,
        userId: actor.user.id,
        action: 'change_password',
        entity: 'user',
        entityId: actor.user.id,
        unitId: null,
        requestId: actor.requestId,
      });
      await this.shutOut(trx, actor.user.id, at, { keepSid: opts.sessionId, revokeTokens: data.revokeTokens, actor });
    });
    this.afterShutOut(actor.user.id);
  }

  async updatePreferences(actor: Actor, input: unknown): Promise<void> {
    const data = validate(preferencesInput, input);
    try {
      await this.db.transaction(async (trx) => {
        const before = await repo.findUserById(trx, actor.user.id);
        const at = iso(this.clock.now());
        await repo.updateUserRow(
          trx,
          actor.user.id,
          { fullName: data.fullName, email: data.email ?? null, locale: data.locale, emailNotifications: data.emailNotifications },
          at,
        );
        const after = await repo.findUserById(trx, actor.user.id);
        await writeAudit(trx, {
          at,
          userId: actor.user.id,
          action: 'preferences',
          entity: 'user',
          entityId: actor.user.id,
          unitId: null,
          before: auditView(before),
          after: auditView(after),
          requestId: actor.requestId,
        });
      });
    } finally {
      this.sessionUsers.delete(actor.user.id);
    }
  }

  async setLocale(actor: Actor, locale: 'vi' | 'en'): Promise<void> {
    await repo.updateUserRow(this.db, actor.user.id, { locale }, iso(this.clock.now()));
    this.sessionUsers.delete(actor.user.id);
  }

  /** API tokens (tokens.service.ts); first-run setup below (setup.service.ts). */
  listTokens(actor: Actor): Promise<access.TokenRow[]> {
    return this.tokens.list(actor);
  }

  createToken(actor: Actor, input: unknown): Promise<{ id: number; token: string }> {
    return this.tokens.create(actor, input);
  }

  revokeToken(actor: Actor, id: number): Promise<void> {
    return this.tokens.revoke(actor, id);
  }

  async userForToken(token: string): Promise<SessionUser | undefined> {
    const userId = await this.tokens.ownerOf(token);
    return userId === undefined ? undefined : this.sessionUser(userId);
  }

  needsSetup(): Promise<boolean> {
    return this.setup.needed();
  }

  /** Issues a setup token when no user exists yet; returns it (to print) or undefined. */
  issueSetupToken(): Promise<string | undefined> {
    return this.setup.issue();
  }

  setupTokenValid(token: unknown): Promise<boolean> {
    return this.setup.valid(token);
  }

  /** Creates the first administrator. The user count is checked again inside the transaction, so
   *  two people opening the link at once cannot both become administrators. */
  async completeSetup(token: unknown, input: unknown): Promise<repo.UserRecord> {
    if (!(await this.setupTokenValid(token))) throw new AppError('SETUP_CLOSED');
    const data = validate(setupInput, input);
    return this.db.transaction(async (trx) => {
      // Consuming the token first serialises two people submitting at once (consumeSetupTokens).
      if (!(await this.setup.consume(trx, token as string))) throw new AppError('SETUP_CLOSED');
      if ((await repo.countUsers(trx)) > 0) throw new AppError('SETUP_CLOSED');
      return this.create(undefined, { username: data.username, fullName: data.fullName, email: data.email, password: data.password }, { admin: true, db: trx });
    });
  }
}
