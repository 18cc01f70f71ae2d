import { loadConfig } from '../../config/app-config';
import { nextSendTime, parseSendWindow } from './send-window';

describe(nextSendTime.name, () => {
  const office = parseSendWindow('Mon-Fri 09:00-17:00');
  const stockholm = 'Europe/Stockholm';

  it('sends at once inside the window', () => {
    const now = new Date('2026-06-03T10:00:00Z'); // Wed 12:00 CEST
    expect(nextSendTime(now, stockholm, office)).toEqual(now);
  });

  it('waits for the morning in the recipient\'s zone', () => {
    // Wed 05:00 UTC is 07:00 in Stockholm but 01:00 in New York.
    const now = new Date('2026-06-03T05:00:00Z');
    expect(nextSendTime(now, stockholm, office).toISOString()).toBe('2026-06-03T07:00:00.000Z');
    expect(nextSendTime(now, 'America/New_York', office).toISOString()).toBe('2026-06-03T13:00:00.000Z');
  });

  it('skips the weekend across the spring DST change (CET -> CEST)', () => {
    const fridayEvening = new Date('2026-03-27T16:30:00Z'); // Fri 17:30 CET
    expect(nextSendTime(fridayEvening, stockholm, office).toISOString()).toBe('2026-03-30T07:00:00.000Z'); // Mon 09:00 CEST
  });

  it('skips the weekend across the autumn DST change (CEST -> CET)', () => {
    const fridayEvening = new Date('2026-10-23T16:00:00Z'); // Fri 18:00 CEST
    expect(nextSendTime(fridayEvening, stockholm, office).toISOString()).toBe('2026-10-26T08:00:00.000Z'); // Mon 09:00 CET
  });

  it('opens a window whose edge the clocks skipped at the moment they went forward, not a week later', () => {
    // Sunday 29 March 2026 in Stockholm: 02:00 CET became 03:00 CEST, so 02:30 never happened.
    const night = parseSendWindow('Sun 02:30-03:30');
    const sundayOne = new Date('2026-03-29T00:00:00Z'); // Sun 01:00 CET
    expect(nextSendTime(sundayOne, stockholm, night).toISOString()).toBe('2026-03-29T01:00:00.000Z'); // Sun 03:00 CEST
    const inside = new Date('2026-03-29T01:10:00Z'); // Sun 03:10 CEST
    expect(nextSendTime(inside, stockholm, night)).toEqual(inside);
    // A window that lies wholly in the skipped hour does not open that day.
    expect(nextSendTime(sundayOne, stockholm, parseSendWindow('Sun 02:10-02:50')).toISOString()).toBe('2026-04-05T00:10:00.000Z');
  });

  it('treats the end of the window as closed', () => {
    const closing = new Date('2026-06-03T15:00:00Z'); // Wed 17:00 CEST
    expect(nextSendTime(closing, stockholm, office).toISOString()).toBe('2026-06-04T07:00:00.000Z');
  });

  it('supports wrapping day ranges, 24:00 and always', () => {
    const weekend = parseSendWindow('Sat-Mon 10:00-24:00');
    expect(weekend).toMatchObject({ weekdays: new Set([6, 7, 1]) });
    const tuesday = new Date('2026-06-02T12:00:00Z');
    expect(nextSendTime(tuesday, 'UTC', weekend).toISOString()).toBe('2026-06-06T10:00:00.000Z');
    const sundayLate = new Date('2026-06-07T23:59:00Z');
    expect(nextSendTime(sundayLate, 'UTC', weekend)).toEqual(sundayLate);
    expect(nextSendTime(tuesday, 'UTC', parseSendWindow('always'))).toEqual(tuesday);
  });

  it('rejects malformed windows', () => {
    expect(() => parseSendWindow('weekdays 9-5')).toThrow();
    expect(() => parseSendWindow('Mon-Fri 09:00-25:00')).toThrow();
    // It would never open: the end is taken on the same day as the start.
    expect(() => parseSendWindow('Mon-Sun 22:00-06:00')).toThrow(/start must be before the end/);
    expect(() => parseSendWindow('Mon-Fri 09:00-09:00')).toThrow();
  });

  it('is checked at start-up, naming SEND_WINDOW', () => {
    expect(() => loadConfig({ SEND_WINDOW: 'Mon-Sun 22:00-06:00' })).toThrow(/SEND_WINDOW="Mon-Sun 22:00-06:00" \(.*start before the end/);
    expect(loadConfig({ SEND_WINDOW: 'Sat-Mon 10:00-24:00' }).SEND_WINDOW).toBe('Sat-Mon 10:00-24:00');
  });
});
