import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseStartupError } from './database-startup.error';
import { checkSqliteFile } from './sqlite-file-check';

type MssqlOptions = Extract<DataSourceOptions, { type: 'mssql' }>;

function scrub(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
};

/** The first network error code (ECONNREFUSED …) anywhere in an error chain (cause, errors[]). */
function socketCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as { code?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && e.code in SOCKET_REASONS) return e.code;
  const nested: unknown[] = Array.isArray(e.errors) ? (e.errors as unknown[]) : [];
  for (const next of [e.originalError, e.cause, ...nested]) {
    const found = socketCode(next, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** One clear line for a failed SQL Server connection; never contains the password. */
export function mssqlStartupError(options: MssqlOptions, error: unknown): DatabaseStartupError {
  const e = error as { code?: string; message?: string; originalError?: { code?: string } };
  const code = e?.code ?? e?.originalError?.code ?? '';
  const raw = firstLine(e?.message ?? String(error));
  const socket = socketCode(error);
  const why = socket
    ? `${SOCKET_REASONS[socket]} (${socket})`
    : scrub(raw, options.password) || code || 'unknown error';
  const target = `SQL Server at ${options.host ?? 'localhost'}:${options.port ?? 1433} (database ${options.database ?? '?'})`;
  if (code === 'ELOGIN') {
    return new DatabaseStartupError(
      `Cannot log in to ${target}: ${why}. Check DB_USER/DB_PASSWORD and that the login may use DB_NAME.`,
    );
  }
  if (!socket && (/certificate|self[- ]signed|TLS|SSL/i.test(raw) || code === 'EENCRYPT')) {
    return new DatabaseStartupError(
      `Cannot connect to ${target}: ${why}. Check DB_ENCRYPT and DB_TRUST_SERVER_CERTIFICATE.`,
    );
  }
  return new DatabaseStartupError(
    `Cannot connect to ${target}: ${why}. Check DB_HOST/DB_PORT and that SQL Server accepts TCP connections.`,
    true,
  );
}

function sqliteStartupError(dbPath: string, error: unknown): DatabaseStartupError {
  const e = error as { code?: string; message?: string };
  const why = firstLine(e?.message ?? String(error));
  if (e?.code === 'SQLITE_BUSY' || /database is locked/i.test(why)) {
    return new DatabaseStartupError(
      `DB_PATH=${dbPath} is locked by another process (${why}); stop the other process or point DB_PATH at another file.`,
    );
  }
  return new DatabaseStartupError(
    `DB_PATH=${dbPath} could not be opened and migrated (${why}); check the file, or restore it from a backup.`,
  );
}

/**
 * Creates and initializes the DataSource (running pending migrations where configured), turning
 * every failure into a DatabaseStartupError with one clear line and no secrets. For SQLite the
 * file is checked first (see checkSqliteFile) so a bad file is reported and left untouched.
 */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type === 'better-sqlite3') checkSqliteFile(options.database);
  const dataSource = new DataSource(options);
  try {
    await dataSource.initialize();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    if (error instanceof DatabaseStartupError) throw error;
    if (options.type === 'mssql') throw mssqlStartupError(options, error);
    if (options.type === 'better-sqlite3') throw sqliteStartupError(options.database, error);
    throw new DatabaseStartupError(`Cannot open the database: ${firstLine(String(error))}`);
  }
  return dataSource;
}
