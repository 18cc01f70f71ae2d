import { CandidateFilter, candidateFilterSql, paramCollector } from './candidate-filter';

function build(filter: CandidateFilter, alias?: string) {
  const { params, param } = paramCollector();
  const where = candidateFilterSql(filter, param, alias);
  return { where, params };
}

describe(candidateFilterSql.name, () => {
  it('selects everyone when the filter is empty', () => {
    expect(build({})).toEqual({ where: [], params: [] });
  });

  it('matches any of the skills by default, through the skill keys', () => {
    expect(build({ skillIds: [3, 5] })).toEqual({ where: ['c.skill_keys && $1::int[]'], params: [[24, 40]] });
  });

  it('matches every skill with match=all', () => {
    expect(build({ skillIds: [3, 5, 3], match: 'all' })).toEqual({ where: ['c.skill_keys @> $1::int[]'], params: [[24, 40]] });
  });

  it('matches nobody when no asked skill exists, or when match=all names one that does not', () => {
    expect(build({ skillIds: [null] }).where).toEqual(['false']);
    expect(build({ skillIds: [2, null], match: 'all' }).where).toEqual(['false']);
    expect(build({ skillIds: [2, null], match: 'any' })).toEqual({ where: ['c.skill_keys && $1::int[]'], params: [[16]] });
  });

  it('requires every tag, compared as stored (trimmed, lower case, once)', () => {
    expect(build({ tags: [' Remote', 'remote', 'SENIOR '] })).toEqual({
      where: ['c.tags @> $1::text[]'],
      params: [['remote', 'senior']],
    });
  });

  it('filters on country, city (any case) and status, with every value bound as a parameter', () => {
    expect(build({ country: 'se', city: "Göteborg'; DROP TABLE candidate;--", status: 'active' }, 'x')).toEqual({
      where: ['x.country = $1', 'lower(x.city) = lower($2)', 'x.status = $3'],
      params: ['SE', "Göteborg'; DROP TABLE candidate;--", 'active'],
    });
  });

  it('keeps only valid consent at the given time', () => {
    const now = new Date('2026-03-02T09:00:00Z');
    expect(build({ consentValidAt: now })).toEqual({
      where: ['c.consent_withdrawn_at IS NULL', 'c.consent_expires_at > $1::timestamptz'],
      params: [now],
    });
  });

  it('numbers its parameters after the ones the caller already bound', () => {
    const { params, param } = paramCollector(['earlier']);
    expect(candidateFilterSql({ country: 'NO' }, param)).toEqual(['c.country = $2']);
    expect(params).toEqual(['earlier', 'NO']);
  });

  it('refuses an alias that is not a plain identifier', () => {
    expect(() => candidateFilterSql({}, paramCollector().param, 'c; DROP')).toThrow('Not an SQL alias');
  });
});
