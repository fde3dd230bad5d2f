import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DbContext, DbTransaction, MesDb, MesError, MesErrorCode, MesPrincipal } from '@mes-web-api/common';
import {
  InjectMesTransactionsOptions,
  MesTransactionsModuleOptions,
  resolveMesTransactionsOptions,
  ResolvedMesTransactionsOptions,
} from './mes-transactions.options';
import { classifyTransactionId, instanceTag, newTransactionId } from './transaction-id';

/** `POST api/v3/transaction`'s answer (`Mes.WebApi.Models.V3.MesTransaction`). */
export interface MesTransactionInfo {
  readonly transId: string;
  readonly startedAt: Date;
}

export interface MesTransactionsStats {
  readonly open: number;
  /** Seconds the oldest open transaction has been open (0 when none). */
  readonly oldestAgeS: number;
  readonly committed: number;
  readonly rolledBack: number;
  /** Rolled back by the idle timeout or the total lifetime. */
  readonly expired: number;
}

type EndReason = 'commit' | 'rollback' | 'idle' | 'lifetime' | 'broken' | 'shutdown';

/** Who may use a transaction: the MES user, and for service tokens also the client. */
function ownerOf(principal: MesPrincipal): string {
  return principal.mode === 'service'
    ? `service\u0000${principal.userId.toLowerCase()}\u0000${principal.clientId ?? ''}`
    : `user\u0000${principal.userId.toLowerCase()}`;
}

function notFound(transId: string): MesError {
  return new MesError(
    MesErrorCode.TransactionNotFound,
    `The transaction ID ${JSON.stringify(transId.slice(0, 64))} doesn't exist: it timed out or was not started.`,
  );
}

class OpenTransaction {
  private tail: Promise<unknown> = Promise.resolve();
  private idleTimer?: NodeJS.Timeout;
  private readonly lifetimeTimer: NodeJS.Timeout;
  private running = 0;
  /** Set once its end is asked for: no call arriving later runs in it. */
  ended?: EndReason;
  /** Set when it ends by itself (expiry, a failed connection, shutdown): queued calls do not run. */
  aborted = false;

  constructor(
    readonly id: string,
    readonly owner: string,
    readonly startedAt: Date,
    readonly tx: DbTransaction,
    private readonly idleMs: number,
    lifetimeMs: number,
    private readonly expire: (entry: OpenTransaction, reason: 'idle' | 'lifetime') => void,
  ) {
    this.lifetimeTimer = setTimeout(() => this.expire(this, 'lifetime'), lifetimeMs);
    this.lifetimeTimer.unref();
    this.armIdle();
  }

