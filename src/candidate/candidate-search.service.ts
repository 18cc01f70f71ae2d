import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, DEFAULT_PAGE_LIMIT, Page, toPage } from '../common/pagination/page';
import { Clock } from '../common/time/clock';
import { SkillService } from '../skill/skill.service';
import { CandidateFilter, candidateFilterSql } from './candidate-filter';
import { CandidateView, CandidateViews } from './candidate.view';
import { SearchCandidatesQuery } from './dto/search-candidates.query';

export type SearchHit = CandidateView & { matchedSkills: string[] };

/** Runs one statement; the service passes TypeORM's, the benchmark a bare pg client's. */
export type SqlRunner = <T = Record<string, unknown>>(sql: string, params: unknown[]) => Promise<T[]>;

/** Microsecond-exact, so keyset pages neither skip nor repeat rows. */
const UPDATED_KEY = (alias: string) =>
  `to_char(${alias}.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Pool search. With skills, candidates are ranked by how many of the asked
 * skills they have, then the sum of their levels in those skills, then how
 * recently their profile changed; see rankCandidates for how that is done
 * without ranking every candidate who has one of the skills.
 */
@Injectable()
export class CandidateSearchService {
  private readonly stats = new SkillKeyStatsCache();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly skills: SkillService,
    private readonly views: CandidateViews,
    private readonly clock: Clock,
  ) {}

  async search(query: SearchCandidatesQuery): Promise<Page<SearchHit>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const asked = [...new Set((await this.skills.canonicalNames(query.skills ?? [])).values())].filter(Boolean);
    const ids = await this.skills.existingIds(asked);
    const matchAll = query.match === 'all';
    if (asked.length > 0 && (ids.size === 0 || (matchAll && ids.size < asked.length))) {
      return { items: [], nextCursor: null };
    }
    const run: SqlRunner = (sql, params) => this.dataSource.query(sql, params);
    const filters = searchFilters(query, this.clock.now());
    let page: Page<{ id: string; matchedIds: number[] }>;
    if (asked.length > 0) {
      const after = query.cursor ? decodeCursor(query.cursor, ['number', 'number', 'timestamp', 'uuid']) : undefined;
      const stats = await this.stats.get(run);
      const connection = this.dataSource.createQueryRunner('slave');
      try {
        const rows = await rankCandidates((sql, params) => connection.query(sql, params), stats, {
          skillIds: [...ids.values()],
          matchAll,
          need: limit + 1,
          filters,
          after: after && { matched: after[0] as number, levelSum: after[1] as number, updated: after[2] as string, id: after[3] as string },
        });
        page = toPage(rows, limit, (last) => [last.matched, last.levelSum, last.updated, last.id]);
      } finally {
        await connection.release();
      }
    } else {
      const after = query.cursor ? decodeCursor(query.cursor, ['timestamp', 'uuid']) : undefined;
      const rows = await listByRecency(run, filters, limit + 1, after && { updated: after[0] as string, id: after[1] as string });
      page = toPage(rows, limit, (last) => [last.updated, last.id]);
    }
    const nameOf = new Map([...ids].map(([name, id]) => [id, name]));
    const views = await this.views.load(page.items.map((row) => row.id));
    const matchedOf = new Map(page.items.map((row) => [row.id, row.matchedIds.map((id) => nameOf.get(id)!).sort()]));
    return {
      items: views.map((view) => ({ ...view, matchedSkills: matchedOf.get(view.id) ?? [] })),
      nextCursor: page.nextCursor,
    };
  }
}

/** Filters as SQL over `candidate c`, built per statement so each gets its own parameter numbers. */
export interface SearchFilters {
  any: boolean;
  /** True when every filtered column is in the candidate_search_recency index (an index-only walk). */
  covered: boolean;
  /** Equal for equal filters (the consent time aside), to cache their selectivity. */
  signature: string;
  sql(param: (value: unknown) => string): string[];
}

export function searchFilters(query: SearchCandidatesQuery, now: Date): SearchFilters {
  const segment: CandidateFilter = {
    tags: query.tags,
    country: query.country,
    city: query.city,
    status: query.status,
    consentValidAt: query.consent === 'valid' ? now : undefined,
  };
  const sql = (param: (value: unknown) => string) => {
    const where = candidateFilterSql(segment, param);
    if (query.q) {
      const pattern = `%${query.q.replace(/[%_\\]/g, '\\$&')}%`;
      where.push(`(c.full_name || ' ' || coalesce(c.headline, '')) ILIKE ${param(pattern)}`);
    }
    if (query.updatedSince) where.push(`c.updated_at >= ${param(query.updatedSince)}::timestamptz`);
    return where;
  };
  const signature = JSON.stringify([query.status, query.country, query.city?.toLowerCase(), query.tags, query.consent, query.q, query.updatedSince]);
  return { any: sql(() => '$0').length > 0, covered: !query.tags?.length && !query.q, signature, sql };
}

interface Position {
  updated: string;
  id: string;
}

async function listByRecency(run: SqlRunner, filters: SearchFilters, need: number, after?: Position) {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = filters.sql(param);
  if (after) where.push(`(c.updated_at, c.id) < (${param(after.updated)}::timestamptz, ${param(after.id)}::uuid)`);
  const rows = await run<{ id: string; updated: string }>(
    `SELECT c.id, ${UPDATED_KEY('c')} AS updated FROM candidate c
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY c.updated_at DESC, c.id DESC LIMIT ${param(need)}`,
    params,
  );
  return rows.map((row) => ({ ...row, matchedIds: [] as number[] }));
}

// ---------------------------------------------------------------------------
// Ranking by skills
// ---------------------------------------------------------------------------

/** Key encoding of candidate.skill_keys (CandidateSkillKeys migration): s*8 has s; s*8+1+level (0 = unknown). */
const STRIDE = 8;
const MAX_LEVEL = 5;
const hasKey = (skill: number) => skill * STRIDE;
const levelKey = (skill: number, level: number) => skill * STRIDE + 1 + level;

export interface RankRequest {
  skillIds: number[];
  matchAll: boolean;
  /** Rows wanted: the page size plus one, to tell whether there is a next page. */
  need: number;
  filters: SearchFilters;
  after?: RankedPosition;
}

export interface RankedPosition extends Position {
  matched: number;
  levelSum: number;
}

export interface RankedRow extends RankedPosition {
  matchedIds: number[];
}

/**
 * Ranks by (matched skills, level sum, updated_at, id), all descending, and
 * returns the first `need` rows after the cursor.
 *
 * Every rank is a tier (m = skills matched, L = their level sum); within a
 * tier the order is recency. Tiers are taken best first and the work stops
 * as soon as enough rows are found, so a query is never "rank everyone who
 * has javascript". Each step is one statement, chosen by estimated cost from
 * the planner's element statistics on candidate.skill_keys:
 *
 * - walk: one tier whose members are common enough: read candidates
 *   newest first (index-only, over candidate_search_recency, which carries
 *   skill_keys) and stop at the first `need` members;
 * - fetch: a run of sparse tiers: find them through the GIN index on
 *   skill_keys (posting-list intersections, narrowed by level keys where
 *   the tiers allow), then sort only those.
 *
 * Both return exact tier members, so the estimates only decide speed.
 */
export async function rankCandidates(run: SqlRunner, stats: SkillKeyStats, request: RankRequest): Promise<RankedRow[]> {
  // One snapshot for all steps, so a candidate changing tier meanwhile is neither shown twice nor skipped.
  // JIT off: these statements are short, and compiling them would cost more than running them.
  await run('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off', []);
  try {
    const rows = await rankInTransaction(run, stats, request);
    await run('COMMIT', []);
    return rows;
  } catch (error) {
    await run('ROLLBACK', []).catch(() => undefined);
    throw error;
  }
}

async function rankInTransaction(run: SqlRunner, stats: SkillKeyStats, request: RankRequest): Promise<RankedRow[]> {
  const skills = [...new Set(request.skillIds)];
  const k = skills.length;
  const model = new TierModel(skills, stats);
  const selectivity = request.filters.any ? await filterSelectivity(run, request.filters, stats) : 1;
  const tiers = model.tiers(request.matchAll ? k : 1, request.after);
  const rows: RankedRow[] = [];
  let index = 0;
  for (let step = 1; index < tiers.length && rows.length < request.need; step++) {
    const missing = request.need - rows.length;
    // Estimates gone wrong must not turn into dozens of statements: the last one takes every tier left.
    const plan = step < MAX_STEPS
      ? model.nextStep(tiers, index, missing, selectivity, request.filters.covered)
      : { end: tiers.length, walk: false, threshold: thresholdOf(tiers.slice(index)) };
    const taken = tiers.slice(index, plan.end);
    rows.push(...(plan.walk
      ? await walkTier(run, skills, taken[0], request, missing)
      : await fetchTiers(run, skills, taken, plan.threshold, request, missing)));
    index = plan.end;
  }
  return rows.slice(0, request.need);
}

export interface Tier {
  matched: number;
  levelSum: number;
}

const sameTier = (a: Tier, b?: Tier) => !!b && a.matched === b.matched && a.levelSum === b.levelSum;

/** Exact m and L of a candidate row, from its keys: `$has` has-keys and `$levels` level keys of the asked skills. */
function matchedSql(alias: string, has: string) {
  return `icount(${alias}.skill_keys & ${has}::int[])`;
}
function levelSumSql(alias: string, levels: string) {
  return `(SELECT coalesce(sum(k % ${STRIDE} - 1), 0) FROM unnest(${alias}.skill_keys & ${levels}::int[]) AS k)::int`;
}

function keyParams(skills: number[], param: (value: unknown) => string) {
  const has = param(skills.map(hasKey).sort((a, b) => a - b));
  const levels = param(skills.flatMap((s) => Array.from({ length: MAX_LEVEL + 1 }, (_, l) => levelKey(s, l))).sort((a, b) => a - b));
  return { has, levels };
}

/**
 * One tier, newest first, stopping at the first `missing` members. The skill
 * tests are spelled as intarray's functions rather than its operators: the
 * same code, but not an index condition, so the only ordered path left to
 * the planner is the recency index (index-only: it carries skill_keys). The
 * exact tier test is a CASE so the planner takes it as a coin flip instead
 * of guessing it rare and expecting a long scan.
 */
async function walkTier(run: SqlRunner, skills: number[], tier: Tier, request: RankRequest, missing: number): Promise<RankedRow[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const { has, levels } = keyParams(skills, param);
  const where = [
    skillCondition(skills, tier.matched, thresholdOf([tier]), param, 'function'),
    ...request.filters.sql(param),
    `CASE WHEN ${matchedSql('c', has)} = ${param(tier.matched)} THEN ${levelSumSql('c', levels)} = ${param(tier.levelSum)} ELSE false END`,
  ];
  if (sameTier(tier, request.after)) {
    where.push(`(c.updated_at, c.id) < (${param(request.after!.updated)}::timestamptz, ${param(request.after!.id)}::uuid)`);
  }
  const found = await run<{ id: string; updated: string; matched_keys: number[] }>(
    `SELECT c.id, ${UPDATED_KEY('c')} AS updated, c.skill_keys & ${has}::int[] AS matched_keys
     FROM candidate c
     WHERE ${where.join(' AND ')}
     ORDER BY c.updated_at DESC, c.id DESC
     LIMIT ${param(missing)}`,
    params,
  );
  return found.map((row) => ({
    id: row.id,
    updated: row.updated,
    matched: tier.matched,
    levelSum: tier.levelSum,
    matchedIds: row.matched_keys.map((key) => key / STRIDE),
  }));
}

/** Lowest level any asked skill can have in a member of one of these tiers (0 if none is implied). */
function thresholdOf(run: Tier[]): number {
  return Math.max(0, Math.min(...run.map((tier) => tier.levelSum - MAX_LEVEL * (tier.matched - 1))));
}

/**
 * A run of consecutive tiers through the GIN index. The index condition is
 * "at least m_lo asked skills at level >= threshold", which every member of
 * the run satisfies; the exact tier bounds are then checked per row.
 */
async function fetchTiers(
  run: SqlRunner, skills: number[], step: Tier[], threshold: number, request: RankRequest, missing: number,
): Promise<RankedRow[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const { has, levels } = keyParams(skills, param);
  const first = step[0];
  const last = step[step.length - 1];
  const where = [skillCondition(skills, last.matched, threshold, param, 'operator'), ...request.filters.sql(param)];
  const bounds = [
    `(x.matched, x.level_sum) <= (${param(first.matched)}, ${param(first.levelSum)})`,
    `(x.matched, x.level_sum) >= (${param(last.matched)}, ${param(last.levelSum)})`,
  ];
  const after = request.after;
  if (after && step.some((tier) => sameTier(tier, after))) {
    bounds.push(
      `(x.matched, x.level_sum, x.updated_at, x.id) < (${param(after.matched)}, ${param(after.levelSum)}, ` +
        `${param(after.updated)}::timestamptz, ${param(after.id)}::uuid)`,
    );
  }
  // The subquery computes m and L once per row (OFFSET 0 keeps it from being flattened into the uses).
  const found = await run<{ id: string; updated: string; matched: number; level_sum: number; matched_keys: number[] }>(
    `SELECT x.id, ${UPDATED_KEY('x')} AS updated, x.matched, x.level_sum, x.skill_keys & ${has}::int[] AS matched_keys
     FROM (SELECT c.id, c.updated_at, c.skill_keys, ${matchedSql('c', has)} AS matched, ${levelSumSql('c', levels)} AS level_sum
           FROM candidate c WHERE ${where.join(' AND ')} OFFSET 0) x
     WHERE ${bounds.join(' AND ')}
     ORDER BY x.matched DESC, x.level_sum DESC, x.updated_at DESC, x.id DESC
     LIMIT ${param(missing)}`,
    params,
  );
  return found.map((row) => ({
    id: row.id,
    updated: row.updated,
    matched: row.matched,
    levelSum: row.level_sum,
    matchedIds: row.matched_keys.map((key) => key / STRIDE),
  }));
}

/** Statements per ranking at most. */
const MAX_STEPS = 6;

/** Subsets of asked skills spelled out as OR-ed conjunctions up to this many; past it, one overlap test. */
const MAX_SUBSETS = 10;

/**
 * At least `atLeast` of the skills at level >= threshold (threshold 0: at any
 * level). As operators it is a GIN index condition; as the functions behind
 * them, the same test without the index.
 */
function skillCondition(
  skills: number[], atLeast: number, threshold: number, param: (value: unknown) => string, form: 'operator' | 'function',
): string {
  const keysOf = (s: number) =>
    threshold === 0 ? [hasKey(s)] : Array.from({ length: MAX_LEVEL + 1 - threshold }, (_, i) => levelKey(s, threshold + i));
  const test = (op: '&&' | '@>', list: number[]) =>
    form === 'operator'
      ? `c.skill_keys ${op} ${param(list)}::int[]`
      : `${op === '&&' ? '_int_overlap' : '_int_contains'}(c.skill_keys, ${param(list)}::int[])`;
  const overlap = (list: number[]) => test('&&', list.flatMap(keysOf));
  const all = (list: number[]) =>
    threshold === 0 ? test('@>', list.map(hasKey)) : list.map((s) => overlap([s])).join(' AND ');
  if (atLeast <= 1) return overlap(skills);
  if (atLeast >= skills.length) return `(${all(skills)})`;
  const subsets = combinations(skills, atLeast, MAX_SUBSETS + 1);
  if (subsets.length > MAX_SUBSETS) return overlap(skills);
  return `(${subsets.map((subset) => `(${all(subset)})`).join(' OR ')})`;
}

function combinations<T>(list: T[], size: number, cap: number): T[][] {
  const out: T[][] = [];
  const pick = (start: number, chosen: T[]) => {
    if (out.length >= cap) return;
    if (chosen.length === size) {
      out.push(chosen);
      return;
    }
    for (let i = start; i < list.length; i++) pick(i + 1, [...chosen, list[i]]);
  };
  pick(0, []);
  return out;
}

/** Share of candidates passing the non-skill filters, as the planner estimates it; cached with the statistics. */
async function filterSelectivity(run: SqlRunner, filters: SearchFilters, stats: SkillKeyStats): Promise<number> {
  if (stats.candidates <= 0) return 1;
  const cached = stats.filterSelectivity.get(filters.signature);
  if (cached !== undefined) return cached;
  const estimate = await estimateSelectivity(run, filters, stats);
  if (stats.filterSelectivity.size >= 1000) stats.filterSelectivity.clear();
  stats.filterSelectivity.set(filters.signature, estimate);
  return estimate;
}

async function estimateSelectivity(run: SqlRunner, filters: SearchFilters, stats: SkillKeyStats): Promise<number> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const [row] = await run<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM candidate c WHERE ${filters.sql(param).join(' AND ')}`,
    params,
  );
  const plan = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
  return Math.min(1, Math.max(1 / stats.candidates, plan[0].Plan['Plan Rows'] / stats.candidates));
}

