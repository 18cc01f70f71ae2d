import { consentState } from './consent-state';

describe(consentState.name, () => {
  const now = new Date('2026-06-01T12:00:00Z');

  it('is none without a consent', () => {
    expect(consentState(null, null, now)).toEqual({ state: 'none', validUntil: null });
  });

  it('is valid until the expiry, exclusive', () => {
    expect(consentState(new Date('2026-06-01T12:00:01Z'), null, now).state).toBe('valid');
    expect(consentState(new Date('2026-06-01T12:00:00Z'), null, now)).toEqual({
      state: 'expired',
      validUntil: '2026-06-01T12:00:00.000Z',
    });
  });

  it('is withdrawn whatever the expiry says', () => {
    expect(consentState(new Date('2027-01-01Z'), new Date('2026-05-01Z'), now).state).toBe('withdrawn');
  });
});
