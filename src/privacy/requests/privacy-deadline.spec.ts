import { daysOverdue, lastDayOf, privacyRequestDueAt } from './privacy-deadline';

const ZONE = 'Europe/Stockholm';

describe(privacyRequestDueAt.name, () => {
  it('gives until the end of the same date next month, in the organisation zone', () => {
    const due = privacyRequestDueAt(new Date('2026-03-02T09:00:00Z'), ZONE);
    expect(due.toISOString()).toBe('2026-04-02T22:00:00.000Z');
    expect(lastDayOf(due, ZONE)).toBe('2026-04-02');
  });

  it('ends at the last day of a shorter month', () => {
    const due = privacyRequestDueAt(new Date('2026-01-31T12:00:00Z'), ZONE);
    expect(lastDayOf(due, ZONE)).toBe('2026-02-28');
  });

  it('counts the local date of receipt (late evening in Stockholm is already the next day in UTC terms)', () => {
    expect(lastDayOf(privacyRequestDueAt(new Date('2026-05-31T22:30:00Z'), ZONE), ZONE)).toBe('2026-07-01');
  });
});

describe(daysOverdue.name, () => {
  const due = privacyRequestDueAt(new Date('2026-03-02T09:00:00Z'), ZONE);

  it('is 0 until the last day has ended, then counts days', () => {
    expect(daysOverdue(due, new Date('2026-04-02T21:59:00Z'), ZONE)).toBe(0);
    expect(daysOverdue(due, new Date('2026-04-02T22:00:00Z'), ZONE)).toBe(1);
    expect(daysOverdue(due, new Date('2026-04-05T10:00:00Z'), ZONE)).toBe(3);
  });
});
