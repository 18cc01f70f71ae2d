import { blockReason, RecipientState } from './email-gate';

describe(blockReason.name, () => {
  const now = new Date('2026-06-01T10:00:00Z');
  const pooled: RecipientState = {
    status: 'active',
    unsubscribedAt: null,
    consentExpiresAt: new Date('2027-01-01T00:00:00Z'),
    consentWithdrawnAt: null,
  };

  it('lets nurture through to an active, consenting, subscribed candidate', () => {
    expect(blockReason(pooled, 'nurture', now)).toBeNull();
  });

  it.each([
    [{ ...pooled, consentExpiresAt: null }, 'talent-pool consent is none'],
    [{ ...pooled, consentExpiresAt: new Date('2026-05-31T00:00:00Z') }, 'talent-pool consent is expired'],
    [{ ...pooled, consentWithdrawnAt: new Date('2026-05-01T00:00:00Z') }, 'talent-pool consent is withdrawn'],
    [{ ...pooled, unsubscribedAt: new Date('2026-05-01T00:00:00Z') }, 'candidate unsubscribed'],
    [{ ...pooled, status: 'hired' }, 'candidate is hired'],
  ])('blocks nurture: %#', (recipient, reason) => {
    expect(blockReason(recipient, 'nurture', now)).toBe(reason);
  });

  it('sends process emails without pool consent, but never to a blocked address', () => {
    expect(blockReason({ ...pooled, consentExpiresAt: null }, 'transactional', now)).toBeNull();
    expect(blockReason(pooled, 'transactional', now, 'hard_bounce')).toBe('address suppressed (hard_bounce)');
    expect(blockReason(pooled, 'transactional', now, 'unsubscribed')).toBeNull();
    expect(blockReason(pooled, 'nurture', now, 'unsubscribed')).toBe('address suppressed (unsubscribed)');
  });
});
