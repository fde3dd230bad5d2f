export {
  MesErrorCode,
  HTTP_STATUS_BY_CODE,
  TITLE_BY_CODE,
  ENTITY_NOT_FOUND_MESSAGE,
  ENTITY_ACCESS_DENIED_MESSAGE,
} from './errors/error-codes';
export { MesError } from './errors/mes-error';
export type { MesErrorOptions } from './errors/mes-error';
export { toProblem, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX } from './filters/problem';
export type { ProblemDetails, ProblemResponse } from './filters/problem';
export { ProblemDetailsFilter, requestPath } from './filters/problem-details.filter';
export type { MesPrincipal } from './principal';
export { runInTransaction, isBusyError } from './database/transactions';
export { mssqlEntityManagerWithoutServer } from './database/mssql-metadata';
export { hotReadQuery, ReadRows } from './database/sqlite-read';
export { FreshReadCache } from './database/fresh-read-cache';
export { BoundedTtlCache } from './cache/bounded-ttl-cache';
