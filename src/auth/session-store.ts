import session from 'express-session';
import type { Knex } from 'knex';
import { TtlCache } from '../lib/ttl-cache.ts';

/**
 * express-session store over knex, so that any app process can serve any request.
 * Written here rather than taken from connect-session-knex because that store writes the
 * session row on every request (touch); this one refreshes the expiry at most once per
 * `touchEveryMs` for each session, which keeps signed-in page views free of writes.
 */
export class KnexSessionStore extends session.Store {
  private lastTouch = new Map<string, number>();
  /** Session JSON by id for a few seconds (AUTH_CACHE_SECONDS): a signed-in page view then reads
   *  no session row. Sign-in, sign-out and writes in this process update it at once; a sign-out
   *  on another process is seen here within the cache time. */
  private cache: TtlCache<string, string>;

  constructor(
    private readonly db: Knex,
    private readonly opts: { ttlMs: number; touchEveryMs?: number; cacheMs?: number },
  ) {
    super();
    this.cache = new TtlCache(opts.cacheMs ?? 0);
  }

  private expiry(sess: session.SessionData): number {
    const e = sess.cookie?.expires;
    return e ? new Date(e).getTime() : Date.now() + this.opts.ttlMs;
  }

  override get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void): void {
    const cached = this.cache.get(sid);
    if (cached !== undefined) {
      // Parsed afresh each time: express-session mutates the object it is given.
      cb(null, JSON.parse(cached) as session.SessionData);
      return;
    }
    this.db('sessions')
      .where('sid', sid)
      .where('expires_at', '>', Date.now())
      .first('sess')
      .then((row: { sess: string } | undefined) => {
        if (row) this.cache.set(sid, row.sess);
        cb(null, row ? (JSON.parse(row.sess) as session.SessionData) : null);
      }, cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    // The owner is kept in its own column, so that ending a user's sessions is one indexed delete.
    const user = (sess as { passport?: { user?: unknown } }).passport?.user;
    const row = { sid, sess: JSON.stringify(sess), expires_at: this.expiry(sess), user_id: Number.isInteger(user) ? (user as number) : null };
    this.lastTouch.set(sid, Date.now());
    this.cache.delete(sid);
    this.db('sessions')
      .insert(row)
      .onConflict('sid')
      .merge()
      .then(
        () => cb?.(),
        (e: unknown) => cb?.(e),
      );
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.lastTouch.delete(sid);
    this.cache.delete(sid);
    this.db('sessions')
      .where('sid', sid)
      .delete()
      .then(
        () => cb?.(),
        (e: unknown) => cb?.(e),
      );
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const now = Date.now();
    const last = this.lastTouch.get(sid);
    if (last !== undefined && now - last < (this.opts.touchEveryMs ?? 5 * 60_000)) {
      cb?.();
      return;
    }
    if (this.lastTouch.size > 50_000) this.lastTouch.clear();
    this.lastTouch.set(sid, now);
    this.db('sessions')
      .where('sid', sid)
      .update({ expires_at: this.expiry(sess) })
      .then(
        () => cb?.(),
        (e: unknown) => cb?.(e),
      );
  }

  /** Forgets every cached session row, after sessions were deleted in the database (a rare event).
   *  Other processes drop theirs when the cache time (AUTH_CACHE_SECONDS) runs out: that is how
   *  long an ended session can still be served there. */
  forgetCached(): void {
    this.cache.clear();
  }

  /** Deletes expired sessions; called periodically by the server. */
  async prune(): Promise<number> {
    return this.db('sessions').where('expires_at', '<=', Date.now()).delete();
  }
}
