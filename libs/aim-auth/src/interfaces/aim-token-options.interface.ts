/** Options of `AimTokenModule`: which authorities are trusted and how their tokens are checked. */
export interface AimTokenModuleOptions {
  /**
   * Issuer URLs of the trusted authorities, e.g. `https://sms1/identitymanager`. Discovery is read
   * from `<issuer>/.well-known/openid-configuration`. Plain http is accepted for loopback hosts only.
   */
  authorities: string[];
  /** Accepted audiences (the token's `aud`, a string or an array, must contain one). */
  audiences: string[];
  /** Accepted signature algorithms; default `['RS256']`. Symmetric algorithms and `none` are refused. */
  algorithms?: string[];
  /** Allowed clock skew in seconds for `exp`, `nbf` and `iat`; default 60. */
  clockSkewS?: number;
  /** How long a verified token is remembered (capped by its `exp`); default 60000 ms; 0 disables. */
  memoTtlMs?: number;
  /** Most verified tokens remembered at once (oldest evicted first); default 10000. */
  memoMaxEntries?: number;
  /** Timeout of one discovery or JWKS request; default 5000 ms. */
  fetchTimeoutMs?: number;
  /** Least time between two JWKS refetches caused by an unknown `kid`; default 30000 ms. */
  jwksCooldownMs?: number;
  /** After this age the JWKS is refreshed on the next request; default 600000 ms. */
  jwksMaxAgeMs?: number;
  /** After a failed discovery or JWKS fetch, answer from what is known for this long; default 2000 ms. */
  failureBackoffMs?: number;
  /** Realm in `WWW-Authenticate` challenges; default `mes-web-api`. */
  realm?: string;
}

/** The options after validation, with every default filled in. */
export interface ResolvedAimTokenOptions {
  readonly authorities: readonly string[];
  readonly audiences: readonly string[];
  readonly algorithms: readonly string[];
  readonly clockSkewS: number;
  readonly memoTtlMs: number;
  readonly memoMaxEntries: number;
  readonly fetchTimeoutMs: number;
  readonly jwksCooldownMs: number;
  readonly jwksMaxAgeMs: number;
  readonly failureBackoffMs: number;
  readonly realm: string;
}
