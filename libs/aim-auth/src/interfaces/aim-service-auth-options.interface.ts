/** Options of `AimServiceAuthModule`: which client-credentials tokens may act as the background user. */
export interface AimServiceAuthModuleOptions {
  /** Scope a service token must carry (`scope` as a space-separated string or array, or `scp`); default `system`. */
  serviceScope?: string;
  /**
   * Claim that marks a USER token (as in AimUserAuthModule; falls back to `sub` unless
   * `sub === client_id`). Tokens naming a user are never service tokens. Default `preferred_username`.
   */
  userClaim?: string;
}

export interface ResolvedAimServiceAuthOptions {
  readonly serviceScope: string;
  readonly userClaim: string;
}
