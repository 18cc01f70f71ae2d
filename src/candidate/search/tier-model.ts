import { SkillKeyStats } from './skill-key-stats';
import { hasKey, levelKey, MAX_LEVEL, MAX_SUBSETS } from './skill-keys';

/** One rank of a skill search: m = asked skills matched, L = their level sum. Within a tier the order is recency. */
export interface Tier {
  matched: number;
  levelSum: number;
}

export const sameTier = (a: Tier, b?: Tier) => !!b && a.matched === b.matched && a.levelSum === b.levelSum;

/** Lowest level any asked skill can have in a member of one of these tiers (0 if none is implied). */
export function thresholdOf(run: Tier[]): number {
  return Math.max(0, Math.min(...run.map((tier) => tier.levelSum - MAX_LEVEL * (tier.matched - 1))));
}

/** Where a ranking statement's run of tiers ends (exclusive), whether it is a walk, and its level threshold. */
export interface StepPlan {
  end: number;
  walk: boolean;
  threshold: number;
}

/** Rough costs in microseconds, measured on the bench data (PostgreSQL 15, 2 cores). */
const COST = {
  statement: 300,
  walkRowCovered: 0.4,
  walkRowHeap: 4,
  postingEntry: 0.02,
  fetchRow: 8,
};
/** Fetch a run of sparse tiers until it is expected to hold this many times the rows still missing. */
const FETCH_MARGIN = 3;

/**
 * The cost model: how many candidates each tier holds (from the element
 * statistics, skills assumed independent), and so whether the next tiers
 * are cheaper walked by recency or fetched through the GIN index.
 */
export class TierModel {
  /** P(outcome) per skill: index 0 = lacks it, 1 + l = has it at level l. */
  private readonly outcomes: number[][];
  private readonly dist: number[][];
  private readonly memo = new Map<string, number>();

  constructor(
    private readonly skills: number[],
    private readonly stats: SkillKeyStats,
  ) {
    this.outcomes = skills.map((s) => {
      const level = Array.from({ length: MAX_LEVEL + 1 }, (_, l) => this.frequency(levelKey(s, l)));
      const has = Math.max(this.frequency(hasKey(s)), level.reduce((a, b) => a + b, 0));
      return [Math.max(0, 1 - has), ...level];
    });
    // dist[m][L]: share of candidates with m asked skills whose levels sum to L (independence assumed).
    let dist = [[1]];
    for (const outcome of this.outcomes) {
      const next: number[][] = Array.from({ length: dist.length + 1 }, () => []);
      dist.forEach((row, m) => row.forEach((p, L) => {
        if (!p) return;
        next[m][L] = (next[m][L] ?? 0) + p * outcome[0];
        for (let l = 0; l <= MAX_LEVEL; l++) next[m + 1][L + l] = (next[m + 1][L + l] ?? 0) + p * outcome[1 + l];
      }));
      dist = next;
    }
    this.dist = dist;
  }

  private frequency(key: number): number {
    return this.stats.frequency.get(key) ?? this.stats.rareBelow / 2;
  }

  /** Every tier from the best (or the cursor's) down to the last one the query accepts. */
  tiers(minMatched: number, after?: Tier): Tier[] {
    const out: Tier[] = [];
    for (let m = this.skills.length; m >= minMatched; m--) {
      for (let L = MAX_LEVEL * m; L >= 0; L--) {
        if (after && (m > after.matched || (m === after.matched && L > after.levelSum))) continue;
        out.push({ matched: m, levelSum: L });
      }
    }
    return out;
  }

  /** Estimated share of candidates in the tier. */
  share(tier: Tier): number {
    return this.dist[tier.matched]?.[tier.levelSum] ?? 0;
  }

  private fetchCost(atLeast: number, threshold: number): number {
    const key = `${atLeast}/${threshold}`;
    let cost = this.memo.get(key);
    if (cost === undefined) this.memo.set(key, (cost = this.computeFetchCost(atLeast, threshold)));
    return cost;
  }

  /** Share of candidates with at least `atLeast` asked skills at level >= threshold. */
  private atLeastShare(atLeast: number, threshold: number): number {
    let dist = [1];
    for (const outcome of this.outcomes) {
      const p = outcome.slice(1 + threshold).reduce((a, b) => a + b, 0);
      const next = new Array(dist.length + 1).fill(0);
      dist.forEach((q, i) => {
        next[i] += q * (1 - p);
        next[i + 1] += q * p;
      });
      dist = next;
    }
    return dist.slice(atLeast).reduce((a, b) => a + b, 0);
  }

  /** Posting-list entries the GIN index condition reads. */
  private postings(threshold: number): number {
    return this.outcomes.reduce((sum, outcome) => sum + outcome.slice(1 + threshold).reduce((a, b) => a + b, 0), 0);
  }

  private computeFetchCost(atLeast: number, threshold: number): number {
    const k = this.skills.length;
    const spelledOut = atLeast > 1 && atLeast < k && binomial(k, atLeast) <= MAX_SUBSETS;
    // OR-ed subsets read each skill's posting lists once per subset it is in.
    const reads = spelledOut ? binomial(k - 1, atLeast - 1) : 1;
    const superset = atLeast > 1 && !spelledOut && atLeast < k ? this.atLeastShare(1, threshold) : this.atLeastShare(atLeast, threshold);
    return COST.statement + this.stats.candidates * (COST.postingEntry * this.postings(threshold) * reads + COST.fetchRow * superset);
  }

  /** The next statement: a walk of one tier, or a fetch of a run of tiers starting at `start`. */
  nextStep(tiers: Tier[], start: number, missing: number, selectivity: number, covered: boolean): StepPlan {
    const n = this.stats.candidates;
    // No statistics yet (a new or never analysed table): one fetch of everything, right while the table is small.
    if (n <= 0 || this.stats.frequency.size === 0) return { end: tiers.length, walk: false, threshold: thresholdOf(tiers.slice(start)) };
    const walkCost = (tier: Tier) => {
      const density = this.share(tier) * selectivity;
      const rows = density > 0 ? Math.min(n, missing / density) : n;
      return COST.statement + rows * (covered ? COST.walkRowCovered : COST.walkRowHeap);
    };
    const first = tiers[start];
    let threshold = thresholdOf([first]);
    let cost = this.fetchCost(first.matched, threshold);
    if (walkCost(first) <= cost) return { end: start + 1, walk: true, threshold: 0 };
    let end = start + 1;
    let expected = this.share(first) * selectivity * n;
    while (end < tiers.length && expected < missing * FETCH_MARGIN) {
      const tier = tiers[end];
      const widenedThreshold = Math.min(threshold, thresholdOf([tier]));
      const widened = this.fetchCost(tier.matched, widenedThreshold);
      // Stop where the next tier is cheaper walked on its own than added to this run.
      if (walkCost(tier) < widened - cost) break;
      [threshold, cost] = [widenedThreshold, widened];
      expected += this.share(tier) * selectivity * n;
      end++;
    }
    return { end, walk: false, threshold };
  }
}

export function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}
