/** Options of `BackgroundUserModule.forRoot()` / `forRootAsync()`. All are optional. */
export interface BackgroundUserModuleOptions {
  /** How long a valid background user is cached, in **milliseconds**. Default 3_600_000 (1 h). */
  ttlMs?: number;
  /**
   * How long an invalid configuration (missing/empty attribute, unknown/inactive user) is cached,
   * in milliseconds, so a burst of service calls does not hammer the database. Default 5_000;
   * 0 disables caching of failures.
   */
  failureTtlMs?: number;
  /** `redis://[user:password@]host:port[/db]`: share the cache between API instances. Unset: in-memory. */
  redisUrl?: string;
  /** Prefix of every Redis key (`<namespace>::background-user:current`). Default `mes-web-api`. */
  redisNamespace?: string;
  /** Upper bound for one cache operation; a slower cache counts as down. Default 200 ms. */
  cacheTimeoutMs?: number;
  /** Milliseconds since the epoch; injectable for tests. Default `Date.now`. */
  clock?: () => number;
}

/** For `BackgroundUserModule.forRootAsync({ useClass | useExisting })`. */
export interface BackgroundUserOptionsFactory {
  createBackgroundUserOptions(): Promise<BackgroundUserModuleOptions> | BackgroundUserModuleOptions;
}
