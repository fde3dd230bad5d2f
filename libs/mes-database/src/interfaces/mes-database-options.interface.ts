/** Settings of both databases. */
interface MesDatabaseCommonOptions {
  /**
   * How long a write waits for the database before it is answered 503 (SQLite: the write lock,
   * held by another write, an open MES transaction or another process). Default 5000.
   */
  writeWaitMs?: number;
  /** Most MES transactions open at once: on SQL Server, the size of their own pool. Default 50. */
  transactionsMaxOpen?: number;
}

/** The embedded database: one SQLite file, migrated and seeded on first start. */
export interface MesSqliteDatabaseOptions extends MesDatabaseCommonOptions {
  type: 'sqlite';
  /** File path as configured (DB_PATH); error messages show it as given. */
  path: string;
}

/** The production MES database on SQL Server: connected to, never migrated. */
export interface MesMssqlDatabaseOptions extends MesDatabaseCommonOptions {
  type: 'mssql';
  host: string;
  port: number;
  database: string;
  username?: string;
  password?: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  poolMax: number;
}

/** Built by the API from its DB_* variables (apps/mes-web-api/src/config/app-config.ts). */
export type MesDatabaseOptions = MesSqliteDatabaseOptions | MesMssqlDatabaseOptions;

export interface DatabaseHealth {
  status: 'up' | 'down';
  type: string;
  detail?: string;
}
