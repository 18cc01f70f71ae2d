import { SqlParam } from '../candidate-filter';

/**
 * The encoding of candidate.skill_keys (CandidateSkillKeys migration), and
 * the SQL that reads it. Per skill s with level l (unknown level = 0):
 * s*8 means "has s", s*8+1+l "has s at exactly level l".
 */
export const STRIDE = 8;
export const MAX_LEVEL = 5;
export const hasKey = (skill: number) => skill * STRIDE;
export const levelKey = (skill: number, level: number) => skill * STRIDE + 1 + level;

/**
 * candidate.skill_pairs (CandidateSkillPairs migration): every pair of a candidate's skills a < b as
 * a << 31 | b. A bigint past 2^53 does not survive a JS number, so pairs are bound as decimal text.
 */
export const pairKey = (a: number, b: number) => ((BigInt(Math.min(a, b)) << 31n) | BigInt(Math.max(a, b))).toString();

/**
 * Pairs that together name every skill of `skills` (two or more): having all of them is having
 * every skill. A pair's posting list holds only the people with both skills, so for common skills
 * this intersection reads a fraction of what the has-keys' would. Adjacent skills are paired; an
 * odd one out is paired with the first.
 */
export function pairsCovering(skills: number[]): string[] {
  const sorted = [...new Set(skills)].sort((a, b) => a - b);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) pairs.push(pairKey(sorted[i], sorted[i + 1]));
  if (sorted.length % 2 === 1 && sorted.length > 1) pairs.push(pairKey(sorted[0], sorted[sorted.length - 1]));
  return pairs;
}

/** Subsets of asked skills spelled out as OR-ed conjunctions up to this many; past it, one overlap test. */
export const MAX_SUBSETS = 10;

/** Exact m (skills matched) of a candidate row, from its keys and the `has` keys of the asked skills. */
export function matchedSql(alias: string, has: string) {
  return `icount(${alias}.skill_keys & ${has}::int[])`;
}

/** Exact L (level sum over the matched skills), from the row's keys and the level keys of the asked skills. */
export function levelSumSql(alias: string, levels: string) {
  return `(SELECT coalesce(sum(k % ${STRIDE} - 1), 0) FROM unnest(${alias}.skill_keys & ${levels}::int[]) AS k)::int`;
}

/** The asked skills' has-keys and level keys, as bind parameters. */
export function keyParams(skills: number[], param: SqlParam) {
  const has = param(skills.map(hasKey).sort((a, b) => a - b));
  const levels = param(skills.flatMap((s) => Array.from({ length: MAX_LEVEL + 1 }, (_, l) => levelKey(s, l))).sort((a, b) => a - b));
  return { has, levels };
}

/**
 * At least `atLeast` of the skills at level >= threshold (threshold 0: at any
 * level), over `candidate c`. As operators it is a GIN index condition (for
 * several skills at any level, on their pairs); as the functions behind
 * them, the same test without the index.
 */
export function skillCondition(
  skills: number[], atLeast: number, threshold: number, param: SqlParam, form: 'operator' | 'function',
): string {
  const keysOf = (s: number) =>
    threshold === 0 ? [hasKey(s)] : Array.from({ length: MAX_LEVEL + 1 - threshold }, (_, i) => levelKey(s, threshold + i));
  const test = (op: '&&' | '@>', list: number[]) =>
    form === 'operator'
      ? `c.skill_keys ${op} ${param(list)}::int[]`
      : `${op === '&&' ? '_int_overlap' : '_int_contains'}(c.skill_keys, ${param(list)}::int[])`;
  const overlap = (list: number[]) => test('&&', list.flatMap(keysOf));
  const hasAll = (list: number[]) => {
    const distinct = [...new Set(list)];
    return form === 'operator' && distinct.length > 1
      ? `c.skill_pairs @> ${param(pairsCovering(distinct))}::bigint[]`
      : test('@>', distinct.map(hasKey));
  };
  const all = (list: number[]) => (threshold === 0 ? hasAll(list) : list.map((s) => overlap([s])).join(' AND '));
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
