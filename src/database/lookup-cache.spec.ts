import { LookupCache } from './lookup-cache';

describe('LookupCache', () => {
  let now: number;
  let live: boolean;
  let cache: LookupCache<string, number>;
  beforeEach(() => {
    now = 1_000;
    live = true;
    cache = new LookupCache<string, number>(60_000, 3, () => live, () => now);
  });

  it('keeps a value until it expires', () => {
    cache.set('a', 1, cache.version());
    now += 59_999;
    expect(cache.get('a')).toBe(1);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not keep what was read before a change came in', () => {
    const readAt = cache.version();
    cache.clear();
    cache.set('a', 1, readAt);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 2, cache.version());
    expect(cache.get('a')).toBe(2);
  });

  it('is neither read nor filled while changes could be missed', () => {
    cache.set('a', 1, cache.version());
    live = false;
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 2, cache.version());
    live = true;
    expect(cache.get('b')).toBeUndefined();
  });

  it('reads what it lacks in one call, in the order asked, and keeps only what it may', async () => {
    cache.set('a', 1, cache.version());
    const asked: string[][] = [];
    const load = async (missing: string[]) => {
      asked.push(missing);
      return new Map(missing.filter((key) => key !== 'none').map((key) => [key, key === 'b' ? 2 : 0]));
    };
    const found = await cache.getMany(['c', 'a', 'none', 'b'], load, (value) => value > 0);
    expect([...found]).toEqual([['c', 0], ['a', 1], ['b', 2]]);
    expect(asked).toEqual([['c', 'none', 'b']]);
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBeUndefined();
  });

  it('starts over when full', () => {
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, 1, cache.version());
    expect(cache.size).toBe(1);
    expect(cache.get('d')).toBe(1);
  });
});
