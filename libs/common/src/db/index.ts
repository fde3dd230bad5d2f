export {
  Statement,
  StatementFamily,
  sql,
  top,
  limit,
  insertInto,
  insertReturningId,
  T,
  type Dialect,
  type SqlType,
  type SqlValue,
  type StatementParams,
  type DbRow,
} from './statement';
export {
  MesDb,
  both,
  databaseBusy,
  isBusyError,
  type DbContext,
  type DbSession,
  type DbWrite,
  type DbTransaction,
  type DbStats,
  type QueryEvent,
  type RunResult,
  type MaybePromise,
} from './mes-db';
export {
  SqliteMesDb,
  sqliteConnectionOf,
  sqliteKeptRead,
  type SqliteMesDbOptions,
  type SqliteConnectionLike,
  type SqliteStatementLike,
} from './sqlite-db';
export {
  MssqlMesDb,
  mssqlDriverOf,
  type MssqlDriverAccess,
  type MssqlMesDbOptions,
  type MssqlLike,
  type MssqlPoolLike,
  type MssqlRequestLike,
  type MssqlTransactionLike,
} from './mssql-db';
export { WriteGate } from './write-gate';
export {
  dbDateTimeToIso,
  dbDateTimeToMs,
  isoUtc,
  toDate,
  toSqliteDateTime,
  type DbDateTime,
} from './datetime';
export { renderStatements, exportedStatements } from './render';
export {
  PerGroupSource,
  perGroupSource,
  groupSourceOf,
  groupSourceSuffix,
  callerGroupsIn,
  callerMayUseEntity,
  callerGroupsTypes,
  callerGroupsValues,
  groupsJson,
  type GroupSource,
  type CallerGroupsParams,
} from './caller-groups';
export { constraintViolation, type ConstraintKind } from './constraint-violation';
