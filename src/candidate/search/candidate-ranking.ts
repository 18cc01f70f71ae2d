import { paramCollector } from '../candidate-filter';
import { RecencyPosition, updatedKeySql } from './recency';
import { SearchFilters } from './search-filters';
import { SkillKeyStats } from './skill-key-stats';
import { keyParams, levelSumSql, matchedSql, skillCondition, STRIDE } from './skill-keys';
import { sameTier, thresholdOf, Tier, TierModel } from './tier-model';
import { SqlRunner } from './sql-runner';

export interface RankRequest {
  skillIds: number[];
  matchAll: boolean;
  /** Rows wanted: the page size plus one, to tell whether there is a next page. */
  need: number;
  filters: SearchFilters;
  after?: RankedPosition;
}

export interface RankedPosition extends RecencyPosition, Tier {}

export interface RankedRow extends RankedPosition {
  matchedIds: number[];
}

/** Statements per ranking at most. */
const MAX_STEPS = 6;

/**
 * Ranks by (matched skills, level sum, updated_at, id), all descending, and
 * returns the first `need` rows after the cursor.
 *
 * Every rank is a tier (m = skills matched, L = their level sum); within a
 * tier the order is recency. Tiers are taken best first and the work stops
 * as soon as enough rows are found, so a query is never "rank everyone who
 * has javascript". Each step is one statement, chosen by estimated cost
 * (TierModel) from the planner's element statistics on candidate.skill_keys:
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
  // No transaction around the steps: most rankings are one statement, and BEGIN and COMMIT would be
  // two more round trips on every search. A candidate who changes tier between two steps can come back
  // twice (dropped here) or be passed over, as between two pages of any keyset-paginated list.
  return rankSteps(run, stats, request);
}

async function rankSteps(run: SqlRunner, stats: SkillKeyStats, request: RankRequest): Promise<RankedRow[]> {
  const skills = [...new Set(request.skillIds)];
  const model = new TierModel(skills, stats);
  const selectivity = request.filters.any ? await filterSelectivity(run, request.filters, stats) : 1;
  const tiers = model.tiers(request.matchAll ? skills.length : 1, request.after);
  const rows: RankedRow[] = [];
  let index = 0;
  for (let step = 1; index < tiers.length && rows.length < request.need; step++) {
    const missing = request.need - rows.length;
    // Estimates gone wrong must not turn into dozens of statements: the last one takes every tier left.
    const plan = step < MAX_STEPS
      ? model.nextStep(tiers, index, missing, selectivity, request.filters.covered)
      : { end: tiers.length, walk: false, threshold: thresholdOf(tiers.slice(index)) };
    const taken = tiers.slice(index, plan.end);
    const found = plan.walk
      ? await walkTier(run, skills, taken[0], request, missing)
      : await fetchTiers(run, skills, taken, plan.threshold, request, missing);
    for (const row of found) if (!rows.some((kept) => kept.id === row.id)) rows.push(row);
    index = plan.end;
  }
  return rows.slice(0, request.need);
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
  const { params, param } = paramCollector();
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
    `SELECT c.id, ${updatedKeySql('c')} AS updated, c.skill_keys & ${has}::int[] AS matched_keys
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

/**
 * A run of consecutive tiers through the GIN index. The index condition is
 * "at least m_lo asked skills at level >= threshold", which every member of
 * the run satisfies; the exact tier bounds are then checked per row.
 */
async function fetchTiers(
  run: SqlRunner, skills: number[], step: Tier[], threshold: number, request: RankRequest, missing: number,
): Promise<RankedRow[]> {
  const { params, param } = paramCollector();
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
    `SELECT x.id, ${updatedKeySql('x')} AS updated, x.matched, x.level_sum, x.skill_keys & ${has}::int[] AS matched_keys
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
  const { params, param } = paramCollector();
  const [row] = await run<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM candidate c WHERE ${filters.sql(param).join(' AND ')}`,
    params,
  );
  const plan = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
  return Math.min(1, Math.max(1 / stats.candidates, plan[0].Plan['Plan Rows'] / stats.candidates));
}
