/** The embedded database: one SQLite file, migrated and seeded on first start. */
export interface MesSqliteDatabaseOptions {
  type: 'sqlite';
  /** File path as configured (DB_PATH); error messages show it as given. */
  path: string;
}

/** The production MES database on SQL Server: connected to, never migrated. */
export interface MesMssqlDatabaseOptions {
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
