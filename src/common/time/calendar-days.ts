import { DateTime } from 'luxon';

/**
 * Days between two moments on the calendar of `zone`, as people count them:
 * 23:00 yesterday is 1 day ago at 08:00 today, and a day with a clock change
 * is one day. Never negative.
 */
export function calendarDaysBetween(from: Date, to: Date, zone: string): number {
  const day = (at: Date) => DateTime.fromJSDate(at, { zone }).startOf('day');
  return Math.max(0, Math.round(day(to).diff(day(from), 'days').days));
}
