import { createHash } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  DbContext,
  insertInto,
  MesDb,
  MesError,
  MesErrorCode,
  MesPrincipal,
  sql,
  T,
} from '@mes-web-api/common';
import { MesTransactions } from './mes-transactions.service';
import {
  InjectMesTransactionsOptions,
  MesTransactionsModuleOptions,
  resolveMesTransactionsOptions,
} from './mes-transactions.options';

/** The request header (IETF httpapi "The Idempotency-Key HTTP Header Field"). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** The answer header of a replayed answer. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
const MAX_KEY_LENGTH = 255;
/** How often expired keys are purged. */
const PURGE_EVERY_MS = 60_000;
/** How long a missing table is believed missing before it is looked for again. */
const TABLE_RECHECK_MS = 30_000;

/** An answer as stored for a key: status and JSON text (none for 204). */
export interface IdempotentAnswer {
  readonly status: number;
  readonly body?: string;
}

/** What a run answers: the answer, and whether it is the stored one of an earlier request. */
export interface IdempotencyOutcome extends IdempotentAnswer {
  readonly replayed: boolean;
}

/** A request carrying an Idempotency-Key. */
export interface IdempotentRequest {
  readonly key: string;
  readonly principal: MesPrincipal;
  /** SHA-256 (hex) of what the request asks: see `fingerprintOf`. */
  readonly fingerprint: string;
  /** The MES transaction the request runs in, if any. */
  readonly transId?: string;
}

type Stored = { fingerprint: string; status: number; body: string | null };

const findAnswer = sql<Stored, { scope: string; key: string; now: Date }>(
  'idempotency.find',
  `SELECT fingerprint, status, body FROM mes_idempotency
    WHERE scope = @scope AND idem_key = @key AND expires_at > @now`,
  { scope: T.nvarchar(200), key: T.nvarchar(255), now: T.datetime },
);

const dropExpiredKey = sql<never, { scope: string; key: string; now: Date }>(
  'idempotency.dropExpired',
  'DELETE FROM mes_idempotency WHERE scope = @scope AND idem_key = @key AND expires_at <= @now',
  { scope: T.nvarchar(200), key: T.nvarchar(255), now: T.datetime },
);

const storeAnswer = sql<
  never,
  {
    scope: string;
    idem_key: string;
    fingerprint: string;
    status: number;
    body: string | null;
    created_at: Date;
    expires_at: Date;
  }
>(
  'idempotency.store',
  insertInto('mes_idempotency', [
    'scope',
    'idem_key',
    'fingerprint',
    'status',
    'body',
    'created_at',
    'expires_at',
  ]),
  {
    scope: T.nvarchar(200),
    idem_key: T.nvarchar(255),
    fingerprint: T.nvarchar(64),
    status: T.int,
    body: T.nvarchar('max'),
    created_at: T.datetime,
    expires_at: T.datetime,
  },
);

const purgeExpired = sql<never, { now: Date }>(
  'idempotency.purge',
  'DELETE FROM mes_idempotency WHERE expires_at <= @now',
  { now: T.datetime },
);

const tableExists = sql<{ n: number }, Record<string, never>>(
  'idempotency.tableExists',
  (d) =>
    d === 'mssql'
      ? "SELECT CASE WHEN OBJECT_ID(N'dbo.mes_idempotency', N'U') IS NULL THEN 0 ELSE 1 END AS n"
      : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'mes_idempotency'",
  {},
);

/** Statements of this file, for the T-SQL golden file. */
export const IDEMPOTENCY_STATEMENTS = [
  findAnswer,
  dropExpiredKey,
  storeAnswer,
  purgeExpired,
  tableExists,
];

/**
 * The key of an `Idempotency-Key` header: undefined without one; 400 IDEMPOTENCY_KEY_INVALID
 * for a header given twice, empty, longer than 255 characters or with characters outside
 * printable ASCII. A structured-field string (`"…"`) is taken without its quotes.
 */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw invalidKey('Idempotency-Key must be given once.');
  let key = value.trim();
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1);
  if (key === '' || key.length > MAX_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(key)) {
    throw invalidKey(
      `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters (e.g. a UUID).`,
    );
  }
  return key;
}

/** SHA-256 (hex) of a request's parts, e.g. `[method name, query, params, body]`. */
export function fingerprintOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function invalidKey(detail: string): MesError {
  return new MesError(MesErrorCode.IdempotencyKeyInvalid, detail, { extensions: {} });
}

function scopeOf(principal: MesPrincipal): string {
  return principal.clientId === undefined
    ? principal.userId
    : `${principal.userId}\u0001${principal.clientId}`;
}

/** A primary-key violation of the key table: another request stored the same key first. */
function isDuplicateKey(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const { code, number } = e as { code?: unknown; number?: unknown };
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return true;
    if (number === 2627 || number === 2601) return true;
    const next: unknown =
      (e as { driverError?: unknown }).driverError ??
      (e as { originalError?: unknown }).originalError ??
      (e as { cause?: unknown }).cause;
    if (next === e) break;
    e = next;
  }
  return false;
}

