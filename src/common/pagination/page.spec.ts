import { decodeCursor, encodeCursor } from './page';

describe(decodeCursor.name, () => {
  const id = '00000000-0000-4000-8000-000000000000';

  it('gives back the timestamps a list hands out, with or without microseconds', () => {
    for (const at of ['2026-02-28T23:59:59Z', '2024-02-29T10:00:00.123456Z', '0001-01-01T00:00:00.000Z']) {
      expect(decodeCursor(encodeCursor([at, id]), ['timestamp', 'uuid'])).toEqual([at, id]);
    }
  });

  it('refuses dates that Date.parse rolls over or PostgreSQL cannot read', () => {
    for (const at of ['2026-02-30T00:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T12:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T24:00:00Z']) {
      expect(() => decodeCursor(encodeCursor([at, id]), ['timestamp', 'uuid'])).toThrow(expect.objectContaining({ code: 'InvalidCursor' }));
    }
  });
});
