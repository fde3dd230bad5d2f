/**
 * MES security modes the Web API runs in (MES Native is not one: the web clients need a Windows
 * mode). `os-user`: MES users are configured one by one; `os-group`: the user's AD groups are
 * MES groups (`grp_name.sid`) and the MES user is created at first login.
 */
export type MesSecurityMode = 'os-user' | 'os-group';

/** Options of `AimUserAuthModule`: how a user access token becomes an MES user. */
export interface AimUserAuthModuleOptions {
  /** Claim that holds the MES user id; default `preferred_username` (falls back to `sub`). */
  userClaim?: string;
  /** Turn `domain\user` into `user` before the lookup; default false. */
  stripDomain?: boolean;
  /** How long a lookup result (found, inactive or unknown; groups of SIDs) is reused; default 30000 ms; 0 disables. */
  userCacheTtlMs?: number;
  /** Most user ids (and sets of group SIDs) cached at once; default 10000. */
  userCacheMaxEntries?: number;
  /** MES security mode; default `os-user`. */
  securityMode?: MesSecurityMode;
  /** `os-group`: the claim that carries the user's group SIDs (a string or an array); default `role`. */
  groupClaim?: string;
}

export interface ResolvedAimUserAuthOptions {
  readonly userClaim: string;
  readonly stripDomain: boolean;
  readonly userCacheTtlMs: number;
  readonly userCacheMaxEntries: number;
  readonly securityMode: MesSecurityMode;
  readonly groupClaim: string;
}
