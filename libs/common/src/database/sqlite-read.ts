import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

interface SqliteStatement {
  raw(toggle: boolean): SqliteStatement;
  pluck(toggle: boolean): SqliteStatement;
  columns(): Array<{ name: string }>;
  all(...params: unknown[]): unknown[][];
  get(...params: unknown[]): unknown;
}

/** The part of a better-sqlite3 `Database` the hot paths use. */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  readonly inTransaction: boolean;
}

/**
 * The better-sqlite3 connection TypeORM holds (a new one after re-initialisation), or undefined
 * for any other driver.
 */
export function sqliteConnection(dataSource: DataSource): SqliteConnection | undefined {
  if (dataSource.options.type !== 'better-sqlite3') return undefined;
  return (dataSource.driver as unknown as { databaseConnection: SqliteConnection })
    .databaseConnection;
}

/**
 * Runs the query with `params` and gives each row as its values in the order of the `columns`
 * named to `hotReadQuery` (synchronously on SQLite, as a promise elsewhere).
 */
export type ReadRows = (params: readonly unknown[]) => unknown[][] | Promise<unknown[][]>;

/**
 * A hot read query whose result columns (names or aliases) are known. On SQLite (better-sqlite3)
 * the statement is prepared once on the driver's connection, in raw mode (rows as arrays: no
 * property names to intern per row), and run synchronously: no query runner, broadcaster or
 * statement-cache lookup per call. The query and a failure go to TypeORM's logger as its query
 * runner sends them (the logger applies the `logging` setting). On any other driver it is
 * `dataSource.query`. Values are the driver's raw values either way (hydrate them with
 * `driver.prepareHydratedValue`); a driver error (e.g. SQLITE_BUSY) reaches the caller with its
 * code.
 */
export function hotReadQuery(
  dataSource: DataSource,
  sql: string,
  columns: readonly string[],
): ReadRows {
  if (dataSource.options.type !== 'better-sqlite3') {
    return async (params) => {
      const rows = await dataSource.query<Row[]>(sql, [...params]);
      return rows.map((row) => columns.map((name) => row[name]));
    };
  }
  let prepared:
    { connection: SqliteConnection; statement: SqliteStatement; order?: number[] } | undefined;
  const prepare = (connection: SqliteConnection): NonNullable<typeof prepared> => {
    const statement = connection.prepare(sql).raw(true);
    const names = statement.columns().map((c) => c.name);
    const order = columns.map((name) => {
      const i = names.indexOf(name);
      if (i === -1) throw new Error(`hotReadQuery: the query has no result column "${name}"`);
      return i;
    });
    const inOrder = order.length === names.length && order.every((at, i) => at === i);
    return { connection, statement, order: inOrder ? undefined : order };
  };
  return (params) => {
    const connection = sqliteConnection(dataSource) as SqliteConnection;
    if (prepared?.connection !== connection) prepared = prepare(connection);
    const logged = params as unknown[];
    dataSource.logger.logQuery(sql, logged);
    let rows: unknown[][];
    try {
      rows = prepared.statement.all(...params);
    } catch (err) {
      dataSource.logger.logQueryError(err as Error, sql, logged);
      throw err;
    }
    const order = prepared.order;
    return order ? rows.map((row) => order.map((at) => row[at])) : rows;
  };
}
