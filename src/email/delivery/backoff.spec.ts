import { retryDelayMs } from './backoff';

describe(retryDelayMs.name, () => {
  it('doubles per attempt, within half to full of the base', () => {
    expect(retryDelayMs(1, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, () => 1)).toBe(30_000);
    expect(retryDelayMs(3, () => 1)).toBe(120_000);
  });

  it('is capped at six hours', () => {
    expect(retryDelayMs(30, () => 1)).toBe(6 * 60 * 60 * 1000);
  });
});
