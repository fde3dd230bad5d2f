import { MesErrorCode } from '../errors/error-codes';
import { MesError } from '../errors/mes-error';
import type { Dialect, Statement } from './statement';

export type MaybePromise<T> = T | Promise<T>;

/** Both values; a promise only when one of them is (SQLite answers without one). */
export function both<A, B>(a: MaybePromise<A>, b: MaybePromise<B>): MaybePromise<[A, B]> {
  return a instanceof Promise || b instanceof Promise ? Promise.all([a, b]) : [a, b];
}

/** What a write statement did. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
}

/**
 * Where statements run: the shared read connection (SQLite) or pool (SQL Server), a write
 * transaction, or an open MES transaction. On SQLite the answer is synchronous (better-sqlite3);
 * callers `await` it either way. Rows may be shared with other callers (kept reads): never
 * change them.
 */
export interface DbSession {
  readonly dialect: Dialect;
  all<P extends object, R>(statement: Statement<P, R>, params: P): MaybePromise<readonly R[]>;
  get<P extends object, R>(statement: Statement<P, R>, params: P): MaybePromise<R | undefined>;
  run<P extends object>(statement: Statement<P, unknown>, params: P): MaybePromise<RunResult>;
}

/** A session inside a write: its statements commit together or not at all. */
export interface DbWrite extends DbSession {
  /**
   * Runs `fn` once these writes are committed (at the end of the write, or of the MES
   * transaction it belongs to); never when they are rolled back. For cache invalidations.
   */
  afterCommit(fn: () => void | Promise<void>): void;
}

/**
 * The database as one call sees it: where it reads, and how it writes. Outside an MES
 * transaction, `db` reads committed data and `write` is one short transaction of its own; inside
 * one, both run in the MES transaction's connection and `write` is a savepoint, so a call that
 * fails leaves the transaction as it was.
 */
export interface DbContext {
  readonly db: DbSession;
  /** True inside an explicit MES transaction (`trans_id`): caches keyed by user must not be used. */
  readonly inTransaction: boolean;
  readonly write: <T>(work: (tx: DbWrite) => MaybePromise<T>) => Promise<T>;
}

/** An open MES transaction's connection. */
export interface DbTransaction {
  readonly context: DbContext;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Set once the connection failed under it: it can only be rolled back (and is, by `rollback`). */
  readonly broken: boolean;
}

/** One statement as it ran, for metrics. */
export interface QueryEvent {
  readonly statement: string;
  readonly durationMs: number;
  readonly failed: boolean;
}

export interface DbStats {
  readonly dialect: Dialect;
  /** Writes waiting for the write lock (SQLite) right now. */
  readonly writersWaiting: number;
  /** Reads answered from kept results / run (SQLite read connection). */
  readonly readCacheHits: number;
  readonly readCacheMisses: number;
  /** Writes refused because the database stayed busy (503). */
  readonly busyRefusals: number;
  /** Auto-committed writes committed, and the COMMITs they took (SQLite commits a turn's writes together). */
  readonly writesCommitted: number;
  readonly commits: number;
}

/**
 * The MES database as the services use it. One per app; the TypeORM DataSource owns the
 * connection options and migrations, this class runs the statements.
 */
export abstract class MesDb {
  abstract readonly dialect: Dialect;
  /** Reads of committed data and auto-committed writes (no MES transaction). */
  abstract readonly auto: DbContext;
  /**
   * Opens a transaction on a connection of its own (an MES transaction), waiting at most
   * `waitMs` for it (SQLite: the write lock; SQL Server: a connection). Throws the busy 503.
   */
  abstract begin(waitMs: number): Promise<DbTransaction>;
  abstract stats(): DbStats;
  /** Closes the connections this class opened (the DataSource closes its own). */
  abstract close(): Promise<void>;

  private listeners: Array<(event: QueryEvent) => void> = [];
  /** What the sessions report statement times to; timing starts with the first listener. */
  protected readonly observer = new StatementObserver((event) => {
    for (const listener of this.listeners) listener(event);
  });

  /** Calls `listener` after every statement the database runs (e.g. a query-time histogram). */
  onQuery(listener: (event: QueryEvent) => void): void {
    this.listeners = [...this.listeners, listener];
    this.observer.active = true;
  }
}

/** Statement timing: `active` once someone listens (no clock reads before that). */
export class StatementObserver {
  active = false;

  constructor(private readonly emit: (event: QueryEvent) => void) {}

  /** `started`: performance.now() when the statement began. */
  done(statement: string, started: number, failed: boolean): void {
    this.emit({ statement, durationMs: performance.now() - started, failed });
  }
}

/** The 503 of a write that could not get the database in time; nothing was written. */
export function databaseBusy(cause?: unknown): MesError {
  return new MesError(
    MesErrorCode.DatabaseUnavailable,
    'The database is busy; try the request again.',
    { headers: { 'Retry-After': '1' }, cause },
  );
}

/** SQLITE_BUSY/LOCKED, or a SQL Server deadlock victim (1205) or lock timeout (1222). */
export function isBusyError(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const { code, number } = e as { code?: unknown; number?: unknown };
    if (
      typeof code === 'string' &&
      (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    )
      return true;
    if (number === 1205 || number === 1222) return true;
    const next: unknown =
      (e as { driverError?: unknown }).driverError ??
      (e as { originalError?: unknown }).originalError ??
      (e as { cause?: unknown }).cause;
    if (next === e) break;
    e = next;
  }
  return false;
}
