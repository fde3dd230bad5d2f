/** One client address's failures in its current window. */
interface Window {
  count: number;
  resetAt: number;
}

export interface AuthFailureLimiterOptions {
  /** Failures per window before the address is refused; must be at least 1. */
  limit: number;
  /** Window length; default one minute. */
  windowMs?: number;
  /** Addresses remembered at most (the oldest windows go first); default 10,000. */
  maxAddresses?: number;
  clock?: () => number;
}

/**
 * Counts failed authentications (401 answers) per client address in fixed windows, in a bounded
 * map (this instance only). Once an address reached `limit` in its window, `retryAfterS` says
 * how long it must wait; until then nothing is refused. While no address is blocked, the check
 * costs one clock read.
 */
export class AuthFailureLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly clock: () => number;
  private readonly windows = new Map<string, Window>();
  /** The end of the latest window that reached the limit: before it, some address may be blocked. */
  private blockedUntil = 0;

  constructor(options: AuthFailureLimiterOptions) {
    if (!(options.limit >= 1)) throw new Error('AuthFailureLimiter: limit must be at least 1');
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Addresses currently remembered (bounded by `maxAddresses`). */
  get size(): number {
    return this.windows.size;
  }

  /** Whether any address may be blocked now (cheap: no lookup). */
  anyBlocked(now = this.clock()): boolean {
    return now < this.blockedUntil;
  }

  /** One failed authentication from `address`. */
  recordFailure(address: string, now = this.clock()): void {
    let window = this.windows.get(address);
    if (window === undefined || window.resetAt <= now) {
      if (window !== undefined) this.windows.delete(address);
      else if (this.windows.size >= this.maxAddresses) this.evict(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(address, window);
    }
    window.count += 1;
    if (window.count >= this.limit && window.resetAt > this.blockedUntil) {
      this.blockedUntil = window.resetAt;
    }
  }

  /** Whole seconds until `address` may authenticate again; 0 when it is not blocked. */
  retryAfterS(address: string, now = this.clock()): number {
    if (now >= this.blockedUntil) return 0;
    const window = this.windows.get(address);
    if (window === undefined || window.count < this.limit || window.resetAt <= now) return 0;
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  /** Makes room: drops expired windows from the oldest end, then the oldest window. */
  private evict(now: number): void {
    for (const [address, window] of this.windows) {
      if (this.windows.size < this.maxAddresses && window.resetAt > now) return;
      this.windows.delete(address);
    }
  }
}
