import { decodeLevelKey, hasKey, levelKey, matchSpec, skillTable } from './match-spec';
import { DEFAULT_WEIGHTS } from './match-weights';

describe(skillTable.name, () => {
  it('prices every level of every criterion at weight x level, an unknown level as 3, sorted by key', () => {
    const table = skillTable([{ skillId: 3, name: 'go', weight: 4, required: true }, { skillId: 1, name: 'sql', weight: 2, required: false }]);
    expect(table.keys).toEqual([9, 10, 11, 12, 13, 14, 25, 26, 27, 28, 29, 30]);
    expect(table.points).toEqual([6, 2, 4, 6, 8, 10, 12, 4, 8, 12, 16, 20]);
    expect(table.max).toBe(30);
  });

  it('reads keys back as the CandidateSkillKeys migration writes them', () => {
    expect(hasKey(7)).toBe(56);
    expect(levelKey(7, 4)).toBe(61);
    expect(decodeLevelKey(61)).toEqual({ skillId: 7, level: 4 });
    expect(decodeLevelKey(levelKey(7, null))).toEqual({ skillId: 7, level: null });
  });
});

describe(matchSpec.name, () => {
  it('orders criteria required first, then by weight and name', () => {
    const spec = matchSpec({ id: 'v', title: 'T', team: null, location: null }, [
      { skillId: 1, name: 'b', weight: 3, required: false },
      { skillId: 2, name: 'a', weight: 3, required: false },
      { skillId: 3, name: 'c', weight: 1, required: true },
      { skillId: 4, name: 'd', weight: 5, required: false },
    ], DEFAULT_WEIGHTS, new Date(), 'UTC');
    expect(spec.criteria.map((criterion) => criterion.name)).toEqual(['c', 'd', 'a', 'b']);
  });
});
