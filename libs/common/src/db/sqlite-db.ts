import { closeSync, openSync, readSync, realpathSync } from 'node:fs';
import { setImmediate as afterThisTurn } from 'node:timers';
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
  StatementObserver,
} from './mes-db';
import { Dialect, SqlType, Statement } from './statement';
import { WriteGate } from './write-gate';

/** The part of a better-sqlite3 statement used here. */
export interface SqliteStatementLike {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
  raw(toggle?: boolean): SqliteStatementLike;
  /** The columns of the rows the statement returns (readers only). */
  columns(): Array<{ name: string }>;
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
  /**
   * The database file: kept reads are then checked against its WAL-index header (one small read)
   * instead of a statement on the read connection.
   */
  file?: string;
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

type Observer = StatementObserver;

/**
 * A statement prepared on one connection, in the form that is cheap to run with better-sqlite3:
 * - its parameters are positional (`?`, in the order they occur), so binding is a walk over an
 *   array, not a property lookup per named parameter through V8's API;
 * - a statement that returns rows returns them raw (arrays), and `row` builds each row object
 *   with an object literal compiled for its columns: one shape for every row of the statement,
 *   instead of a property set through V8's API per column (better-sqlite3's plain rows).
 * Rows are the same as better-sqlite3's: the columns in order, a repeated name keeps its last
 * value.
 */
interface PreparedStatement {
  readonly stmt: SqliteStatementLike;
  /** The values of the `?`s, in order, from a parameter object (binderFor; twice if used twice). */
  readonly bind: (params: object) => unknown[];
  /** Builds a row object from a raw row; undefined for statements that return no rows. */
  readonly row?: (raw: readonly unknown[]) => object;
}

type Prepared = Map<number, PreparedStatement>;

/** A quoted part of SQL (a string, or a quoted name) or a parameter: `@name`. */
const QUOTED_OR_PARAMETER = /'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|@(\w+)/g;

/**
 * Positional SQL and the parameter of each `?`: the statement's own `@name`s become `?` in the
 * order they occur; text inside quotes (strings, quoted names) is left as it is, as SQLite reads it.
 */
export function positionalSql(
  text: string,
  names: readonly string[],
): { sql: string; order: string[] } {
  const known = new Set(names);
  const order: string[] = [];
  const sql = text.replace(QUOTED_OR_PARAMETER, (whole, name: string | undefined) => {
    if (name === undefined || !known.has(name)) return whole;
    order.push(name);
    return '?';
  });
  return { sql, order };
}

/**
 * The function that turns a raw row into the row object better-sqlite3 would build: an object
 * literal with the column names as keys, compiled once per statement. Names are quoted JSON
 * strings; `__proto__` as a literal key would set the prototype, so a statement with such a column
 * gets the generic builder.
 */
export function rowBuilder(columns: readonly string[]): (raw: readonly unknown[]) => object {
  if (columns.includes('__proto__')) {
    return (raw) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        Object.defineProperty(row, columns[i], {
          value: raw[i],
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      return row;
    };
  }
  const members = columns.map((name, i) => `${JSON.stringify(name)}: raw[${i}]`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('raw', `return { ${members.join(', ')} };`) as (
    raw: readonly unknown[],
  ) => object;
}

/** Prepares `statement` once on this connection. */
function prepared(
  connection: SqliteConnectionLike,
  cache: Prepared,
  statement: Statement<object, unknown>,
): PreparedStatement {
  let entry = cache.get(statement.id);
  if (entry === undefined) {
    const { sql, order } = positionalSql(statement.text('sqlite'), statement.paramNames);
    const stmt = connection.prepare(sql);
    const types = order.map((name) => (statement.params as Record<string, SqlType>)[name]);
    const bind = binderFor(order, types);
    entry = stmt.reader
      ? { stmt: stmt.raw(true), bind, row: rowBuilder(stmt.columns().map((c) => c.name)) }
      : { stmt, bind };
    cache.set(statement.id, entry);
  }
  return entry;
}

/**
 * The function that gives the values of a statement's `?`s, in order, each as SQLite binds it:
 * compiled once per statement, with one property load per parameter by its literal name (JSON
 * quoted). V8 keeps each load monomorphic for the parameter objects of the statement; a loop over
 * the names loads by a computed key, megamorphic across statements (about 1 µs a write).
 */
export function binderFor(
  order: readonly string[],
  types: readonly SqlType[],
): (params: object) => unknown[] {
  const values = order.map((name, i) => `v(p[${JSON.stringify(name)}], t[${i}])`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(
    'v',
    't',
    `return function bind(p) { return [${values.join(', ')}]; };`,
  );
  return (factory as (v: typeof bindValue, t: readonly SqlType[]) => (params: object) => unknown[])(
    bindValue,
    types,
  );
}

/** Bytes of the first copy of the WAL-index header at the start of the `-shm` file. */
const WAL_INDEX_HEADER_BYTES = 48;

/**
 * Results of reads kept while the database is unchanged. Before every lookup it asks whether
 * any connection, in this process or another, has committed since the last one:
 * - on a file in WAL mode, by reading the WAL-index header at the start of the `-shm` file (one
 *   48-byte read; SQLite rewrites that header, with its transaction counter `iChange`, on
 *   every commit, and the file is the shared memory every connection maps);
 * - else (no `-shm` file to read) by the read connection's `PRAGMA data_version` and
 *   `total_changes()`, a statement with a read transaction of its own.
 * When anything moved, everything kept is dropped. So a kept result is never older than what
 * the query would answer at that moment. Kept rows are frozen (shared by every caller).
 */
class ReadCache {
  private readonly entries = new Map<string, readonly unknown[]>();
  private counters?: SqliteStatementLike;
  private dataVersion = -1;
  private totalChanges = -1;
  /** The `-shm` file: undefined until opened, null when it cannot be read (counters instead). */
  private shm?: { fd: number; seen: Buffer; now: Buffer } | null;
  hits = 0;
  misses = 0;

  constructor(
    private readonly connection: SqliteConnectionLike,
    private readonly maxEntries: number,
    private readonly maxRows: number,
    /** The database file (its `-shm` file sits next to it); undefined: counters only. */
    private readonly file?: string,
  ) {
    if (file === undefined) this.shm = null;
  }

  close(): void {
    if (this.shm) closeSync(this.shm.fd);
    this.shm = null;
  }

  /** Drops everything kept when the database changed; false when that cannot be told. */
  private fresh(): boolean {
    const changed = this.shm === null ? undefined : this.walIndexChanged();
    if (changed !== undefined) {
      if (changed) this.entries.clear();
      return true;
    }
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

  /** Whether the WAL-index header changed since the last call; undefined when unreadable. */
  private walIndexChanged(): boolean | undefined {
    try {
      this.shm ??= {
        fd: openSync(`${realpathSync(this.file as string)}-shm`, 'r'),
        seen: Buffer.alloc(WAL_INDEX_HEADER_BYTES),
        now: Buffer.alloc(WAL_INDEX_HEADER_BYTES),
      };
      const { fd, seen, now } = this.shm;
      if (readSync(fd, now, 0, WAL_INDEX_HEADER_BYTES, 0) !== WAL_INDEX_HEADER_BYTES) {
        return undefined;
      }
      if (now.equals(seen)) return false;
      now.copy(seen);
      return true;
    } catch {
      if (this.shm) closeSync(this.shm.fd);
      this.shm = null;
      return undefined;
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

function cacheKey(statement: Statement<object, unknown>, bound: readonly unknown[]): string {
  let key = String(statement.id);
  for (let i = 0; i < bound.length; i++) {
    const value = bound[i];
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
    return this.exec(statement as Statement<object, unknown>, params, 'get') as R | undefined;
  }

  run<P extends object>(statement: Statement<P, unknown>, params: P): RunResult {
    return this.exec(statement as Statement<object, unknown>, params, 'run') as RunResult;
  }

  /**
   * Rows `load` reads, kept like a statement's on the read connection (key: what they depend
   * on besides the database); loaded every time elsewhere (in a write or a transaction).
   */
  keptRead<T extends object>(key: string, load: () => T[]): readonly T[] {
    return this.cache === undefined
      ? load()
      : (this.cache.read(`\u0002${key}`, load) as readonly T[]);
  }

  afterCommit(fn: () => void | Promise<void>): void {
    if (this.committed === undefined) throw new Error('afterCommit is only offered inside a write');
    this.committed.push(fn);
  }

  private exec(statement: Statement<object, unknown>, params: object, mode: RunMode): unknown {
    const entry = prepared(this.connection, this.statements, statement);
    const bound = entry.bind(params);
    if (mode !== 'run' && this.cache !== undefined && entry.stmt.readonly) {
      // Only a read the database runs is timed; a kept result is not a query. A kept `get` is
      // the first of the kept rows (the same key serves `all`).
      const rows = this.cache.read(
        cacheKey(statement, bound),
        () => this.timed(statement, entry, bound, 'all') as unknown[],
      );
      return mode === 'get' ? rows[0] : rows;
    }
    return this.timed(statement, entry, bound, mode);
  }

  private timed(
    statement: Statement<object, unknown>,
    entry: PreparedStatement,
    bound: unknown[],
    mode: RunMode,
  ): unknown {
    const observe = this.observe;
    if (observe === undefined || !observe.active) return run(entry, bound, mode);
    const started = performance.now();
    let failed = true;
    try {
      const result = run(entry, bound, mode);
      failed = false;
      return result;
    } finally {
      observe.done(statement.name, started, failed);
    }
  }
}

/**
 * How a statement runs: `all` its rows; `get` its first row only (SQLite stops there, and no array
 * of rows is built: a write with RETURNING makes all its changes on that first step); `run` how
 * many rows it changed.
 */
type RunMode = 'all' | 'get' | 'run';

/** Runs a prepared statement: its rows as objects, its first row, or how many rows it changed. */
function run(entry: PreparedStatement, bound: unknown[], mode: RunMode): unknown {
  // Spread: better-sqlite3 reads arguments directly, an array's elements one API call each.
  if (mode === 'run') return { changes: entry.stmt.run(...bound).changes };
  if (mode === 'get') {
    const first = entry.stmt.get(...bound);
    return first === undefined || entry.row === undefined ? first : entry.row(first as unknown[]);
  }
  const rows = entry.stmt.all(...bound);
  const row = entry.row;
  if (row === undefined) return rows;
  for (let i = 0; i < rows.length; i++) rows[i] = row(rows[i] as unknown[]);
  return rows;
}

/** A dedicated connection in a transaction: an auto-committed write or an MES transaction. */
class SqliteWriteConnection {
  readonly session: SqliteSession;
  private readonly begin: SqliteStatementLike;
  private readonly commitStatement: SqliteStatementLike;
  private readonly rollbackStatement: SqliteStatementLike;
  private readonly memberStatements: {
    open: SqliteStatementLike;
    release: SqliteStatementLike;
    undo: SqliteStatementLike;
  };
  private savepoints = 0;

  constructor(
    readonly connection: SqliteConnectionLike,
    observe: Observer | undefined,
  ) {
    this.session = new SqliteSession(connection, observe);
    this.begin = connection.prepare('BEGIN IMMEDIATE');
    this.commitStatement = connection.prepare('COMMIT');
    this.rollbackStatement = connection.prepare('ROLLBACK');
    this.memberStatements = {
      open: connection.prepare('SAVEPOINT mes_write'),
      release: connection.prepare('RELEASE mes_write'),
      undo: connection.prepare('ROLLBACK TO mes_write'),
    };
  }

  /**
   * One write of a group, in its own savepoint: its failure undoes only its own changes (unless
   * SQLite rolled the whole transaction back, e.g. on a full disk: then `lost` is set).
   */
  async member<T>(work: () => MaybePromise<T>): Promise<T> {
    const { open, release, undo } = this.memberStatements;
    open.run();
    try {
      const result = await work();
      release.run();
      return result;
    } catch (error) {
      if (this.connection.open && this.connection.inTransaction) {
        undo.run();
        release.run();
      }
      throw error;
    }
  }

  /** Whether the transaction BEGIN opened is still open (SQLite ends it itself on some errors). */
  get inTransaction(): boolean {
    return this.connection.open && this.connection.inTransaction;
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

/** Most auto-committed writes one COMMIT takes. */
export const SQLITE_WRITES_PER_COMMIT = 128;

interface GroupMember {
  readonly work: (tx: DbWrite) => MaybePromise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly hooks: Array<() => void | Promise<void>>;
  result?: unknown;
}

/**
 * Group commit: the auto-committed writes that reach the database in one event-loop turn run in
 * one transaction, one after another, each in its own savepoint, and are committed together when
 * the turn ends. A write that fails is undone alone (its savepoint) and answers at once; the
 * others answer once the COMMIT has returned, never before. SQLite's cost of a commit (the WAL
 * append, and the read connection's page cache starting over) is paid once per turn instead of
 * once per write. Each write sees the writes before it (same connection), so check-and-set
 * statements and increments stay exact.
 */
class WriteGroup {
  private readonly queue: GroupMember[] = [];
  private readonly done: GroupMember[] = [];
  private writer?: SqliteWriteConnection;
  private running = false;
  /** The turn BEGIN completed in has ended: no new members; commit once the queue is empty. */
  private due = false;
  private ended = false;
  private size = 0;
  /** BEGIN failed, or SQLite ended the transaction itself (e.g. a full disk): all fail with it. */
  private failure?: unknown;
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    begin: () => MaybePromise<SqliteWriteConnection>,
    private readonly release: (committedWrites: number) => void,
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
    let begun: MaybePromise<SqliteWriteConnection>;
    try {
      begun = begin();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (begun instanceof Promise) {
      begun.then(
        (writer) => this.start(writer),
        (error: unknown) => this.fail(error),
      );
    } else this.start(begun);
  }

  /** Members waiting for their turn. */
  get waiting(): number {
    return this.queue.length;
  }

  get accepting(): boolean {
    return !this.due && !this.ended && this.size < SQLITE_WRITES_PER_COMMIT;
  }

  add<T>(work: (tx: DbWrite) => MaybePromise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.ended) {
        reject(
          this.failure instanceof Error ? this.failure : new Error('The write group has ended.'),
        );
        return;
      }
      this.size++;
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject, hooks: [] });
      this.drain();
    });
  }

  private start(writer: SqliteWriteConnection): void {
    this.writer = writer;
    afterThisTurn(() => {
      this.due = true;
      this.drain();
    });
    this.drain();
  }

  /** Runs the queued members one at a time; commits when the turn is over and none is left. */
  private drain(): void {
    const writer = this.writer;
    if (this.running || this.ended || writer === undefined) return;
    const next = this.queue.shift();
    if (next === undefined) {
      if (this.due) void this.commit(writer);
      return;
    }
    if (this.failure !== undefined) {
      next.reject(this.failure);
      this.drain();
      return;
    }
    this.running = true;
    writer
      .member(() => next.work(writer.session.withHooks(next.hooks)))
      .then(
        (result) => {
          next.result = result;
          this.done.push(next);
        },
        (error: unknown) => {
          if (!writer.inTransaction) this.failure = error;
          next.reject(error);
        },
      )
      .finally(() => {
        this.running = false;
        this.drain();
      });
  }

  private async commit(writer: SqliteWriteConnection): Promise<void> {
    this.ended = true;
    let failure = this.failure;
    if (failure === undefined && this.done.length > 0) {
      try {
        writer.commit();
      } catch (error) {
        failure = error;
      }
    }
    if (failure !== undefined || this.done.length === 0) {
      try {
        writer.rollback();
      } catch {
        // the connection is reopened by the next write if it is unusable
      }
    }
    this.release(failure === undefined ? this.done.length : 0);
    this.finish();
    for (const member of this.done) {
      if (failure !== undefined) {
        member.reject(failure);
        continue;
      }
      await runHooks(member.hooks);
      member.resolve(member.result);
    }
  }

  /** BEGIN failed (busy, closed): every member gets that error. */
  private fail(error: unknown): void {
    this.ended = true;
    this.failure = error;
    this.finish();
    for (const member of this.queue.splice(0)) member.reject(error);
  }
}

/**
 * The SQLite MES database. Three kinds of connection, all to one file in WAL mode:
 * - the read connection (TypeORM's): reads of committed data, with kept results;
 * - one write connection: auto-committed writes, one at a time through the write gate;
 * - one connection per open MES transaction, which holds the write gate (and the database's
 *   write lock) from BEGIN to COMMIT/ROLLBACK; kept for the next transaction when it ends cleanly.
 * Readers never see uncommitted rows, and never wait for writers.
 */
export class SqliteMesDb extends MesDb {
  readonly dialect: Dialect = 'sqlite';
  readonly auto: DbContext;
  private readonly gate = new WriteGate();
  private readonly readCache: ReadCache;
  private readonly reader: SqliteSession;
  private writer?: SqliteWriteConnection;
  /** The connection of the last MES transaction, kept for the next (`retire`). */
  private spare?: SqliteWriteConnection;
  private group?: WriteGroup;
  private readonly open = new Set<SqliteWriteConnection>();
  private busyRefusals = 0;
  private writesCommitted = 0;
  private commits = 0;
  private closed = false;
  private readonly observe = this.observer;

  constructor(private readonly options: SqliteMesDbOptions) {
    super();
    this.readCache = new ReadCache(
      options.reader,
      options.readCacheEntries ?? 5000,
      options.readCacheMaxRows ?? 500,
      options.file,
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
      writersWaiting: this.gate.waiting + (this.group?.waiting ?? 0),
      readCacheHits: this.readCache.hits,
      readCacheMisses: this.readCache.misses,
      busyRefusals: this.busyRefusals,
      writesCommitted: this.writesCommitted,
      commits: this.commits,
    };
  }

  /** An auto-committed write: joins the write group of this turn, or opens one. */
  private write<T>(work: (tx: DbWrite) => MaybePromise<T>): Promise<T> {
    if (this.closed) return Promise.reject(databaseBusy());
    let group = this.group;
    if (group === undefined || !group.accepting) {
      group = new WriteGroup(
        () => this.beginGroup(),
        (committed) => this.endGroup(group as WriteGroup, committed),
      );
      this.group = group;
    }
    return group.add(work);
  }

  /** Gate, then BEGIN IMMEDIATE on the write connection; synchronous when both are free. */
  private beginGroup(): MaybePromise<SqliteWriteConnection> {
    const deadline = Date.now() + this.options.writeWaitMs;
    if (this.gate.tryAcquire()) return this.beginOn(deadline);
    return this.counted(this.gate.acquire(deadline)).then(() => this.beginOn(deadline));
  }

  /** BEGIN IMMEDIATE with the gate held; gives the gate back when it fails. */
  private beginOn(deadline: number): MaybePromise<SqliteWriteConnection> {
    let writer: SqliteWriteConnection;
    let begun: MaybePromise<void>;
    try {
      writer = this.writerConnection();
      begun = writer.beginImmediate(deadline);
    } catch (error) {
      this.gate.release();
      throw error;
    }
    if (!(begun instanceof Promise)) return writer;
    return this.counted(begun).then(
      () => writer,
      (error: unknown) => {
        this.gate.release();
        throw error;
      },
    );
  }

  private endGroup(group: WriteGroup, committed: number): void {
    if (this.group === group) this.group = undefined;
    if (committed > 0) {
      this.writesCommitted += committed;
      this.commits++;
    }
    this.gate.release();
  }

  async begin(waitMs: number): Promise<DbTransaction> {
    if (this.closed) throw databaseBusy();
    const deadline = Date.now() + waitMs;
    await this.counted(this.gate.acquire(deadline));
    let connection: SqliteWriteConnection | undefined;
    try {
      connection = this.spare ?? new SqliteWriteConnection(this.options.open(), this.observe);
      this.spare = undefined;
      await this.counted(Promise.resolve(connection.beginImmediate(deadline)));
    } catch (error) {
      connection?.connection.close();
      this.gate.release();
      throw error;
    }
    return this.transaction(connection);
  }

  /**
   * Keeps an MES transaction's connection that ended cleanly for the next one (with its
   * prepared statements): MES transactions hold the write gate, so one at a time is open and
   * one spare serves them all, instead of opening and closing a connection for each.
   */
  private retire(connection: SqliteWriteConnection, broken: boolean): void {
    const reusable =
      !broken && !this.closed && this.spare === undefined && connection.connection.open;
    if (reusable && !connection.connection.inTransaction) {
      this.spare = connection;
      return;
    }
    connection.connection.close();
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
        this.retire(connection, broken);
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
    const held = this.open.size;
    this.open.clear();
    // The gate those transactions held goes to the writes waiting behind them, which are refused.
    for (let i = 0; i < held; i++) this.gate.release();
    // Writes already running in a group are committed (or refused) before the connection
    // closes; one that does not finish within the write wait is rolled back with the connection.
    if (this.group !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.group.finished,
        new Promise((resolve) => (timer = setTimeout(resolve, this.options.writeWaitMs))),
      ]);
      clearTimeout(timer);
    }
    this.writer?.connection.close();
    this.writer = undefined;
    this.spare?.connection.close();
    this.spare = undefined;
    this.readCache.close();
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

/**
 * Rows of a read that is not a `Statement` (DirectAccess procedure files), kept on the SQLite read
 * connection as statement results are: frozen, shared, dropped when the database changes. `key`
 * names everything the rows depend on besides the database (the SQL and its bound values). Read
 * every time on other sessions. Only for reads whose rows depend on nothing else (no 'now', no
 * random()).
 */
export function sqliteKeptRead<T extends object>(
  session: DbSession,
  key: string,
  load: () => T[],
): readonly T[] {
  return session instanceof SqliteSession ? session.keptRead(key, load) : load();
}

/** `session` as the SQLite session it is, or undefined (DirectAccess needs the connection). */
export function sqliteConnectionOf(session: DbSession): SqliteConnectionLike | undefined {
  return session instanceof SqliteSession ? session.connection : undefined;
}
