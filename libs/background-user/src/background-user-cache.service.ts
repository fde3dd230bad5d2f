import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Keyv } from 'keyv';
import {
  BACKGROUND_USER_CACHE_KEY,
  BACKGROUND_USER_CACHE_RETRY_INTERVAL_MS,
  BACKGROUND_USER_GENERATION_KEY,
} from './background-user.constants';
import { BACKGROUND_USER_OPTIONS } from './background-user.module-definition';
import { BackgroundUserRedisStore } from './background-user.providers';
import {
  redactSecrets,
  resolveBackgroundUserOptions,
  ResolvedBackgroundUserOptions,
} from './background-user.options';
import { BackgroundUserModuleOptions } from './interfaces/background-user-options.interface';
import { BackgroundUserProblem } from './interfaces/background-user.interface';

/** What the cache holds: the outcome of one check of attribute 199 (success or failure). */
export interface BackgroundUserCacheEntry {
  /** Generation the entry was loaded under; must equal the store's current generation. */
  readonly gen: string | null;
  readonly loadedAt: number;
  readonly expiresAt: number;
  readonly configuredUserId: string | null;
  readonly userId?: string;
  readonly userDesc?: string | null;
  readonly problem?: BackgroundUserProblem;
}

/** One read of the shared cache: the current generation and the entry, if any. */
export interface BackgroundUserCacheRead {
  readonly gen: string | null;
  readonly entry?: BackgroundUserCacheEntry;
}

class CacheTimeoutError extends Error {
  constructor(ms: number) {
    super(`cache operation took longer than ${ms} ms`);
  }
}

/**
 * Owns the cache keys of the background user. Every operation is bounded by a short timeout and
 * never throws: a failing or slow cache reads as "unavailable" and callers use the database.
 * Logs one warning when the cache goes down and one message when it is back.
 */
@Injectable()
export class BackgroundUserCache implements OnModuleDestroy {
  private readonly logger = new Logger('BackgroundUser');
  private readonly options: ResolvedBackgroundUserOptions;
  private readonly keyv: Keyv;
  readonly kind: 'redis' | 'memory';
  private healthy = true;
  /** While unhealthy, the earliest time (Date.now) of the next probe of the cache. */
  private nextProbeAt = 0;
  /** A change could not be published while the cache was down; publish it on recovery. */
  private pendingGenerationBump = false;
  private readonly onReady = (): void => {
    this.nextProbeAt = 0;
    void this.flushPendingInvalidation();
  };

  constructor(
    @Inject(CACHE_MANAGER) cache: Cache,
    @Inject(BACKGROUND_USER_OPTIONS) rawOptions: BackgroundUserModuleOptions,
  ) {
    this.options = resolveBackgroundUserOptions(rawOptions);
    this.keyv = cache.stores[0];
    const store: unknown = this.keyv.store;
    this.kind = store instanceof BackgroundUserRedisStore ? 'redis' : 'memory';
    if (store instanceof BackgroundUserRedisStore) {
      store.client.on('ready', this.onReady);
    }
  }

  onModuleDestroy(): void {
    const store: unknown = this.keyv.store;
    if (store instanceof BackgroundUserRedisStore) {
      store.client.off('ready', this.onReady);
    }
  }

  /** False after a failed or slow operation, until the next one succeeds. */
  get isHealthy(): boolean {
    return this.healthy;
  }

  /** The current generation and entry, or `undefined` when the cache cannot be read. */
  async read(): Promise<BackgroundUserCacheRead | undefined> {
    const values = await this.attempt(() =>
      this.keyv.getMany<unknown>([BACKGROUND_USER_GENERATION_KEY, BACKGROUND_USER_CACHE_KEY]),
    );
    if (values === undefined) return undefined;
    if (this.pendingGenerationBump) {
      const gen = await this.publishNewGeneration();
      return gen === undefined ? undefined : { gen };
    }
    const [gen, entry] = values;
    return {
      gen: typeof gen === 'string' ? gen : null,
      entry: isEntry(entry) ? entry : undefined,
    };
  }

  /** Stores an entry for `ttlMs`; a failure only marks the cache unhealthy. */
  async write(entry: BackgroundUserCacheEntry, ttlMs: number): Promise<void> {
    await this.attempt(() => this.keyv.set(BACKGROUND_USER_CACHE_KEY, entry, ttlMs));
  }

  /**
   * Makes every instance reload: writes a new generation (so no racing load can re-insert the old
   * value) and drops the entry. If the cache is down, retries as soon as it is back.
   */
  async invalidate(): Promise<void> {
    this.pendingGenerationBump = true;
    await this.publishNewGeneration();
  }

  private async flushPendingInvalidation(): Promise<void> {
    if (this.pendingGenerationBump) await this.publishNewGeneration();
  }

  private async publishNewGeneration(): Promise<string | undefined> {
    const gen = randomUUID();
    const ok = await this.attempt(async () => {
      await this.keyv.set(BACKGROUND_USER_GENERATION_KEY, gen);
      await this.keyv.delete(BACKGROUND_USER_CACHE_KEY);
      return true;
    });
    if (ok === undefined) return undefined;
    this.pendingGenerationBump = false;
    return gen;
  }

  /** Runs one cache operation with a timeout; `undefined` means the cache is unavailable. */
  private async attempt<T>(operation: () => Promise<T>): Promise<T | undefined> {
    if (!this.healthy) {
      // Circuit open: a slow or dead cache must not add its timeout to every call.
      if (Date.now() < this.nextProbeAt) return undefined;
      this.nextProbeAt = Date.now() + BACKGROUND_USER_CACHE_RETRY_INTERVAL_MS;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.options.cacheTimeoutMs;
    try {
      const result = await Promise.race([
        operation(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CacheTimeoutError(timeoutMs)), timeoutMs);
        }),
      ]);
      this.markHealthy();
      return result;
    } catch (error: unknown) {
      this.markUnhealthy(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private markHealthy(): void {
    if (this.healthy) return;
    this.healthy = true;
    this.logger.log(`The ${this.kind} background-user cache is available again.`);
  }

  private markUnhealthy(error: unknown): void {
    this.nextProbeAt = Date.now() + BACKGROUND_USER_CACHE_RETRY_INTERVAL_MS;
    if (!this.healthy) return;
    this.healthy = false;
    const why = redactSecrets(error instanceof Error ? error.message : String(error));
    this.logger.warn(
      `The ${this.kind} background-user cache is unavailable (${why}); service calls read the background user from the database until it is back.`,
    );
  }
}

function isEntry(value: unknown): value is BackgroundUserCacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<BackgroundUserCacheEntry>;
  return typeof v.loadedAt === 'number' && typeof v.expiresAt === 'number' && 'gen' in v;
}
