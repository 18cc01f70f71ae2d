/**
 * An in-process copy of rows that every request reads and that change
 * rarely (API keys, skill names). It is only trusted while its owner says
 * it is live, i.e. while this instance hears every change to the tables
 * behind it (TableChanges); a change empties it.
 *
 * A read that started before a change must not put what it read back
 * afterwards: `version()` is taken before the read and `set` keeps the
 * value only if no change came in between.
 */
export class LookupCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private changes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly isLive: () => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    if (!this.isLive()) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Take before reading the database; pass to `set` with what was read. */
  version(): number {
    return this.changes;
  }

  set(key: K, value: V, readAtVersion: number): void {
    if (readAtVersion !== this.changes || !this.isLive()) return;
    // Full: start over rather than track use; entries come back on their next read.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  /**
   * The value of each key, in the order given: from memory where it can, the rest from `load` (one call
   * for all of them). What `load` returns is kept when `keep` allows it (a name that resolves to no
   * skill is not: any write may create it).
   */
  async getMany(keys: K[], load: (missing: K[]) => Promise<Map<K, V>>, keep: (value: V) => boolean = () => true): Promise<Map<K, V>> {
    const found = new Map<K, V>();
    const missing: K[] = [];
    for (const key of keys) {
      const value = this.get(key);
      if (value === undefined) missing.push(key);
      else found.set(key, value);
    }
    if (missing.length > 0) {
      const version = this.version();
      const loaded = await load(missing);
      for (const key of missing) {
        if (!loaded.has(key)) continue;
        const value = loaded.get(key)!;
        found.set(key, value);
        if (keep(value)) this.set(key, value, version);
      }
    }
    return new Map(keys.filter((key) => found.has(key)).map((key) => [key, found.get(key)!]));
  }

  /** A table behind the cache changed, or changes may have been missed. */
  clear(): void {
    this.changes++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
