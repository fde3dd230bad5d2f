import { DataSourceOptions } from 'typeorm';
import { MES_USERS_ENTITIES } from '@mes-web-api/mes-users';
import { MES_PLANT_ENTITIES } from '@mes-web-api/mes-plant';
import { MesDatabaseOptions } from './interfaces/mes-database-options.interface';
import { MES_MIGRATIONS_TABLE, SQLITE_BUSY_TIMEOUT_MS } from './mes-database.constants';
import { MES_MIGRATIONS } from './migrations';

/** Every entity of the MES database (users + plant). */
export const MES_ENTITIES = [...MES_USERS_ENTITIES, ...MES_PLANT_ENTITIES];

export interface BuildDataSourceOptionsExtras {
  /** Run pending migrations on initialize (SQLite only; SQL Server never). Default true. */
  migrationsRun?: boolean;
}

/**
 * Prepared statements TypeORM keeps on the SQLite connection (its default is 100, first in,
 * first out). TypeORM's SQLite driver writes numeric parameters into the SQL text, so a statement
 * about entity 147 and one about entity 148 are two statements: with the default, 50 job lanes
 * (about 300 texts) evicted every statement before its next use and each query was prepared
 * again (measured: 321 distinct texts, BEGIN/COMMIT prepared on every transaction; server CPU
 * per job request 666 -> 538 µs with the larger cache). One prepared statement holds about 6 KB,
 * so 2000 stay under about 12 MB; enough for some 300 entities running jobs at once.
 */
export const SQLITE_STATEMENT_CACHE_SIZE = 2000;

/**
 * Pure mapping from the app's database settings to TypeORM options: no I/O, no connection.
 * SQLite: better-sqlite3, WAL, busy timeout, migrations (schema + demo seed) on first start.
 * SQL Server: never synchronized or migrated at start-up.
 */
export function buildDataSourceOptions(
  options: MesDatabaseOptions,
  extras: BuildDataSourceOptionsExtras = {},
): DataSourceOptions {
  const common = {
    entities: MES_ENTITIES,
    migrations: MES_MIGRATIONS,
    migrationsTableName: MES_MIGRATIONS_TABLE,
    synchronize: false,
    dropSchema: false,
    logging: ['error' as const],
  };
  if (options.type === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: options.path,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      statementCacheSize: SQLITE_STATEMENT_CACHE_SIZE,
      migrationsRun: extras.migrationsRun ?? true,
      migrationsTransactionMode: 'all',
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  return {
    ...common,
    type: 'mssql',
    host: options.host,
    port: options.port,
    database: options.database,
    username: options.username,
    password: options.password,
    connectionTimeout: options.connectTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    pool: { max: options.poolMax, min: 0 },
    options: {
      encrypt: options.encrypt,
      trustServerCertificate: options.trustServerCertificate,
      appName: 'mes-web-api',
      // Datetimes are UTC in both databases (SQLite stores UTC text).
      useUTC: true,
    },
    migrationsRun: false,
  };
}

/** A description of the target for messages: never includes credentials. */
export function describeDatabase(options: MesDatabaseOptions): string {
  return options.type === 'sqlite'
    ? `SQLite file ${options.path}`
    : `SQL Server at ${options.host}:${options.port} (database ${options.database})`;
}
