import { insertId } from '../../db/helpers.ts';
import type { Db } from '../../kernel/db.ts';

/**
 * What lets a user in without typing the password again: browser sessions and API tokens.
 * Ending them is how a password change, a reset or a deactivation shuts out whoever knew the old
 * password or holds an old cookie or token.
 */

/** Deletes the user's sessions (all but `keepSid` when given); returns how many ended. */
export async function endSessionsOf(db: Db, userId: number, keepSid?: string): Promise<number> {
  const q = db('sessions').where('user_id', userId);
  if (keepSid) q.whereNot('sid', keepSid);
  return q.delete();
}

/** Revokes every API token of the user still in force; returns their ids (for the audit log). */
export async function revokeTokensOf(db: Db, userId: number, at: string): Promise<number[]> {
  const rows = (await db('api_tokens').where('user_id', userId).whereNull('revoked_at').select('id')) as Array<{ id: number }>;
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));
  await db('api_tokens').whereIn('id', ids).whereNull('revoked_at').update({ revoked_at: at, updated_at: at });
  return ids;
}

export interface TokenRow {
  id: number;
  name: string;
  prefix: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export async function tokensOf(db: Db, userId: number): Promise<TokenRow[]> {
  const rows = (await db('api_tokens')
    .where('user_id', userId)
    .orderBy('id', 'desc')
    .select('id', 'name', 'prefix', 'last_used_at', 'revoked_at', 'created_at')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    prefix: String(r.prefix),
    lastUsedAt: (r.last_used_at as string | null) ?? null,
    revokedAt: (r.revoked_at as string | null) ?? null,
    createdAt: String(r.created_at),
  }));
}

/** The token in force with this hash: its id, owner and last use. */
export async function activeToken(db: Db, tokenHash: string): Promise<{ id: number; userId: number; lastUsedAt: string | null } | undefined> {
  const row = (await db('api_tokens').where('token_hash', tokenHash).whereNull('revoked_at').first('id', 'user_id', 'last_used_at')) as
    { id: number; user_id: number; last_used_at: string | null } | undefined;
  return row ? { id: Number(row.id), userId: Number(row.user_id), lastUsedAt: row.last_used_at ?? null } : undefined;
}

/** A new API token, stored by its hash and its first characters (to tell tokens apart); its id. */
export function insertToken(trx: Db, t: { userId: number; name: string; tokenHash: string; prefix: string }, at: string): Promise<number> {
  return insertId(trx('api_tokens').insert({ user_id: t.userId, name: t.name, token_hash: t.tokenHash, prefix: t.prefix, created_at: at, updated_at: at }));
}

/** Revokes one of the user's tokens still in force; false when there is no such token. */
export async function revokeToken(trx: Db, userId: number, id: number, at: string): Promise<boolean> {
  const row = (await trx('api_tokens').where({ id, user_id: userId }).whereNull('revoked_at').first('id')) as unknown;
  if (!row) return false;
  await trx('api_tokens').where('id', id).update({ revoked_at: at, updated_at: at });
  return true;
}

export async function markTokenUsed(db: Db, id: number, at: string): Promise<void> {
  await db('api_tokens').where('id', id).update({ last_used_at: at });
}

/** The one-time link of the first run, by its hash, valid until `expiresAt`. */
export async function insertSetupToken(db: Db, tokenHash: string, at: string, expiresAt: string): Promise<void> {
  await db('setup_tokens').insert({ token_hash: tokenHash, created_at: at, expires_at: expiresAt });
}

export async function setupTokenInForce(db: Db, tokenHash: string, now: string): Promise<boolean> {
  return !!(await db('setup_tokens').where('token_hash', tokenHash).where('expires_at', '>', now).first('token_hash'));
}

/**
 * Consumes the setup token and every other one. Deleting its row first serialises two people
 * submitting at once: the second waits on the row lock and then finds nothing to delete (false).
 */
export async function consumeSetupTokens(trx: Db, tokenHash: string, now: string): Promise<boolean> {
  const consumed = await trx('setup_tokens').where('token_hash', tokenHash).where('expires_at', '>', now).delete();
  if (consumed !== 1) return false;
  await trx('setup_tokens').delete();
  return true;
}
