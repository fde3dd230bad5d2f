/**
 * Whose groups decide a call's privileges and entity access. In OS User mode (and for service
 * tokens) the groups are the user's `user_grp_link` rows; in OS Group mode they come from the
 * token: the MES groups whose `grp_name.sid` is among the user's AD group SIDs.
 */
export interface MesCaller {
  /** The MES `user_name.user_id`: stamped on writes; its `user_grp_link` groups count unless `groups` is set. */
  readonly userId: string;
  /**
   * OS Group mode, user tokens only: the MES group ids matched by the token's group SIDs (sorted,
   * unique, never empty). When set, `user_grp_link` is not read.
   */
  readonly groups?: readonly number[];
}

/** Who a request acts as, once its token has been accepted (`request.mesUser`). */
export interface MesPrincipal extends MesCaller {
  /** `user`: a person's access token; `service`: client credentials, acting as the background user. */
  readonly mode: 'user' | 'service';
  /** The OAuth2 client the token was issued to, when the token names one. */
  readonly clientId?: string;
}
