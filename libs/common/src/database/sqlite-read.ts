import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

interface SqliteStatement {
  all(...params: unknown[]): Row[];
}

interface SqliteConnection {
  open: boolean;
  prepare(sql: string): SqliteStatement;
}

/** Runs `sql` with `params` and resolves with the rows: `EntityManager.query`'s contract. */
export type ReadRows = (params: readonly unknown[]) => Row[] | Promise<Row[]>;

/**
 * A hot read query. On SQLite (better-sqlite3) unless every query is logged, the statement is prepared
 * once on the driver's connection and run synchronously: no query runner, broadcaster or
 * statement-cache lookup per call (a few microseconds each, measured by `npm run bench`). On any
 * other driver, or with query logging on, it is `dataSource.query`; a failed query is logged as
 * TypeORM would (`logging` with 'error'). Either way the rows are the
 * driver's raw rows and a driver error (e.g. SQLITE_BUSY) reaches the caller with its code.
 */
export function hotReadQuery(dataSource: DataSource, sql: string): ReadRows {
  if (dataSource.options.type !== 'better-sqlite3' || logsQueries(dataSource)) {
    return (params) => dataSource.query<Row[]>(sql, [...params]);
  }
  let prepared: { connection: SqliteConnection; statement: SqliteStatement } | undefined;
  return (params) => {
    // The driver's connection, as TypeORM holds it (a new one after re-initialisation).
    const connection = (dataSource.driver as unknown as { databaseConnection: SqliteConnection })
      .databaseConnection;
    if (prepared?.connection !== connection) {
      prepared = { connection, statement: connection.prepare(sql) };
    }
    try {
      return prepared.statement.all(...params);
    } catch (err) {
      // As TypeORM's query runner does with `logging: ['error']`.
      if (logsErrors(dataSource)) dataSource.logger.logQueryError(err as Error, sql, [...params]);
      throw err;
    }
  };
}

function logsQueries(dataSource: DataSource): boolean {
  const logging = dataSource.options.logging;
  return (
    logging === true || logging === 'all' || (Array.isArray(logging) && logging.includes('query'))
  );
}

function logsErrors(dataSource: DataSource): boolean {
  const logging = dataSource.options.logging;
  return (
    logging === true || logging === 'all' || (Array.isArray(logging) && logging.includes('error'))
  );
}
