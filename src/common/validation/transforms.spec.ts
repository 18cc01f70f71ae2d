import { queryNumber } from './transforms';

describe('queryNumber', () => {
  const read = (value: unknown) => queryNumber({ value });

  it('reads numbers written plainly', () => {
    expect(['20', '07', '-1', '2.5', '0'].map(read)).toEqual([20, 7, -1, 2.5, 0]);
  });

  it('leaves everything else as it came, for the number check to refuse by name', () => {
    for (const value of ['', ' 10', '10 ', '0x10', '1e1', '+5', '.5', '5.', 'Infinity', 'NaN', '1_000', '１０']) {
      expect(read(value)).toBe(value);
    }
    expect(read(['1', '2'])).toEqual(['1', '2']);
    expect(read(undefined)).toBeUndefined();
  });
});
