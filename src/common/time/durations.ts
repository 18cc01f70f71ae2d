import { DateTime, Duration } from 'luxon';

/** `at` plus an ISO-8601 duration, in UTC calendar terms (P1M from 31 Jan is 28/29 Feb). */
export function plusDuration(at: Date, iso: string): Date {
  return DateTime.fromJSDate(at, { zone: 'utc' }).plus(Duration.fromISO(iso)).toJSDate();
}

/** `at` minus an ISO-8601 duration, in UTC calendar terms. */
export function minusDuration(at: Date, iso: string): Date {
  return DateTime.fromJSDate(at, { zone: 'utc' }).minus(Duration.fromISO(iso)).toJSDate();
}
