import { DateTime } from 'luxon';

/**
 * GDPR art. 12(3): a request is answered "within one month of receipt".
 * The last day is the same date next month, or that month's last day (31
 * January -> 28 February); the request becomes overdue when that day ends
 * in the organisation's time zone. Returns that instant.
 */
export function privacyRequestDueAt(receivedAt: Date, zone: string): Date {
  return DateTime.fromJSDate(receivedAt, { zone }).plus({ months: 1 }).plus({ days: 1 }).startOf('day').toJSDate();
}

/** The last day to answer, as a date in the zone, for a due instant from privacyRequestDueAt. */
export function lastDayOf(dueAt: Date, zone: string): string {
  return DateTime.fromJSDate(dueAt, { zone }).minus({ milliseconds: 1 }).toISODate()!;
}

/** Whole days since the last day to answer ended (0 while not late). */
export function daysOverdue(dueAt: Date, now: Date, zone: string): number {
  if (now < dueAt) return 0;
  const due = DateTime.fromJSDate(dueAt, { zone }).startOf('day');
  return Math.floor(DateTime.fromJSDate(now, { zone }).startOf('day').diff(due, 'days').days) + 1;
}
