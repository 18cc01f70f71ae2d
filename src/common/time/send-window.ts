import { DateTime } from 'luxon';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const DAY = `(${DAYS.join('|')})`;
const TIME = '([01]\\d|2[0-3]):([0-5]\\d)';
export const SEND_WINDOW_PATTERN = new RegExp(`^(always|${DAY}(-${DAY})? ${TIME}-(${TIME}|24:00))$`);

export type SendWindow = 'always' | { weekdays: Set<number>; startMinute: number; endMinute: number };

/** Parses `Mon-Fri 09:00-17:00` (weekdays 1 = Monday, as luxon counts) or `always`. */
export function parseSendWindow(text: string): SendWindow {
  if (!SEND_WINDOW_PATTERN.test(text)) throw new Error(`Invalid send window: ${text}`);
  if (text === 'always') return 'always';
  const [days, hours] = text.split(' ');
  const [from, to = from] = days.split('-').map((day) => DAYS.indexOf(day as (typeof DAYS)[number]) + 1);
  const weekdays = new Set<number>();
  for (let day = from; ; day = (day % 7) + 1) {
    weekdays.add(day);
    if (day === to) break;
  }
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const [start, end] = hours.split('-');
  // A window past midnight (22:00-06:00) would never open as written: the end is taken on the same day.
  if (minutes(start) >= minutes(end)) throw new Error(`Invalid send window: ${text} (the start must be before the end)`);
  return { weekdays, startMinute: minutes(start), endMinute: minutes(end) };
}

export function isSendWindow(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    parseSendWindow(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The earliest instant at or after `now` that falls inside the window in the
 * recipient's own time zone. Luxon does the calendar arithmetic, so a
 * daylight-saving change between now and the next opening is accounted for.
 */
export function nextSendTime(now: Date, zone: string, window: SendWindow): Date {
  if (window === 'always') return now;
  const local = DateTime.fromJSDate(now, { zone });
  for (let offset = 0; offset <= 7; offset++) {
    const day = local.startOf('day').plus({ days: offset });
    if (!window.weekdays.has(day.weekday)) continue;
    const opening = wallClock(day, window.startMinute);
    const closing = wallClock(day, window.endMinute);
    // Empty when the clocks skipped the whole window that day.
    if (opening >= closing) continue;
    if (local < opening) return opening.toJSDate();
    if (local < closing) return now;
  }
  throw new Error('A send window always opens within a week');
}

/**
 * The local wall-clock time on that day (09:00 stays 09:00 on either side of a DST change). A time
 * the clocks skipped that day (02:30 when they go from 02:00 to 03:00) is the moment they went
 * forward: luxon would move it an hour on, to 03:30, and "Sun 02:30-03:30" would not open that day.
 */
function wallClock(day: DateTime, minuteOfDay: number): DateTime {
  if (minuteOfDay === 24 * 60) return day.plus({ days: 1 });
  const at = day.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 });
  if (at.hour * 60 + at.minute === minuteOfDay) return at;
  let change = at;
  // At most the size of the gap (an hour in most zones), and only on the day of a change.
  while (change.minus({ minutes: 1 }).offset === at.offset) change = change.minus({ minutes: 1 });
  return change;
}
