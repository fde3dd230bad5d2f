/**
 * Every domain error in the product carries one of these codes. This table is the one
 * place where a code becomes an HTTP status (SPEC.md section 3).
 */
export enum MesErrorCode {
  // 400
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedBody = 'MALFORMED_BODY',
  IdempotencyKeyInvalid = 'IDEMPOTENCY_KEY_INVALID',
  MalformedRequest = 'MALFORMED_REQUEST',
  // 401: who are you?
  TokenMissing = 'TOKEN_MISSING',
  TokenInvalid = 'TOKEN_INVALID',
  // 403: known, but not allowed
  UserNotFound = 'MES_USER_NOT_FOUND',
  UserInactive = 'MES_USER_INACTIVE',
  /** OS Group mode: none of the token's group SIDs is the `sid` of an MES group. */
  NoMesGroup = 'NO_MES_GROUP',
  ScopeMissing = 'SCOPE_MISSING',
  BackgroundUserInvalid = 'BACKGROUND_USER_INVALID',
  PrivilegeMissing = 'PRIVILEGE_MISSING',
  TokenKindNotAllowed = 'TOKEN_KIND_NOT_ALLOWED',
  // 404
  RouteNotFound = 'ROUTE_NOT_FOUND',
  EntityNotFound = 'ENTITY_NOT_FOUND',
  EntityAccessDenied = 'ENTITY_ACCESS_DENIED',
  TransactionNotFound = 'TRANSACTION_NOT_FOUND',
  // 405 / 408 / 409 / 413 / 415 / 421 / 422 / 431
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  RequestTimeout = 'REQUEST_TIMEOUT',
  HeadersTooLarge = 'HEADERS_TOO_LARGE',
  BusinessRule = 'BUSINESS_RULE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  TransactionElsewhere = 'TRANSACTION_ON_OTHER_INSTANCE',
  IdempotencyKeyInUse = 'IDEMPOTENCY_KEY_IN_USE',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  // 5xx
  AuthorityUnreachable = 'AUTHORITY_UNREACHABLE',
  Internal = 'INTERNAL_ERROR',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  DatabaseReadOnly = 'DATABASE_READ_ONLY',
  TransactionLimit = 'TRANSACTION_LIMIT',
  IdempotencyUnavailable = 'IDEMPOTENCY_UNAVAILABLE',
}

export const HTTP_STATUS_BY_CODE: Readonly<Record<MesErrorCode, number>> = Object.freeze({
  [MesErrorCode.ValidationFailed]: 400,
  [MesErrorCode.MalformedBody]: 400,
  [MesErrorCode.IdempotencyKeyInvalid]: 400,
  [MesErrorCode.MalformedRequest]: 400,
  [MesErrorCode.TokenMissing]: 401,
  [MesErrorCode.TokenInvalid]: 401,
  [MesErrorCode.UserNotFound]: 403,
  [MesErrorCode.UserInactive]: 403,
  [MesErrorCode.NoMesGroup]: 403,
  [MesErrorCode.ScopeMissing]: 403,
  [MesErrorCode.BackgroundUserInvalid]: 403,
  [MesErrorCode.PrivilegeMissing]: 403,
  [MesErrorCode.TokenKindNotAllowed]: 403,
  [MesErrorCode.RouteNotFound]: 404,
  [MesErrorCode.EntityNotFound]: 404,
  [MesErrorCode.EntityAccessDenied]: 404,
  [MesErrorCode.TransactionNotFound]: 404,
  [MesErrorCode.MethodNotAllowed]: 405,
  [MesErrorCode.RequestTimeout]: 408,
  [MesErrorCode.HeadersTooLarge]: 431,
  [MesErrorCode.BusinessRule]: 409,
  [MesErrorCode.PayloadTooLarge]: 413,
  [MesErrorCode.UnsupportedMediaType]: 415,
  [MesErrorCode.TransactionElsewhere]: 421,
  [MesErrorCode.IdempotencyKeyInUse]: 409,
  [MesErrorCode.IdempotencyKeyReused]: 422,
  [MesErrorCode.AuthorityUnreachable]: 500,
  [MesErrorCode.Internal]: 500,
  [MesErrorCode.DatabaseUnavailable]: 503,
  [MesErrorCode.DatabaseReadOnly]: 503,
  [MesErrorCode.TransactionLimit]: 503,
  [MesErrorCode.IdempotencyUnavailable]: 501,
});

/** Short, stable titles for the problem body. */
export const TITLE_BY_CODE: Readonly<Record<MesErrorCode, string>> = Object.freeze({
  [MesErrorCode.ValidationFailed]: 'Invalid request',
  [MesErrorCode.MalformedBody]: 'Malformed request body',
  [MesErrorCode.IdempotencyKeyInvalid]: 'Invalid Idempotency-Key',
  [MesErrorCode.MalformedRequest]: 'Malformed HTTP request',
  [MesErrorCode.TokenMissing]: 'Authentication required',
  [MesErrorCode.TokenInvalid]: 'Invalid access token',
  [MesErrorCode.UserNotFound]: 'Not an MES user',
  [MesErrorCode.UserInactive]: 'MES user is not active',
  [MesErrorCode.NoMesGroup]: 'No MES group',
  [MesErrorCode.ScopeMissing]: 'Missing scope',
  [MesErrorCode.BackgroundUserInvalid]: 'Background user is not valid',
  [MesErrorCode.PrivilegeMissing]: 'Missing privilege',
  [MesErrorCode.TokenKindNotAllowed]: 'Token kind not allowed',
  [MesErrorCode.RouteNotFound]: 'Not found',
  [MesErrorCode.EntityNotFound]: 'Not found',
  [MesErrorCode.EntityAccessDenied]: 'Not found',
  [MesErrorCode.TransactionNotFound]: 'Transaction not found',
  [MesErrorCode.MethodNotAllowed]: 'Method not allowed',
  [MesErrorCode.RequestTimeout]: 'Request not received in time',
  [MesErrorCode.HeadersTooLarge]: 'Request headers too large',
  [MesErrorCode.BusinessRule]: 'MES business rule violated',
  [MesErrorCode.PayloadTooLarge]: 'Payload too large',
  [MesErrorCode.UnsupportedMediaType]: 'Unsupported media type',
  [MesErrorCode.TransactionElsewhere]: 'Transaction on another instance',
  [MesErrorCode.IdempotencyKeyInUse]: 'Request with this Idempotency-Key still running',
  [MesErrorCode.IdempotencyKeyReused]: 'Idempotency-Key used for another request',
  [MesErrorCode.AuthorityUnreachable]: 'Token authority unreachable',
  [MesErrorCode.Internal]: 'Internal error',
  [MesErrorCode.DatabaseUnavailable]: 'Database unavailable',
  [MesErrorCode.DatabaseReadOnly]: 'Database is read-only',
  [MesErrorCode.TransactionLimit]: 'Too many open transactions',
  [MesErrorCode.IdempotencyUnavailable]: 'Idempotency keys not available',
});

export const ENTITY_NOT_FOUND_MESSAGE = 'The specified entity does not exist';
export const ENTITY_ACCESS_DENIED_MESSAGE =
  'You do not have the appropriate privileges to access this entity';
