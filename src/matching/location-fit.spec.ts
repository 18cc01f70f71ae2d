import { locationFit, locationTerms } from './location-fit';

describe(locationTerms.name, () => {
  it('reads cities as words and runs of words, and country codes written in capitals', () => {
    const terms = locationTerms('New York or Göteborg, SE (hybrid)');
    expect(terms.terms).toEqual(expect.arrayContaining(['new york', 'göteborg', 'se', 'hybrid']));
    expect(terms.countries).toEqual(['SE']);
    expect(terms.anywhere).toBe(false);
  });

  it('treats a missing location and a remote role as no constraint, unless an office is named too', () => {
    expect(locationTerms(null).anywhere).toBe(true);
    expect(locationTerms('  ').anywhere).toBe(true);
    expect(locationTerms('Remote (EU)').anywhere).toBe(true);
    expect(locationTerms('På distans').anywhere).toBe(true);
    expect(locationTerms('Remote or Stockholm office').anywhere).toBe(false);
  });
});

describe(locationFit.name, () => {
  const stockholm = locationTerms('Stockholm, SE');
  it('prefers the city, then the country', () => {
    expect(locationFit(stockholm, 'stockholm', 'SE')).toBe('city');
    expect(locationFit(stockholm, 'Malmö', 'SE')).toBe('country');
    expect(locationFit(stockholm, 'Berlin', 'DE')).toBe('elsewhere');
    expect(locationFit(stockholm, null, null)).toBe('unknown');
    expect(locationFit(locationTerms('Remote'), 'Berlin', 'DE')).toBe('anywhere');
  });
});
