import { toSqliteDateTime } from './datetime';
import {
  databaseBusy,
  DbContext,
  DbSession,
  DbStats,
  DbTransaction,
  DbWrite,
  isBusyError,
  MaybePromise,
  MesDb,
  RunResult,
} from './mes-db';
import { Dialect, SqlType, Statement } from './statement';
import { WriteGate } from './write-gate';

/** The part of a better-sqlite3 statement used here. */
export interface SqliteStatementLike {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
  raw(toggle?: boolean): SqliteStatementLike;
  /** Whether the statement returns rows. */
  readonly reader: boolean;
  /** Whether the statement cannot change the database. */
  readonly readonly: boolean;
}

/** The part of a better-sqlite3 `Database` used here. */
export interface SqliteConnectionLike {
  prepare(sql: string): SqliteStatementLike;
  exec(sql: string): unknown;
  close(): unknown;
  readonly inTransaction: boolean;
  readonly open: boolean;
}

export interface SqliteMesDbOptions {
  /**
   * The read connection: reads of committed data outside transactions (WAL: it never waits for
   * a writer). The TypeORM DataSource's own connection.
   */
  reader: SqliteConnectionLike;
  /**
   * Opens another connection to the same file, set up like the reader (WAL, foreign keys) but
   * with `busy_timeout = 0`: SQLite's busy handler sleeps and would block the event loop, so
   * waiting for another process's lock is done here, asynchronously.
   */
  open(): SqliteConnectionLike;
  /** How long a write waits for the write lock before the busy 503. */
  writeWaitMs: number;
  /** Kept read results: at most this many (default 5000) … */
  readCacheEntries?: number;
  /** … each of at most this many rows (default 500). */
  readCacheMaxRows?: number;
}