/**
 * Idempotency-Key: a write request with a key runs once. Its answer is stored in the same
 * database transaction as its writes (so both commit, or neither), scoped to the caller; a
 * repeat with the same key and the same request answers the stored status and body (header
 * `Idempotent-Replayed: true`) and writes nothing; the same key for another request is a 422;
 * while the first is still running on this instance, 409. On another instance (SQL Server) a
 * concurrent repeat waits on the key's row and then replays. Inside an MES transaction the key
 * is stored in it: a rollback forgets it. Keys expire after `idempotencyTtlMs` and are purged.
 * A request that fails stores nothing (a retry runs again).
 */
@Injectable()
export class MesIdempotency implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MesIdempotency');
  private readonly ttlMs: number;
  private readonly inFlight = new Set<string>();
  private table?: { exists: boolean; checkedAt: number };
  private purger?: NodeJS.Timeout;

  constructor(
    private readonly db: MesDb,
    private readonly transactions: MesTransactions,
    @InjectMesTransactionsOptions() options: MesTransactionsModuleOptions,
  ) {
    this.ttlMs = resolveMesTransactionsOptions(options).idempotencyTtlMs;
  }

  onModuleInit(): void {
    this.purger = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.purger.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purger);
  }

  /** Runs `work` once for the key: see the class. `work` gets the context to run in. */
  async run(
    request: IdempotentRequest,
    work: (context: DbContext) => Promise<IdempotentAnswer>,
  ): Promise<IdempotencyOutcome> {
    await this.requireTable();
    const scope = scopeOf(request.principal);
    const flight = `${scope}\u0002${request.key}`;
    if (this.inFlight.has(flight)) {
      throw new MesError(
        MesErrorCode.IdempotencyKeyInUse,
        'A request with this Idempotency-Key is still running; retry once it has been answered.',
        { headers: { 'Retry-After': '1' } },
      );
    }
    this.inFlight.add(flight);
    try {
      const run = (context: DbContext): Promise<IdempotencyOutcome> =>
        context.write(async (tx) => {
          const now = new Date();
          const stored = await tx.get(findAnswer, { scope, key: request.key, now });
          if (stored !== undefined) return replay(stored, request.fingerprint);
          const inner: DbContext = { db: tx, inTransaction: true, write: async (step) => step(tx) };
          const answer = await work(inner);
          await tx.run(dropExpiredKey, { scope, key: request.key, now });
          await tx.run(storeAnswer, {
            scope,
            idem_key: request.key,
            fingerprint: request.fingerprint,
            status: answer.status,
            body: answer.body ?? null,
            created_at: now,
            expires_at: new Date(now.getTime() + this.ttlMs),
          });
          return Object.assign({}, answer, { replayed: false });
        });
      try {
        return request.transId === undefined
          ? await run(this.db.auto)
          : await this.transactions.run(request.transId, request.principal, run);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Another instance stored the same key first (its row lock held us until it committed).
        const stored = await this.db.auto.db.get(findAnswer, {
          scope,
          key: request.key,
          now: new Date(),
        });
        if (stored === undefined) throw error;
        return replay(stored, request.fingerprint);
      }
    } finally {
      this.inFlight.delete(flight);
    }
  }

  /** Deletes expired keys (also run every minute). */
  async purge(now = new Date()): Promise<void> {
    try {
      if (!(await this.hasTable())) return;
      await this.db.auto.write((tx) => tx.run(purgeExpired, { now }));
    } catch (error) {
      this.logger.warn(
        `Purging expired Idempotency-Keys failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async hasTable(): Promise<boolean> {
    const now = Date.now();
    if (this.table?.exists || (this.table && now - this.table.checkedAt < TABLE_RECHECK_MS)) {
      return this.table.exists;
    }
    const row = await this.db.auto.db.get(tableExists, {});
    this.table = { exists: Number(row?.n) > 0, checkedAt: now };
    return this.table.exists;
  }

  private async requireTable(): Promise<void> {
    if (await this.hasTable()) return;
    throw new MesError(
      MesErrorCode.IdempotencyUnavailable,
      'Idempotency-Key is not available: the table mes_idempotency does not exist in the MES database (a DBA creates it with deploy/sql/mes_idempotency.sql). Nothing was run; send the request without the header, or retry once the table exists.',
    );
  }
}

function replay(stored: Stored, fingerprint: string): IdempotencyOutcome {
  if (stored.fingerprint !== fingerprint) {
    throw new MesError(
      MesErrorCode.IdempotencyKeyReused,
      'This Idempotency-Key was used for a different request (another method, parameters or body). Use a new key for a new request.',
    );
  }
  return {
    status: Number(stored.status),
    body: stored.body === null ? undefined : stored.body,
    replayed: true,
  };
}