  /** Runs `work` after every call that arrived before it (one at a time, in arrival order). */
  enqueue<T>(work: () => Promise<T>, onEnded: () => never): Promise<T> {
    const run = this.tail.then(async () => {
      if (this.aborted) onEnded();
      this.running++;
      this.disarmIdle();
      try {
        return await work();
      } finally {
        this.running--;
        if (this.ended === undefined) this.armIdle();
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Waits for the calls already queued, then runs `last` (commit, rollback, expiry). */
  finish(last: () => Promise<void>): Promise<void> {
    const run = this.tail.then(last);
    this.tail = run.catch(() => undefined);
    return run;
  }

  stopTimers(): void {
    this.disarmIdle();
    clearTimeout(this.lifetimeTimer);
  }

  private armIdle(): void {
    this.disarmIdle();
    this.idleTimer = setTimeout(() => {
      if (this.running === 0) this.expire(this, 'idle');
      else this.armIdle();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private disarmIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/**
 * MES transactions (`trans_id`): several calls, one database transaction. Each open transaction
 * holds a connection of its own (SQLite: and the write lock); the calls that name it run in it,
 * one at a time in arrival order, each in a savepoint (a failing call changes nothing and leaves
 * the transaction open). Bounded: an idle transaction is rolled back after `idleTimeoutMs`, any
 * after `maxLifetimeMs`, at most `maxOpen` are open; SIGTERM rolls back every open one. A
 * transaction belongs to its opener (MES user; for service tokens also the client): for anyone
 * else, as for an unknown, ended or expired id, it does not exist (404).
 */
@Injectable()
export class MesTransactions implements OnApplicationShutdown {
  private readonly logger = new Logger('MesTransactions');
  readonly options: ResolvedMesTransactionsOptions;
  private readonly tag: Buffer;
  private readonly open = new Map<string, OpenTransaction>();
  private opening = 0;
  private closing = false;
  private counts = { committed: 0, rolledBack: 0, expired: 0 };

  constructor(
    private readonly db: MesDb,
    @InjectMesTransactionsOptions() options: MesTransactionsModuleOptions,
  ) {
    this.options = resolveMesTransactionsOptions(options);
    this.tag = instanceTag(this.options.instanceId);
  }

  /** Opens a transaction for `principal`. 503 (Retry-After) at the limit or when the database is busy. */
  async begin(principal: MesPrincipal): Promise<MesTransactionInfo> {
    if (this.closing) {
      throw new MesError(
        MesErrorCode.TransactionLimit,
        'The API is shutting down; open the transaction on another instance.',
        {
          headers: { 'Retry-After': '1' },
        },
      );
    }
    if (this.open.size + this.opening >= this.options.maxOpen) {
      throw new MesError(
        MesErrorCode.TransactionLimit,
        `${this.options.maxOpen} MES transactions are open on this instance, the most allowed (MES_TRANSACTION_MAX_OPEN); commit or roll back one, or try again later.`,
        { headers: { 'Retry-After': '5' } },
      );
    }
    this.opening++;
    let tx: DbTransaction;
    try {
      tx = await this.db.begin(this.options.openWaitMs);
    } finally {
      this.opening--;
    }
    const id = newTransactionId(this.tag);
    const startedAt = new Date();
    const entry = new OpenTransaction(
      id,
      ownerOf(principal),
      startedAt,
      tx,
      this.options.idleTimeoutMs,
      this.options.maxLifetimeMs,
      (expired, reason) => this.expire(expired, reason),
    );
    this.open.set(id, entry);
    if (this.closing) {
      await this.end(entry, 'shutdown');
      throw notFound(id);
    }
    return { transId: id, startedAt };
  }

  /**
   * Runs `work` inside the transaction `transId` of `principal`, after the calls that arrived
   * before it. 404 when it does not exist (for this caller), 421 when another instance opened it.
   */
  run<T>(
    transId: string,
    principal: MesPrincipal,
    work: (context: DbContext) => Promise<T>,
  ): Promise<T> {
    let entry: OpenTransaction;
    try {
      entry = this.lookup(transId, principal);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return entry
      .enqueue(
        () => work(entry.tx.context),
        () => {
          throw notFound(transId);
        },
      )
      .catch(async (error: unknown) => {
        if (entry.tx.broken && entry.ended === undefined) {
          this.logger.warn(
            `MES transaction ${entry.id}: the database connection failed; rolled back.`,
          );
          await this.end(entry, 'broken');
        }
        throw error;
      });
  }

  /** Commits (after the calls queued before it); the id is gone afterwards. */
  async commit(transId: string, principal: MesPrincipal): Promise<void> {
    await this.end(this.lookup(transId, principal), 'commit');
  }

  /** Rolls back (after the calls queued before it); the id is gone afterwards. */
  async rollback(transId: string, principal: MesPrincipal): Promise<void> {
    await this.end(this.lookup(transId, principal), 'rollback');
  }

  stats(now = Date.now()): MesTransactionsStats {
    let oldest = now;
    for (const entry of this.open.values()) oldest = Math.min(oldest, entry.startedAt.getTime());
    return { open: this.open.size, oldestAgeS: Math.round((now - oldest) / 1000), ...this.counts };
  }

  /** SIGTERM: nothing new opens; every open transaction is rolled back (no partial state). */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.open.values()].map((entry) => this.end(entry, 'shutdown')));
  }

  private lookup(transId: string, principal: MesPrincipal): OpenTransaction {
    const id = classifyTransactionId(transId, this.tag);
    if (id.kind === 'elsewhere') {
      throw new MesError(
        MesErrorCode.TransactionElsewhere,
        `The transaction ${id.id} was opened on another instance of this API (instance ${id.instance}); send every call of a transaction to the instance that opened it (see README: several instances).`,
      );
    }
    const entry = id.kind === 'ours' ? this.open.get(id.id) : undefined;
    if (entry === undefined || entry.ended !== undefined || entry.owner !== ownerOf(principal)) {
      throw notFound(transId);
    }
    return entry;
  }

  private expire(entry: OpenTransaction, reason: 'idle' | 'lifetime'): void {
    if (entry.ended !== undefined) return;
    this.logger.warn(
      `MES transaction ${entry.id} rolled back: ${reason === 'idle' ? `idle for ${this.options.idleTimeoutMs / 1000} s (MES_TRANSACTION_TIMEOUT_S)` : `open for ${this.options.maxLifetimeMs / 1000} s (MES_TRANSACTION_MAX_S)`}.`,
    );
    void this.end(entry, reason).catch(() => undefined);
  }

  /** Ends the transaction once the calls queued before are done: no call runs in it afterwards. */
  private end(entry: OpenTransaction, reason: EndReason): Promise<void> {
    const first = entry.ended === undefined;
    entry.ended ??= reason;
    if (reason !== 'commit' && reason !== 'rollback') entry.aborted = true;
    if (first) {
      this.open.delete(entry.id);
      entry.stopTimers();
    }
    return entry.finish(async () => {
      if (!first) return;
      if (reason === 'commit') {
        await entry.tx.commit();
        this.counts.committed++;
        return;
      }
      await entry.tx.rollback();
      this.counts.rolledBack++;
      if (reason === 'idle' || reason === 'lifetime') this.counts.expired++;
    });
  }
}
