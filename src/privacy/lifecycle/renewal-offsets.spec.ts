import { renewalOffsets } from './renewal-offsets';

describe(renewalOffsets.name, () => {
  it('reads the days, once each, earliest reminder first', () => {
    expect(renewalOffsets('30,7')).toEqual([30, 7]);
    expect(renewalOffsets(' 7 , 30,7,1 ')).toEqual([30, 7, 1]);
  });

  it('refuses what is not a day count', () => {
    expect(() => renewalOffsets('30,0')).toThrow('CONSENT_RENEWAL_DAYS');
    expect(() => renewalOffsets('thirty')).toThrow('CONSENT_RENEWAL_DAYS');
  });
});
