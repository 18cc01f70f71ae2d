import { paramCollector } from '../candidate-filter';
import { hasKey, keyParams, levelKey, pairKey, pairsCovering, skillCondition } from './skill-keys';

function condition(skills: number[], atLeast: number, threshold: number, form: 'operator' | 'function' = 'operator') {
  const { params, param } = paramCollector();
  return { sql: skillCondition(skills, atLeast, threshold, param, form), params };
}

describe('skill keys', () => {
  it('encodes "has s" as s*8 and "has s at level l" as s*8+1+l, as the CandidateSkillKeys migration does', () => {
    expect(hasKey(3)).toBe(24);
    expect(levelKey(3, 0)).toBe(25);
    expect(levelKey(3, 5)).toBe(30);
  });

  it('binds the asked skills\' has-keys and level keys sorted', () => {
    const { params, param } = paramCollector();
    expect(keyParams([2, 1], param)).toEqual({ has: '$1', levels: '$2' });
    expect(params).toEqual([[8, 16], [9, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 22]]);
  });

  it('encodes the pair of skills a < b as a << 31 | b, in decimal text past 2^53, as the CandidateSkillPairs migration does', () => {
    expect(pairKey(1, 2)).toBe(String(2 ** 31 + 2));
    expect(pairKey(2, 1)).toBe(pairKey(1, 2));
    // skill_keys (id * 8, int4) takes ids below 2^28.
    expect(pairKey(2 ** 28 - 2, 2 ** 28 - 1)).toBe(((2n ** 28n - 2n) * 2n ** 31n + 2n ** 28n - 1n).toString());
  });

  it('covers every asked skill with pairs, the odd one out paired with the first', () => {
    expect(pairsCovering([2, 1])).toEqual([pairKey(1, 2)]);
    expect(pairsCovering([5, 3, 1, 4, 2])).toEqual([pairKey(1, 2), pairKey(3, 4), pairKey(1, 5)]);
    expect(pairsCovering([3, 3, 1])).toEqual([pairKey(1, 3)]);
  });

  it('asks for any skill as one overlap, for every skill as containment of their pairs', () => {
    expect(condition([1, 2], 1, 0)).toEqual({ sql: 'c.skill_keys && $1::int[]', params: [[8, 16]] });
    expect(condition([1, 2], 2, 0)).toEqual({ sql: '(c.skill_pairs @> $1::bigint[])', params: [[pairKey(1, 2)]] });
    expect(condition([7], 1, 0)).toEqual({ sql: 'c.skill_keys && $1::int[]', params: [[56]] });
    expect(condition([7, 7], 2, 0)).toEqual({ sql: '(c.skill_keys @> $1::int[])', params: [[56]] });
  });

  it('spells the same tests as functions, without pairs, for a walk that must not use an index', () => {
    expect(condition([1, 2], 2, 0, 'function').sql).toBe('(_int_contains(c.skill_keys, $1::int[]))');
  });

  it('narrows by level keys at a threshold', () => {
    expect(condition([1], 1, 4)).toEqual({ sql: 'c.skill_keys && $1::int[]', params: [[levelKey(1, 4), levelKey(1, 5)]] });
  });

  it('spells out "at least m of k" as OR-ed subsets while they are few, else one overlap test', () => {
    expect(condition([1, 2, 3], 2, 0).sql).toBe(
      '((c.skill_pairs @> $1::bigint[]) OR (c.skill_pairs @> $2::bigint[]) OR (c.skill_pairs @> $3::bigint[]))',
    );
    expect(condition([1, 2, 3, 4, 5, 6], 3, 0).sql).toBe('c.skill_keys && $1::int[]');
  });
});
