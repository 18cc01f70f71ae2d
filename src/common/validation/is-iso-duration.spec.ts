import { isIsoDuration } from './is-iso-duration.decorator';

describe(isIsoDuration.name, () => {
  it.each(['P14D', 'PT12H', 'P1M2W', 'P1Y', 'PT30M', 'P1DT2H', 'PT0S', 'P90D'])('accepts %s', (value) => {
    expect(isIsoDuration(value)).toBe(true);
  });

  // P1000000Y: a date that far out is an Invalid Date, which stopped every campaign's round.
  // "P" and "PT" are nothing to luxon, which took them as valid: an audience "not contacted for P" was everyone.
  it.each(['P', 'PT', 'P1DT', '14 days', 'P1.5D', 'P0.5Y', 'PT0.000001S', '-P1D', 'p14d', '', 14, 'P1000000Y', 'P101Y'])(
    'refuses %p', (value) => {
      expect(isIsoDuration(value)).toBe(false);
    },
  );
});