/** The value a parameter binds as on SQLite. */
function bindValue(value: unknown, type: SqlType): unknown {
  if (value === undefined || value === null) return type.kind === 'limit' ? -1 : null;
  if (value instanceof Date) return toSqliteDateTime(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

type Prepared = Map<number, SqliteStatementLike>;
type Observer = (name: string, started: number, failed: boolean) => void;

/** Prepares `statement` once on this connection. */
function prepared(
  connection: SqliteConnectionLike,
  cache: Prepared,
  statement: Statement<object, unknown>,
): SqliteStatementLike {
  let prepared = cache.get(statement.id);
  if (prepared === undefined) {
    prepared = connection.prepare(statement.text('sqlite'));
    cache.set(statement.id, prepared);
  }
  return prepared;
}

function bind(statement: Statement<object, unknown>, params: object): unknown[] {
  const names = statement.paramNames;
  if (names.length === 0) return [];
  const values = params as Record<string, unknown>;
  const bound: Record<string, unknown> = {};
  for (const name of names) {
    bound[name] = bindValue(values[name], statement.params[name]);
  }
  return [bound];
}

/**
 * Results of reads kept while the database is unchanged. Before every lookup it reads two
 * counters of the read connection: `data_version` (moves when any other connection, in this
 * process or another, commits) and `total_changes()` (rows this connection changed itself). When
 * either moved, everything kept is dropped. So a kept result is never older than what the query
 * would answer now. Kept rows are frozen (shared by every caller).
 */
class ReadCache {
  private readonly entries = new Map<string, readonly unknown[]>();
  private counters?: SqliteStatementLike;
  private dataVersion = -1;
  private totalChanges = -1;
  hits = 0;
  misses = 0;

  constructor(
    private readonly connection: SqliteConnectionLike,
    private readonly maxEntries: number,
    private readonly maxRows: number,
  ) {}

  /** Drops everything kept when the database changed; false when the counters cannot be read. */
  private fresh(): boolean {
    try {
      this.counters ??= this.connection
        .prepare(
          'SELECT (SELECT data_version FROM pragma_data_version()) AS dv, total_changes() AS tc',
        )
        .raw(true);
      const [dataVersion, totalChanges] = this.counters.get() as [number, number];
      if (dataVersion !== this.dataVersion || totalChanges !== this.totalChanges) {
        this.entries.clear();
        this.dataVersion = dataVersion;
        this.totalChanges = totalChanges;
      }
      return true;
    } catch {
      this.entries.clear();
      this.counters = undefined;
      return false;
    }
  }

  read(key: string, load: () => unknown[]): readonly unknown[] {
    if (this.connection.inTransaction || !this.fresh()) return load();
    const kept = this.entries.get(key);
    if (kept !== undefined) {
      this.hits++;
      return kept;
    }
    this.misses++;
    const rows = load();
    if (rows.length <= this.maxRows) {
      for (const row of rows) Object.freeze(row);
      Object.freeze(rows);
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      this.entries.set(key, rows);
    }
    return rows;
  }
}

function cacheKey(statement: Statement<object, unknown>, bound: unknown[]): string {
  if (bound.length === 0) return String(statement.id);
  const values = bound[0] as Record<string, unknown>;
  let key = String(statement.id);
  for (const name of statement.paramNames) {
    const value = values[name];
    // Type-tagged, so 5 and '5' are different keys; \u0001 cannot appear in bound text we build.
    key += typeof value === 'string' ? `\u0001s${value}` : `\u0001${String(value)}`;
  }
  return key;
}

/** Statements on one SQLite connection. */
class SqliteSession implements DbWrite {
  readonly dialect: Dialect = 'sqlite';

  constructor(
    readonly connection: SqliteConnectionLike,
    private readonly observe: Observer | undefined,
    private readonly cache?: ReadCache,
    private readonly committed?: Array<() => void | Promise<void>>,
    private readonly statements: Prepared = new Map(),
  ) {}

  /** A session sharing this connection and its prepared statements, collecting afterCommit hooks. */
  withHooks(committed: Array<() => void | Promise<void>>): SqliteSession {
    return new SqliteSession(this.connection, this.observe, undefined, committed, this.statements);
  }

  all<P extends object, R>(statement: Statement<P, R>, params: P): readonly R[] {
    return this.exec(statement as Statement<object, unknown>, params, 'all') as readonly R[];
  }

  get<P extends object, R>(statement: Statement<P, R>, params: P): R | undefined {
    const rows = this.exec(statement as Statement<object, unknown>, params, 'all') as readonly R[];
    return rows[0];
  }

  run<P extends object>(statement: Statement<P, unknown>, params: P): RunResult {
    return this.exec(statement as Statement<object, unknown>, params, 'run') as RunResult;
  }

  afterCommit(fn: () => void | Promise<void>): void {
    if (this.committed === undefined) throw new Error('afterCommit is only offered inside a write');
    this.committed.push(fn);
  }

  private exec(
    statement: Statement<object, unknown>,
    params: object,
    mode: 'all' | 'run',
  ): unknown {
    const started = this.observe === undefined ? 0 : performance.now();
    let failed = true;
    try {
      const stmt = prepared(this.connection, this.statements, statement);
      const bound = bind(statement, params);
      let result: unknown;
      if (mode === 'run') result = { changes: stmt.run(...bound).changes };
      else if (this.cache !== undefined && stmt.readonly) {
        result = this.cache.read(cacheKey(statement, bound), () => stmt.all(...bound));
      } else result = stmt.all(...bound);
      failed = false;
      return result;
    } finally {
      this.observe?.(statement.name, started, failed);
    }
  }
}

/** A dedicated connection in a transaction: an auto-committed write or an MES transaction. */
class SqliteWriteConnection {
  readonly session: SqliteSession;
  private readonly begin: SqliteStatementLike;
  private readonly commitStatement: SqliteStatementLike;
  private readonly rollbackStatement: SqliteStatementLike;
  private savepoints = 0;

  constructor(
    readonly connection: SqliteConnectionLike,
    observe: Observer | undefined,
  ) {
    this.session = new SqliteSession(connection, observe);
    this.begin = connection.prepare('BEGIN IMMEDIATE');
    this.commitStatement = connection.prepare('COMMIT');
    this.rollbackStatement = connection.prepare('ROLLBACK');
  }

  /**
   * BEGIN IMMEDIATE (takes the database's write lock). Synchronous when the lock is free; when
   * another process holds it, retried with short pauses until `deadline`, then the busy 503.
   */
  beginImmediate(deadline: number): MaybePromise<void> {
    try {
      this.begin.run();
      return;
    } catch (error) {
      if (!isBusyError(error)) throw error;
    }
    return this.retryBegin(deadline);
  }

  private async retryBegin(deadline: number): Promise<void> {
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      if (Date.now() + pause > deadline) throw databaseBusy();
      await new Promise((resolve) => setTimeout(resolve, pause));
      try {
        this.begin.run();
        return;
      } catch (error) {
        if (!isBusyError(error)) throw error;
      }
    }
  }

  commit(): void {
    this.commitStatement.run();
  }

  rollback(): void {
    if (this.connection.open && this.connection.inTransaction) this.rollbackStatement.run();
  }

  /** `work` in a savepoint of the open transaction: a failure undoes only its own writes. */
  async inSavepoint<T>(work: () => MaybePromise<T>): Promise<T> {
    const name = `mes_call_${++this.savepoints}`;
    this.connection.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      this.connection.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (this.connection.open && this.connection.inTransaction) {
        this.connection.exec(`ROLLBACK TO ${name}`);
        this.connection.exec(`RELEASE ${name}`);
      }
      throw error;
    }
  }
}

async function runHooks(hooks: Array<() => void | Promise<void>>): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook();
    } catch {
      // A cache invalidation that fails must not turn a committed write into an error.
    }
  }
}

/**
 * The SQLite MES database. Three kinds of connection, all to one file in WAL mode:
 * - the read connection (TypeORM's): reads of committed data, with kept results;
 * - one write connection: auto-committed writes, one at a time through the write gate;
 * - one connection per open MES transaction, which holds the write gate (and the database's
 *   write lock) from BEGIN to COMMIT/ROLLBACK.
 * Readers never see uncommitted rows, and never wait for writers.
 */
