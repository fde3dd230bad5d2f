/** Who a request acts as, once its token has been accepted (`request.mesUser`). */
export interface MesPrincipal {
  /** The MES `user_name.user_id` the call runs as. */
  readonly userId: string;
  /** `user`: a person's access token; `service`: client credentials, acting as the background user. */
  readonly mode: 'user' | 'service';
  /** The OAuth2 client the token was issued to, when the token names one. */
  readonly clientId?: string;
}
