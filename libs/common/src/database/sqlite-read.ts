import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

interface SqliteStatement {
  raw(toggle: boolean): SqliteStatement;
  columns(): Array<{ name: string }>;
  all(...params: unknown[]): unknown[][];
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/**
 * Runs the query with `params` and gives each row as its values in the order of the `columns`
 * named to `hotReadQuery` (synchronously on SQLite, as a promise elsewhere).
 */
export type ReadRows = (params: readonly unknown[]) => unknown[][] | Promise<unknown[][]>;

/**
 * A hot read query whose result columns (names or aliases) are known. On SQLite (better-sqlite3)
 * unless every query is logged, the statement is prepared once on the driver's connection, in
 * raw mode (rows as arrays: no property names to intern per row), and run synchronously: no query
 * runner, broadcaster or statement-cache lookup per call. On any other driver, or with query
 * logging on, it is `dataSource.query`. Values are the driver's raw values either way (hydrate
 * them with `driver.prepareHydratedValue`); a driver error (e.g. SQLITE_BUSY) reaches the caller
 * with its code, and a failed query is logged as TypeORM would (`logging` with 'error').
 */
export function hotReadQuery(
  dataSource: DataSource,
  sql: string,
  columns: readonly string[],
): ReadRows {
  if (dataSource.options.type !== 'better-sqlite3' || logs(dataSource, 'query')) {
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
    // The driver's connection, as TypeORM holds it (a new one after re-initialisation).
    const connection = (dataSource.driver as unknown as { databaseConnection: SqliteConnection })
      .databaseConnection;
    if (prepared?.connection !== connection) prepared = prepare(connection);
    let rows: unknown[][];
    try {
      rows = prepared.statement.all(...params);
    } catch (err) {
      if (logs(dataSource, 'error'))
        dataSource.logger.logQueryError(err as Error, sql, [...params]);
      throw err;
    }
    const order = prepared.order;
    return order ? rows.map((row) => order.map((at) => row[at])) : rows;
  };
}

/** Whether TypeORM's `logging` setting logs this kind of event. */
function logs(dataSource: DataSource, kind: 'query' | 'error'): boolean {
  const logging = dataSource.options.logging;
  return (
    logging === true || logging === 'all' || (Array.isArray(logging) && logging.includes(kind))
  );
}