export class SqliteMesDb extends MesDb {
  readonly dialect: Dialect = 'sqlite';
  readonly auto: DbContext;
  private readonly gate = new WriteGate();
  private readonly readCache: ReadCache;
  private readonly reader: SqliteSession;
  private writer?: SqliteWriteConnection;
  private readonly open = new Set<SqliteWriteConnection>();
  private busyRefusals = 0;
  private closed = false;
  private readonly observe = (name: string, started: number, failed: boolean): void => {
    if (this.observed)
      this.emit({ statement: name, durationMs: performance.now() - started, failed });
  };

  constructor(private readonly options: SqliteMesDbOptions) {
    super();
    this.readCache = new ReadCache(
      options.reader,
      options.readCacheEntries ?? 5000,
      options.readCacheMaxRows ?? 500,
    );
    this.reader = new SqliteSession(options.reader, this.observe, this.readCache);
    this.auto = {
      db: this.reader,
      inTransaction: false,
      write: (work) => this.write(work),
    };
  }

  stats(): DbStats {
    return {
      dialect: this.dialect,
      writersWaiting: this.gate.waiting,
      readCacheHits: this.readCache.hits,
      readCacheMisses: this.readCache.misses,
      busyRefusals: this.busyRefusals,
    };
  }

  /** One auto-committed write: gate, BEGIN IMMEDIATE, work, COMMIT (ROLLBACK on any error). */
  private async write<T>(work: (tx: DbWrite) => MaybePromise<T>): Promise<T> {
    const deadline = Date.now() + this.options.writeWaitMs;
    if (!this.gate.tryAcquire()) await this.counted(this.gate.acquire(deadline));
    const hooks: Array<() => void | Promise<void>> = [];
    let result: T;
    try {
      const writer = this.writerConnection();
      const begun = writer.beginImmediate(deadline);
      if (begun instanceof Promise) await this.counted(begun);
      try {
        result = await work(writer.session.withHooks(hooks));
        writer.commit();
      } catch (error) {
        writer.rollback();
        throw error;
      }
    } finally {
      this.gate.release();
    }
    await runHooks(hooks);
    return result;
  }

  async begin(waitMs: number): Promise<DbTransaction> {
    if (this.closed) throw databaseBusy();
    const deadline = Date.now() + waitMs;
    await this.counted(this.gate.acquire(deadline));
    let connection: SqliteWriteConnection | undefined;
    try {
      connection = new SqliteWriteConnection(this.options.open(), this.observe);
      await this.counted(Promise.resolve(connection.beginImmediate(deadline)));
    } catch (error) {
      connection?.connection.close();
      this.gate.release();
      throw error;
    }
    return this.transaction(connection);
  }

  private transaction(connection: SqliteWriteConnection): DbTransaction {
    this.open.add(connection);
    const hooks: Array<() => void | Promise<void>> = [];
    let ended = false;
    let broken = false;
    const end = (): void => {
      ended = true;
      this.open.delete(connection);
      try {
        connection.connection.close();
      } finally {
        this.gate.release();
      }
    };
    const session = connection.session.withHooks(hooks);
    return {
      context: {
        db: session,
        inTransaction: true,
        write: (work) => {
          if (ended) return Promise.reject(new Error('The transaction has ended.'));
          return connection.inSavepoint(() => work(session));
        },
      },
      get broken() {
        return broken || !connection.connection.open;
      },
      commit: async () => {
        if (ended) throw new Error('The transaction has ended.');
        try {
          connection.commit();
        } catch (error) {
          broken = true;
          try {
            connection.rollback();
          } finally {
            end();
          }
          throw error;
        }
        end();
        await runHooks(hooks);
      },
      rollback: () => {
        if (ended) return Promise.resolve();
        try {
          connection.rollback();
        } catch {
          broken = true;
        } finally {
          end();
        }
        return Promise.resolve();
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const connection of this.open) {
      try {
        connection.rollback();
        connection.connection.close();
      } catch {
        // closing anyway
      }
    }
    this.open.clear();
    this.writer?.connection.close();
    this.writer = undefined;
    return Promise.resolve();
  }

  private writerConnection(): SqliteWriteConnection {
    if (this.closed) throw databaseBusy();
    if (this.writer === undefined || !this.writer.connection.open) {
      this.writer = new SqliteWriteConnection(this.options.open(), this.observe);
    }
    return this.writer;
  }

  /** Counts a busy refusal on the way through. */
  private async counted<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      if (isBusyError(error) || (error as { code?: unknown }).code === 'DATABASE_UNAVAILABLE') {
        this.busyRefusals++;
      }
      throw error;
    }
  }
}

/** `session` as the SQLite session it is, or undefined (DirectAccess needs the connection). */
export function sqliteConnectionOf(session: DbSession): SqliteConnectionLike | undefined {
  return session instanceof SqliteSession ? session.connection : undefined;
}
