import { isStepDelay } from './step-delay';

describe(isStepDelay.name, () => {
  it.each(['P14D', 'PT12H', 'P1M2W', 'P1Y', 'PT30M', 'P1DT2H', 'PT0S'])('accepts %s', (value) => {
    expect(isStepDelay(value)).toBe(true);
  });

  // P1000000Y: a date that far out is an Invalid Date, which stopped every campaign's round.
  it.each(['P', 'PT', 'P1DT', '14 days', 'P1.5D', '-P1D', 'p14d', '', 14, 'P1000000Y', 'P101Y'])('refuses %p', (value) => {
    expect(isStepDelay(value)).toBe(false);
  });
});
