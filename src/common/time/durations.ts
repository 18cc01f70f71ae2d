import { DateTime, Duration } from 'luxon';

/** `at` minus an ISO-8601 duration, in UTC calendar terms. */
export function minusDuration(at: Date, iso: string): Date {
  return DateTime.fromJSDate(at, { zone: 'utc' }).minus(Duration.fromISO(iso)).toJSDate();
}
