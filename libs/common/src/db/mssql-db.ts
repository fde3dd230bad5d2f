import {
  databaseBusy,
  DbContext,
  DbStats,
  DbTransaction,
  DbWrite,
  isBusyError,
  MaybePromise,
  MesDb,
  RunResult,
  StatementObserver,
} from './mes-db';
import { DbRow, Dialect, SqlType, Statement } from './statement';

/** The part of the `mssql` package used here (it ships no type declarations). */
export interface MssqlLike {
  Int: unknown;
  Float: unknown;
  DateTime: unknown;
  NVarChar(length?: number): unknown;
  MAX: number;
  ISOLATION_LEVEL: { READ_COMMITTED: number };
  Request: new (parent: MssqlPoolLike | MssqlTransactionLike) => MssqlRequestLike;
  Transaction: new (pool: MssqlPoolLike) => MssqlTransactionLike;
}

export interface MssqlRequestLike {
  input(name: string, type: unknown, value: unknown): MssqlRequestLike;
  query(text: string): Promise<{ recordset?: DbRow[]; rowsAffected: number[] }>;
}

export interface MssqlTransactionLike {
  begin(isolationLevel?: number): Promise<unknown>;
  commit(): Promise<unknown>;
  rollback(): Promise<unknown>;
  on(event: 'rollback', listener: (aborted: boolean) => void): unknown;
}

export interface MssqlPoolLike {
  readonly connected: boolean;
  close(): Promise<unknown>;
}

export interface MssqlMesDbOptions {
  mssql: MssqlLike;
  /** Ordinary calls (reads and auto-committed writes): the DataSource's pool (DB_POOL_MAX). */
  pool: MssqlPoolLike;
  /**
   * The pool of MES transactions, created on first use: one connection per open transaction, so
   * open transactions never take the connections ordinary calls need.
   */
  transactionPool(): Promise<MssqlPoolLike>;
}

/** Attempts of an auto-committed write chosen as a deadlock victim (SQL Server rolled it back). */
const DEADLOCK_ATTEMPTS = 3;
/** `max_rows` absent: every row. */
const NO_LIMIT = 2_147_483_647;

type Observer = StatementObserver;

/** The driver type of a parameter. */
function driverType(mssql: MssqlLike, type: SqlType): unknown {
  switch (type.kind) {
    case 'int':
    case 'limit':
      return mssql.Int;
    case 'float':
      return mssql.Float;
    case 'datetime':
      return mssql.DateTime;
    case 'nvarchar':
      return mssql.NVarChar(type.length === 'max' ? mssql.MAX : type.length);
  }
}

function driverValue(value: unknown, type: SqlType): unknown {
  if (value === undefined || value === null) return type.kind === 'limit' ? NO_LIMIT : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * Statements on SQL Server: each one request with its parameters bound by name and declared type
 * (`sp_executesql`, so the server caches one plan per statement text), on a pooled connection or
 * on the connection of a transaction. Requests of one transaction are made one at a time.
 */
class MssqlSession implements DbWrite {
  readonly dialect: Dialect = 'mssql';

  constructor(
    private readonly mssql: MssqlLike,
    private readonly parent: () => MssqlPoolLike | MssqlTransactionLike,
    private readonly observe: Observer | undefined,
    private readonly committed?: Array<() => void | Promise<void>>,
  ) {}

  async all<P extends object, R>(statement: Statement<P, R>, params: P): Promise<readonly R[]> {
    const result = await this.request(statement as Statement<object, unknown>, params);
    return (result.recordset ?? []) as R[];
  }

  async get<P extends object, R>(statement: Statement<P, R>, params: P): Promise<R | undefined> {
    return (await this.all(statement, params))[0];
  }

  async run<P extends object>(statement: Statement<P, unknown>, params: P): Promise<RunResult> {
    const result = await this.request(statement as Statement<object, unknown>, params);
    return { changes: result.rowsAffected.reduce((sum, n) => sum + n, 0) };
  }

  afterCommit(fn: () => void | Promise<void>): void {
    if (this.committed === undefined) throw new Error('afterCommit is only offered inside a write');
    this.committed.push(fn);
  }

  /** Requests of its own on this session's connection, for calls it does not model (DirectAccess). */
  driver(): MssqlDriverAccess {
    return { mssql: this.mssql, request: () => new this.mssql.Request(this.parent()) };
  }

  private async request(
    statement: Statement<object, unknown>,
    params: object,
  ): Promise<{ recordset?: DbRow[]; rowsAffected: number[] }> {
    const started = this.observe?.active ? performance.now() : 0;
    let failed = true;
    try {
      const request = new this.mssql.Request(this.parent());
      const values = params as Record<string, unknown>;
      for (const name of statement.paramNames) {
        const type = statement.params[name] as SqlType;
        request.input(name, driverType(this.mssql, type), driverValue(values[name], type));
      }
      const result = await request.query(statement.text('mssql'));
      failed = false;
      return result;
    } finally {
      if (this.observe?.active) this.observe.done(statement.name, started, failed);
    }
  }
}

async function runHooks(hooks: Array<() => void | Promise<void>>): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook();
    } catch {
      // A failed invalidation must not turn a committed write into an error.
    }
  }
}

