import { cursorFormat, decodeCursor, encodeCursor, toPage } from './page';

describe(decodeCursor.name, () => {
  const id = '00000000-0000-4000-8000-000000000000';
  const vacancies = cursorFormat('vacancies', 'timestamp', 'uuid');

  it('gives back the timestamps a list hands out, with or without microseconds', () => {
    for (const at of ['2026-02-28T23:59:59Z', '2024-02-29T10:00:00.123456Z', '0001-01-01T00:00:00.000Z']) {
      expect(decodeCursor(encodeCursor(vacancies, [at, id]), vacancies)).toEqual([at, id]);
    }
  });

  it('refuses dates that Date.parse rolls over or PostgreSQL cannot read', () => {
    for (const at of ['2026-02-30T00:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T12:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T24:00:00Z']) {
      expect(() => decodeCursor(encodeCursor(vacancies, [at, id]), vacancies)).toThrow(expect.objectContaining({ code: 'InvalidCursor' }));
    }
  });

  it('refuses the cursor of another list, even one of the same shape, and one without a list', () => {
    const campaigns = cursorFormat('campaigns', 'timestamp', 'uuid');
    const position = ['2026-02-28T23:59:59Z', id];
    expect(() => decodeCursor(encodeCursor(campaigns, position), vacancies)).toThrow(expect.objectContaining({ code: 'InvalidCursor' }));
    expect(() => decodeCursor(Buffer.from(JSON.stringify(position)).toString('base64url'), vacancies))
      .toThrow(expect.objectContaining({ code: 'InvalidCursor' }));
  });
});

describe(toPage.name, () => {
  it('hands out a cursor of its list for the last item when there is a next page', () => {
    const format = cursorFormat('numbers', 'int');
    const page = toPage([1, 2, 3], 2, format, (last) => [last]);
    expect(page.items).toEqual([1, 2]);
    expect(decodeCursor(page.nextCursor!, format)).toEqual([2]);
    expect(toPage([1, 2], 2, format, (last) => [last]).nextCursor).toBeNull();
  });
});
