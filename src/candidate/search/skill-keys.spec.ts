import { paramCollector } from '../candidate-filter';
import { hasKey, keyParams, levelKey, skillCondition } from './skill-keys';

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

  it('asks for any skill as one overlap, for every skill as containment', () => {
    expect(condition([1, 2], 1, 0)).toEqual({ sql: 'c.skill_keys && $1::int[]', params: [[8, 16]] });
    expect(condition([1, 2], 2, 0)).toEqual({ sql: '(c.skill_keys @> $1::int[])', params: [[8, 16]] });
    expect(condition([1, 2], 2, 0, 'function').sql).toBe('(_int_contains(c.skill_keys, $1::int[]))');
  });

  it('narrows by level keys at a threshold', () => {
    expect(condition([1], 1, 4)).toEqual({ sql: 'c.skill_keys && $1::int[]', params: [[levelKey(1, 4), levelKey(1, 5)]] });
  });

  it('spells out "at least m of k" as OR-ed subsets while they are few, else one overlap test', () => {
    expect(condition([1, 2, 3], 2, 0).sql).toBe(
      '((c.skill_keys @> $1::int[]) OR (c.skill_keys @> $2::int[]) OR (c.skill_keys @> $3::int[]))',
    );
    expect(condition([1, 2, 3, 4, 5, 6], 3, 0).sql).toBe('c.skill_keys && $1::int[]');
  });
});