/**
 * The SQL Server MES database: reads and auto-committed writes on the ordinary pool, each write a
 * READ COMMITTED transaction (a deadlock victim is retried, then answered 503); MES transactions
 * on a pool of their own. Never creates or alters a table.
 */
export class MssqlMesDb extends MesDb {
  readonly dialect: Dialect = 'mssql';
  readonly auto: DbContext;
  private readonly reader: MssqlSession;
  private busyRefusals = 0;
  private txPool?: Promise<MssqlPoolLike>;
  private readonly open = new Set<MssqlTransactionLike>();
  private readonly observe: Observer = this.observer;

  constructor(private readonly options: MssqlMesDbOptions) {
    super();
    this.reader = new MssqlSession(options.mssql, () => options.pool, this.observe);
    this.auto = { db: this.reader, inTransaction: false, write: (work) => this.write(work) };
  }

  private writesCommitted = 0;

  stats(): DbStats {
    return {
      dialect: this.dialect,
      writersWaiting: 0,
      readCacheHits: 0,
      readCacheMisses: 0,
      busyRefusals: this.busyRefusals,
      writesCommitted: this.writesCommitted,
      commits: this.writesCommitted,
    };
  }

  private async write<T>(work: (tx: DbWrite) => MaybePromise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const transaction = new this.options.mssql.Transaction(this.options.pool);
      const hooks: Array<() => void | Promise<void>> = [];
      await transaction.begin(this.options.mssql.ISOLATION_LEVEL.READ_COMMITTED);
      let result: T;
      try {
        result = await work(
          new MssqlSession(this.options.mssql, () => transaction, this.observe, hooks),
        );
        await transaction.commit();
        this.writesCommitted++;
      } catch (error) {
        await transaction.rollback().catch(() => undefined);
        if (!isBusyError(error)) throw error;
        if (attempt >= DEADLOCK_ATTEMPTS) {
          this.busyRefusals++;
          throw databaseBusy(error);
        }
        continue;
      }
      await runHooks(hooks);
      return result;
    }
  }

  async begin(waitMs: number): Promise<DbTransaction> {
    this.txPool ??= this.options.transactionPool();
    let pool: MssqlPoolLike;
    try {
      pool = await this.txPool;
    } catch (error) {
      this.txPool = undefined;
      throw error;
    }
    const transaction = new this.options.mssql.Transaction(pool);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        transaction.begin(this.options.mssql.ISOLATION_LEVEL.READ_COMMITTED),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(databaseBusy()), waitMs);
        }),
      ]);
    } catch (error) {
      this.busyRefusals++;
      void transaction.rollback().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return this.transaction(transaction);
  }

  private transaction(transaction: MssqlTransactionLike): DbTransaction {
    this.open.add(transaction);
    const hooks: Array<() => void | Promise<void>> = [];
    const session = new MssqlSession(this.options.mssql, () => transaction, this.observe, hooks);
    let ended = false;
    let broken = false;
    let savepoints = 0;
    transaction.on('rollback', (aborted) => {
      if (aborted) broken = true;
    });
    const end = (): void => {
      ended = true;
      this.open.delete(transaction);
    };
    const savepoint = (text: string) =>
      new this.options.mssql.Request(transaction).query(text).then(() => undefined);
    return {
      context: {
        db: session,
        inTransaction: true,
        write: async (work) => {
          if (ended || broken) throw new Error('The transaction has ended.');
          const name = `mes_call_${++savepoints}`;
          await savepoint(`SAVE TRANSACTION ${name}`);
          try {
            return await work(session);
          } catch (error) {
            if (!broken)
              await savepoint(`ROLLBACK TRANSACTION ${name}`).catch(() => (broken = true));
            throw error;
          }
        },
      },
      get broken() {
        return broken;
      },
      commit: async () => {
        if (ended) throw new Error('The transaction has ended.');
        try {
          await transaction.commit();
        } catch (error) {
          broken = true;
          await transaction.rollback().catch(() => undefined);
          end();
          throw error;
        }
        end();
        await runHooks(hooks);
      },
      rollback: async () => {
        if (ended) return;
        end();
        await transaction.rollback().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    for (const transaction of this.open) await transaction.rollback().catch(() => undefined);
    this.open.clear();
    const pool = this.txPool;
    this.txPool = undefined;
    if (pool !== undefined) await (await pool.catch(() => undefined))?.close();
  }
}

/** The driver and new requests on a session's connection. */
export interface MssqlDriverAccess {
  readonly mssql: MssqlLike;
  request(): MssqlRequestLike;
}

/** A SQL Server session's driver access (DirectAccess procedures), or undefined for SQLite. */
export function mssqlDriverOf(session: unknown): MssqlDriverAccess | undefined {
  return session instanceof MssqlSession ? session.driver() : undefined;
}
