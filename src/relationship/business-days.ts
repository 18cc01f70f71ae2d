import { DateTime } from 'luxon';

/** The organisation's working calendar: its time zone and the public holidays (ISO dates) that do not count. */
export interface BusinessCalendar {
  timeZone: string;
  holidays: ReadonlySet<string>;
}

export interface Deadline {
  /** The last business day (in the organisation's zone) on which the feedback is on time. */
  dueOn: string;
  /** The instant the deadline passes: the end of `dueOn` in the organisation's zone. */
  dueAt: Date;
}

export function isBusinessDay(day: DateTime, calendar: BusinessCalendar): boolean {
  return day.weekday <= 5 && !calendar.holidays.has(day.toISODate()!);
}

/**
 * The deadline for something owed "within n business days" of `from`. The
 * day of `from` never counts, whatever its hour: the n-th business day after
 * it is the last one on time. With n = 0 it is due that same day, or on the
 * next business day when `from` falls on a weekend or holiday.
 */
export function businessDeadline(from: Date, businessDays: number, calendar: BusinessCalendar): Deadline {
  if (!Number.isInteger(businessDays) || businessDays < 0) throw new Error(`businessDays must be a whole number >= 0, got ${businessDays}`);
  let day = DateTime.fromJSDate(from, { zone: calendar.timeZone }).startOf('day');
  if (businessDays === 0) {
    while (!isBusinessDay(day, calendar)) day = day.plus({ days: 1 });
  } else {
    for (let counted = 0; counted < businessDays; ) {
      day = day.plus({ days: 1 });
      if (isBusinessDay(day, calendar)) counted += 1;
    }
  }
  return { dueOn: day.toISODate()!, dueAt: day.plus({ days: 1 }).startOf('day').toJSDate() };
}

/** The organisation's calendar date at `now`. */
export function localDate(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
}
