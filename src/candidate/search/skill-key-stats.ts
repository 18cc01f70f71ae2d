import { SqlRunner } from './sql-runner';

/** Frequencies of skill_keys elements (pg_stats most_common_elems) and the table size. */
export interface SkillKeyStats {
  candidates: number;
  frequency: Map<number, number>;
  /** Elements not in the list are rarer than this. */
  rareBelow: number;
  /** Planner estimates for filter combinations seen, by SearchFilters.signature. */
  filterSelectivity: Map<string, number>;
}

/**
 * Element statistics for the cost model, re-read every few minutes. A hint
 * only: stale or missing statistics make a search slower, never different.
 */
export class SkillKeyStatsCache {
  private cached?: { at: number; stats: Promise<SkillKeyStats> };
  private refreshing?: Promise<void>;

  constructor(private readonly ttlMs = 5 * 60_000) {}

  /** The cached statistics; once they are old, the next caller refreshes them while others keep using them. */
  get(run: SqlRunner): Promise<SkillKeyStats> {
    const now = Date.now();
    if (!this.cached) {
      this.cached = { at: now, stats: this.load(run) };
    } else if (now - this.cached.at > this.ttlMs && !this.refreshing) {
      this.cached.at = now;
      const current = this.cached;
      this.refreshing = loadSkillKeyStats(run).then(
        (fresh) => { if (this.cached === current) this.cached = { at: Date.now(), stats: Promise.resolve(fresh) }; },
        () => undefined,
      ).finally(() => (this.refreshing = undefined));
    }
    return this.cached.stats;
  }

  private load(run: SqlRunner): Promise<SkillKeyStats> {
    const stats = loadSkillKeyStats(run);
    stats.catch(() => (this.cached = undefined));
    return stats;
  }
}

export async function loadSkillKeyStats(run: SqlRunner): Promise<SkillKeyStats> {
  const [row] = await run<{ candidates: number; elems: string | null; freqs: number[] | null }>(
    `SELECT greatest(c.reltuples, 0)::float8 AS candidates, s.most_common_elems::text AS elems,
            s.most_common_elem_freqs AS freqs
     FROM pg_class c
     LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'candidate' AND s.attname = 'skill_keys'
     WHERE c.oid = 'candidate'::regclass`,
    [],
  );
  const elems = row?.elems ? row.elems.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : [];
  const freqs = (row?.freqs ?? []).map(Number);
  const frequency = new Map(elems.map((key, i) => [key, freqs[i]]));
  // pg_stats appends the minimum and maximum element frequencies after the per-element ones.
  const rareBelow = elems.length ? Number(freqs[elems.length] ?? 0) : 0;
  return { candidates: Number(row?.candidates ?? 0), frequency, rareBelow, filterSelectivity: new Map() };
}
