import { businessDeadline, localDate } from './business-days';

const stockholm = (holidays: string[] = []) => ({ timeZone: 'Europe/Stockholm', holidays: new Set(holidays) });

describe(businessDeadline.name, () => {
  it('counts business days after the day of the decision and ends at local midnight', () => {
    // Monday 2026-03-02, 10:00 in Stockholm.
    const deadline = businessDeadline(new Date('2026-03-02T09:00:00Z'), 5, stockholm());
    expect(deadline.dueOn).toBe('2026-03-09');
    expect(deadline.dueAt.toISOString()).toBe('2026-03-09T23:00:00.000Z');
  });

  it('skips the weekend', () => {
    // Thursday 2026-03-05: Fri, Mon, Tue.
    expect(businessDeadline(new Date('2026-03-05T15:00:00Z'), 3, stockholm()).dueOn).toBe('2026-03-10');
  });

  it('starts counting on Monday after a decision made at the weekend', () => {
    expect(businessDeadline(new Date('2026-03-07T12:00:00Z'), 1, stockholm()).dueOn).toBe('2026-03-09');
  });

  it('skips public holidays', () => {
    // Monday 2026-12-21; 24 and 25 December are holidays: 22, 23, 28, 29, 30.
    const deadline = businessDeadline(new Date('2026-12-21T10:00:00Z'), 5, stockholm(['2026-12-24', '2026-12-25']));
    expect(deadline.dueOn).toBe('2026-12-30');
  });

  it('uses the organisation\'s date, not UTC, near midnight', () => {
    // 23:30 UTC on Sunday is already Monday 00:30 in Stockholm.
    expect(businessDeadline(new Date('2026-03-08T23:30:00Z'), 1, stockholm()).dueOn).toBe('2026-03-10');
    expect(localDate(new Date('2026-03-08T23:30:00Z'), 'Europe/Stockholm')).toBe('2026-03-09');
  });

  it('is due the same business day with zero days, or the next one from a holiday', () => {
    expect(businessDeadline(new Date('2026-03-04T08:00:00Z'), 0, stockholm()).dueOn).toBe('2026-03-04');
    expect(businessDeadline(new Date('2026-12-25T08:00:00Z'), 0, stockholm(['2026-12-25'])).dueOn).toBe('2026-12-28');
  });

  it('handles the change to summer time', () => {
    // Friday 2026-03-27; clocks go forward on Sunday 29 March.
    const deadline = businessDeadline(new Date('2026-03-27T10:00:00Z'), 1, stockholm());
    expect(deadline.dueOn).toBe('2026-03-30');
    expect(deadline.dueAt.toISOString()).toBe('2026-03-30T22:00:00.000Z');
  });
});
