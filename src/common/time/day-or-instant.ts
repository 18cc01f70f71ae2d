import { DateTime } from 'luxon';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A value that is a moment (2026-04-15T09:30:00Z) or a whole day
 * (2026-04-15) in the organisation's time zone: read as its start or its end
 * (the next day's start), never as midnight UTC, hours away from the
 * organisation's midnight (a consent given "today" refused as in the future
 * before 02:00 in Stockholm; one expiring "on the 31st" expired at 01:00).
 */
export function dayOrInstant(value: string, zone: string, edge: 'start' | 'end'): Date {
  if (!DATE_ONLY.test(value)) return new Date(value);
  const day = DateTime.fromISO(value, { zone }).startOf('day');
  return (edge === 'end' ? day.plus({ days: 1 }) : day).toJSDate();
}
