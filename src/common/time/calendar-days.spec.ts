import { calendarDaysBetween } from './calendar-days';

describe(calendarDaysBetween.name, () => {
  const zone = 'Europe/Stockholm';

  it('counts calendar days where the organisation is, not 24-hour blocks', () => {
    expect(calendarDaysBetween(new Date('2026-03-01T22:30:00Z'), new Date('2026-03-02T07:00:00Z'), zone)).toBe(1);
    expect(calendarDaysBetween(new Date('2026-03-02T07:00:00Z'), new Date('2026-03-02T22:00:00Z'), zone)).toBe(0);
    // 23:30 UTC is already the next day in Stockholm.
    expect(calendarDaysBetween(new Date('2026-03-01T23:30:00Z'), new Date('2026-03-02T07:00:00Z'), zone)).toBe(0);
  });

  it('counts a day with a clock change as one day, and never below zero', () => {
    // Noon to noon across the spring change is 47 hours and two days.
    expect(calendarDaysBetween(new Date('2026-03-28T11:00:00Z'), new Date('2026-03-30T10:00:00Z'), zone)).toBe(2);
    expect(calendarDaysBetween(new Date('2026-03-30T10:00:00Z'), new Date('2026-03-28T11:00:00Z'), zone)).toBe(0);
  });
});
