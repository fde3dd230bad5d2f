import { DataSource, EntityManager } from 'typeorm';
import { MesErrorCode } from '../errors/error-codes';
import { MesError } from '../errors/mes-error';

/** Attempts for a transaction that failed because the database was busy (nothing was committed). */
const BUSY_ATTEMPTS = 3;

/** One queue per SQLite DataSource: TypeORM's better-sqlite3 driver has a single connection. */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3';
}

/** SQLITE_BUSY/LOCKED after busy_timeout, or a SQL Server deadlock victim (1205). */
export function isBusyError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; number?: unknown; driverError?: unknown };
  if (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED' || e.number === 1205) return true;
  return e.driverError !== undefined && e.driverError !== error && isBusyError(e.driverError);
}

/**
 * Runs `work` in one database transaction.
 *
 * On SQLite, TypeORM (better-sqlite3) shares ONE connection between every caller, so two
 * overlapping `transaction()` calls would silently nest (savepoints) and interleave, and a plain
 * write issued while another request's transaction is open would join it (and vanish if it
 * rolls back). Every write in the product therefore goes through this per-DataSource queue: one
 * write transaction at a time. On SQL Server the pool gives each transaction its own connection and
 * row locks order concurrent updates.
 *
 * A busy database (SQLITE_BUSY after the driver's busy_timeout, or a SQL Server deadlock) is
 * retried; if it stays busy the caller gets 503, never a raw driver error.
 */
export async function runInTransaction<T>(
  dataSource: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (isSqlite(dataSource)
        ? enqueue(dataSource, () => dataSource.transaction(work))
        : dataSource.transaction('READ COMMITTED', work));
    } catch (error) {
      if (!isBusyError(error)) throw error;
      if (attempt >= BUSY_ATTEMPTS) {
        throw new MesError(
          MesErrorCode.DatabaseUnavailable,
          'The database is busy; try the request again.',
          { headers: { 'Retry-After': '1' }, cause: error },
        );
      }
    }
  }
}

function enqueue<T>(dataSource: DataSource, task: () => Promise<T>): Promise<T> {
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const next = previous.then(task, task);
  sqliteQueues.set(
    dataSource,
    next.then(
      () => undefined,
      () => undefined,
    ),
  );
  return next;
}
