import { BoundedTtlCache } from './bounded-ttl-cache';

describe('BoundedTtlCache', () => {
  it('never holds more than its bound, evicting the oldest first', () => {
    const cache = new BoundedTtlCache<string, number>(3);
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i, 10_000, 0);
    expect(cache.size).toBe(3);
    expect(cache.get('k996', 1)).toBeUndefined();
    expect(cache.get('k999', 1)).toBe(999);
  });

  it('expires entries', () => {
    const cache = new BoundedTtlCache<string, number>(10);
    cache.set('a', 1, 100, 0);
    expect(cache.get('a', 99)).toBe(1);
    expect(cache.get('a', 100)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not store already expired entries or with a zero bound', () => {
    const cache = new BoundedTtlCache<string, number>(10);
    cache.set('a', 1, 5, 10);
    expect(cache.size).toBe(0);
    const none = new BoundedTtlCache<string, number>(0);
    none.set('a', 1, 100, 0);
    expect(none.size).toBe(0);
  });
});
