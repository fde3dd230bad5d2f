/** Passport strategy names (one registry per process, as everywhere in @nestjs/passport). */
export const AIM_USER_STRATEGY = 'aim-user';
export const AIM_SERVICE_STRATEGY = 'aim-service';

/** Route metadata set by `@Public()`. */
export const AIM_PUBLIC_ROUTE = 'AIM_AUTH:PUBLIC';

/** Name of the bearer security scheme used by `@Authenticated()` in the Swagger document. */
export const AIM_BEARER_SCHEME = 'aim';

/** Realm announced in `WWW-Authenticate` unless configured otherwise. */
export const DEFAULT_REALM = 'mes-web-api';

/** Algorithms that may ever be accepted: asymmetric only (never HS*, never "none"). */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
]);

/** Route metadata set by `@AllowTokens()` / `@UserTokensOnly()` / `@ServiceTokensOnly()`. */
export const AIM_TOKEN_KINDS = 'AIM_AUTH:TOKEN_KINDS';

/** Route metadata set by `@RequireScope()`. */
export const AIM_REQUIRED_SCOPES = 'AIM_AUTH:SCOPES';

/** Route metadata set by `@RequirePrivilege()`. */
export const AIM_REQUIRED_PRIVILEGES = 'AIM_AUTH:PRIVILEGES';
