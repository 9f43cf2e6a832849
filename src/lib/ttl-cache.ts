/**
 * A small per-process cache whose entries expire after `ttlMs`. Used where a value is read on
 * nearly every request and changes rarely (the signed-in user, counts per unit kind). Writes in
 * this process clear entries at once; other processes see a change after at most `ttlMs`.
 * A ttl of 0 turns caching off.
 */
export class TtlCache<K, V> {
  private entries = new Map<K, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: K, now = Date.now()): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: K, value: V, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    // Simple bound: when full, start over rather than track recency.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, expires: now + this.ttlMs });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** The cached value, or the loaded one (cached). Concurrent misses each load; that is fine. */
  async getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    this.set(key, value);
    return value;
  }
}
