export const MES_DATABASE_OPTIONS = 'MES_DATABASE:OPTIONS';

/** TypeORM's table of applied migrations (named so it cannot clash with an MES table). */
export const MES_MIGRATIONS_TABLE = 'mes_web_api_migrations';

export const SQLITE_BUSY_TIMEOUT_MS = 5000;
export const HEALTH_CHECK_TIMEOUT_MS = 2000;

/** Connection attempts for SQL Server at start-up, and the pause between them. */
export const MSSQL_CONNECT_ATTEMPTS = 2;
export const MSSQL_RETRY_DELAY_MS = 1000;
