import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  let now: number;
  const limiter = (limit: number, maxAddresses = 100): AuthFailureLimiter =>
    new AuthFailureLimiter({ limit, windowMs: 60_000, maxAddresses, clock: () => now });

  beforeEach(() => (now = 1_000_000));

  it('blocks an address once it reached the limit, until its window ends', () => {
    const l = limiter(3);
    l.recordFailure('10.0.0.1');
    l.recordFailure('10.0.0.1');
    expect(l.anyBlocked()).toBe(false);
    expect(l.retryAfterS('10.0.0.1')).toBe(0);
    now += 10_000;
    l.recordFailure('10.0.0.1');
    expect(l.anyBlocked()).toBe(true);
    expect(l.retryAfterS('10.0.0.1')).toBe(50);
    expect(l.retryAfterS('10.0.0.2')).toBe(0);
    now += 49_500;
    expect(l.retryAfterS('10.0.0.1')).toBe(1);
    now += 500;
    expect(l.retryAfterS('10.0.0.1')).toBe(0);
    expect(l.anyBlocked()).toBe(false);
  });

  it('starts a new window after the old one ended (fixed windows)', () => {
    const l = limiter(2);
    l.recordFailure('a');
    now += 60_000;
    l.recordFailure('a');
    expect(l.retryAfterS('a')).toBe(0);
    l.recordFailure('a');
    expect(l.retryAfterS('a')).toBe(60);
  });

  it('stays bounded: the oldest windows go first, expired ones before live ones', () => {
    const l = limiter(1, 3);
    l.recordFailure('old');
    now += 61_000;
    l.recordFailure('b');
    l.recordFailure('c');
    l.recordFailure('d'); // 'old' has expired: it makes room
    expect(l.size).toBe(3);
    expect(l.retryAfterS('b')).toBeGreaterThan(0);
    l.recordFailure('e'); // full of live windows: the oldest ('b') goes
    expect(l.size).toBe(3);
    expect(l.retryAfterS('b')).toBe(0);
    expect(l.retryAfterS('e')).toBeGreaterThan(0);
    for (let i = 0; i < 10_000; i++) l.recordFailure(`flood-${i}`);
    expect(l.size).toBe(3);
  });

  it('refuses a limit below 1 (0 means: no limiter at all)', () => {
    expect(() => limiter(0)).toThrow(/at least 1/);
  });
});
