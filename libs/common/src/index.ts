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
export { BoundedTtlCache } from './cache/bounded-ttl-cache';
export {
  MesDb,
  SqliteMesDb,
  MssqlMesDb,
  WriteGate,
  Statement,
  StatementFamily,
  sql,
  top,
  limit,
  insertInto,
  insertReturningId,
  T,
  databaseBusy,
  isBusyError,
  sqliteConnectionOf,
  mssqlRequestOf,
  dbDateTimeToIso,
  dbDateTimeToMs,
  isoUtc,
  toDate,
  toSqliteDateTime,
  type Dialect,
  type SqlType,
  type SqlValue,
  type StatementParams,
  type DbRow,
  type DbContext,
  type DbSession,
  type DbWrite,
  type DbTransaction,
  type DbStats,
  type QueryEvent,
  type RunResult,
  type MaybePromise,
  type SqliteMesDbOptions,
  type SqliteConnectionLike,
  type SqliteStatementLike,
  type MssqlMesDbOptions,
  type MssqlLike,
  type MssqlPoolLike,
  type MssqlRequestLike,
  type MssqlTransactionLike,
  type DbDateTime,
} from './db';
