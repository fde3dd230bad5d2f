/** Metadata key under which `@MesMethod()` stores the MES method name on a route handler. */
export const MES_METHOD_KEY = 'MES_SWAGGER:METHOD';

/** Name of the HTTP bearer (JWT) security scheme in the document. */
export const BEARER_SECURITY_SCHEME = 'bearer';

/** Name of the OAuth2 (AIM, authorization code) security scheme in the document. */
export const AIM_SECURITY_SCHEME = 'aim';

/** Scopes Swagger UI asks AIM for, and the scope the API needs on a token. */
export const DEFAULT_OAUTH_SCOPES: readonly string[] = ['openid', 'profile', 'system'];
export const REQUIRED_SCOPES: readonly string[] = ['system'];

/** Environment variable naming a deployment file that extends the exclusion lists. */
export const EXCLUDE_FILE_ENV = 'MES_SWAGGER_EXCLUDE_FILE';

/** Top-level document extension listing the excluded MES methods that were removed. */
export const EXCLUDED_EXTENSION = 'x-mes-excluded';

/** `FactMES.API.<Area>.<Object>.<Action>`, e.g. `FactMES.API.Core.Ent.GetAll`. */
export const MES_METHOD_NAME_PATTERN =
  /^FactMES\.API\.[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*$/;

export function isMesMethodName(name: unknown): name is string {
  return typeof name === 'string' && MES_METHOD_NAME_PATTERN.test(name);
}

/** Operation extension naming the MES method of an operation whose operationId is not its name. */
export const MES_METHOD_EXTENSION = 'x-mes-method';

/**
 * Operation extension (and handler metadata) of an endpoint that is not one MES method but serves
 * many (MiddlewareAccess, DirectAccess, transactions): it needs no MES method name of its own.
 */
export const MES_GENERIC_EXTENSION = 'x-mes-generic';
export const MES_GENERIC_KEY = 'MES_SWAGGER:GENERIC';
