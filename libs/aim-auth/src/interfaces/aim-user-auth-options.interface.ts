/** Options of `AimUserAuthModule`: how a user access token becomes an MES user. */
export interface AimUserAuthModuleOptions {
  /** Claim that holds the MES user id; default `preferred_username` (falls back to `sub`). */
  userClaim?: string;
  /** Turn `domain\user` into `user` before the lookup; default false. */
  stripDomain?: boolean;
  /** How long a lookup result (found, inactive or unknown) is reused; default 30000 ms; 0 disables. */
  userCacheTtlMs?: number;
  /** Most user ids cached at once; default 10000. */
  userCacheMaxEntries?: number;
}

export interface ResolvedAimUserAuthOptions {
  readonly userClaim: string;
  readonly stripDomain: boolean;
  readonly userCacheTtlMs: number;
  readonly userCacheMaxEntries: number;
}
