import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import {
  MesDb,
  MssqlLike,
  MssqlMesDb,
  MssqlPoolLike,
  SqliteConnectionLike,
  SqliteMesDb,
} from '@mes-web-api/common';
import { MesDatabaseOptions } from './interfaces/mes-database-options.interface';
import { SQLITE_BUSY_TIMEOUT_MS } from './mes-database.constants';
import { DatabaseStartupError } from './database-startup.error';

/** Default of `transactionsMaxOpen`. */
export const DEFAULT_TRANSACTIONS_MAX_OPEN = 50;

/**
 * Opens one more connection to the SQLite file, set up like TypeORM's (WAL, foreign keys), but
 * with `busy_timeout = 0`: SQLite's busy handler sleeps in the calling thread, which here is the
 * event loop; MesDb waits for a busy database asynchronously instead.
 */
export function openSqliteConnection(path: string): SqliteConnectionLike {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 0');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * The MesDb over an initialized DataSource: on SQLite its connection is the read connection
 * (reads with kept results), writes and MES transactions get connections of their own; on SQL
 * Server its pool serves ordinary calls, and MES transactions get a pool of their own, sized
 * `transactionsMaxOpen`, so open transactions never starve ordinary calls.
 */
export function createMesDb(dataSource: DataSource, options: MesDatabaseOptions): MesDb {
  const writeWaitMs = options.writeWaitMs ?? SQLITE_BUSY_TIMEOUT_MS;
  if (options.type === 'sqlite') {
    const driver = dataSource.driver as unknown as { databaseConnection: SqliteConnectionLike };
    const path = (dataSource.options as { database: string }).database;
    if (path === ':memory:' || path === '') {
      throw new DatabaseStartupError(
        'MesDb needs a SQLite file (writes and MES transactions use connections of their own); an in-memory database cannot be shared between connections. Set DB_PATH to a file.',
      );
    }
    return new SqliteMesDb({
      reader: driver.databaseConnection,
      open: () => openSqliteConnection(path),
      writeWaitMs,
      file: path,
    });
  }
  const driver = dataSource.driver as unknown as {
    master: MssqlPoolLike;
    mssql: MssqlLike & {
      ConnectionPool: new (config: unknown) => { connect(): Promise<MssqlPoolLike> };
    };
  };
  const max = options.transactionsMaxOpen ?? DEFAULT_TRANSACTIONS_MAX_OPEN;
  return new MssqlMesDb({
    mssql: driver.mssql,
    pool: driver.master,
    transactionPool: () =>
      new driver.mssql.ConnectionPool(mssqlPoolConfig(options, { max, min: 0 })).connect(),
  });
}

/** The `mssql` connection settings of the options (as TypeORM builds them for its own pool). */
export function mssqlPoolConfig(
  options: Extract<MesDatabaseOptions, { type: 'mssql' }>,
  pool: { max: number; min: number },
): Record<string, unknown> {
  return {
    server: options.host,
    port: options.port,
    database: options.database,
    user: options.username,
    password: options.password,
    connectionTimeout: options.connectTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    pool,
    options: {
      encrypt: options.encrypt,
      trustServerCertificate: options.trustServerCertificate,
      appName: 'mes-web-api',
      useUTC: true,
      enableArithAbort: true,
    },
  };
}