// ---------------------------------------------------------------------------
// Cost model
// ---------------------------------------------------------------------------

/** Frequencies of skill_keys elements (pg_stats most_common_elems) and the table size. */
export interface SkillKeyStats {
  candidates: number;
  frequency: Map<number, number>;
  /** Elements not in the list are rarer than this. */
  rareBelow: number;
  /** Planner estimates for filter combinations seen, by SearchFilters.signature. */
  filterSelectivity: Map<string, number>;
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

class TierModel {
  /** P(outcome) per skill: index 0 = lacks it, 1 + l = has it at level l. */
  private readonly outcomes: number[][];
  private readonly dist: number[][];

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
  tiers(minMatched: number, after?: RankedPosition): Tier[] {
    const out: Tier[] = [];
    for (let m = this.skills.length; m >= minMatched; m--) {
      for (let L = MAX_LEVEL * m; L >= 0; L--) {
        if (after && (m > after.matched || (m === after.matched && L > after.levelSum))) continue;
        out.push({ matched: m, levelSum: L });
      }
    }
    return out;
  }

  private share(tier: Tier): number {
    return this.dist[tier.matched]?.[tier.levelSum] ?? 0;
  }

  private readonly memo = new Map<string, number>();

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

  /** Where the next statement's run of tiers ends (exclusive), and whether it is a walk. */
  nextStep(tiers: Tier[], start: number, missing: number, selectivity: number, covered: boolean): { end: number; walk: boolean; threshold: number } {
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

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
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
