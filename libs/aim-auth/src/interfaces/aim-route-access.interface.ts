/** The two kinds of access token: a person's (`user`) or a client-credentials one (`service`). */
export type AimTokenKind = 'user' | 'service';

/** An MES privilege a route requires (`priv.priv_id`, granted through the user's groups). */
export interface AimPrivilegeRequirement {
  /** `priv.priv_id`. */
  readonly id: number;
  /** What the privilege allows, for the 403 message ("edit master data"). */
  readonly name?: string;
  /** Least `grp_priv_link.priv_value` one of the user's groups must grant; default 1. */
  readonly minValue?: number;
}
