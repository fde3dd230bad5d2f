import { Inject, Injectable } from '@nestjs/common';
import { DbContext, MesError, MesErrorCode } from '@mes-web-api/common';
import {
  BACKGROUND_USER_ATTR_ID,
  MesUsersService,
  SystemAttributesService,
  SystemAttrRow,
} from '@mes-web-api/mes-users';
import { BackgroundUserCache, BackgroundUserCacheEntry } from './background-user-cache.service';
import { BACKGROUND_USER_ATTR_LABEL } from './background-user.constants';
import { backgroundUserProblemMessage } from './background-user.messages';
import { BACKGROUND_USER_OPTIONS } from './background-user.module-definition';
import {
  resolveBackgroundUserOptions,
  ResolvedBackgroundUserOptions,
} from './background-user.options';
import { BackgroundUserModuleOptions } from './interfaces/background-user-options.interface';
import { BackgroundUser, BackgroundUserStatus } from './interfaces/background-user.interface';

/**
 * The MES user that service-to-service calls run as: attribute 199 of System_Attr, validated
 * (exists, active) and cached in the shared cache. Concurrent misses on one instance load once.
 */
@Injectable()
export class BackgroundUserService {
  private readonly options: ResolvedBackgroundUserOptions;
  /** In-flight database loads, keyed by local epoch + shared generation. */
  private readonly loads = new Map<string, Promise<BackgroundUserCacheEntry>>();
  /** Bumped by every local change, so callers after it never join a load that began before it. */
  private epoch = 0;
  /**
   * In-memory cache only (one instance, nothing shared): the last entry read from it, so the hot
   * path of a service call skips the Keyv round trip (lookup, copy, timeout race). Valid for the
   * same epoch and until the entry's own expiry, exactly like the cached entry it mirrors. Never
   * used with Redis, where another instance may change the entry at any time.
   */
  private memo?: { epoch: number; entry: BackgroundUserCacheEntry };
  /** Cache use since start, for metrics: answers from the cache, and loads from the database. */
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly users: MesUsersService,
    private readonly attributes: SystemAttributesService,
    private readonly cache: BackgroundUserCache,
    @Inject(BACKGROUND_USER_OPTIONS) rawOptions: BackgroundUserModuleOptions,
  ) {
    this.options = resolveBackgroundUserOptions(rawOptions);
  }

  /**
   * The validated background user. Throws `MesError(BackgroundUserInvalid)` (403) naming
   * attribute 199 and the fix when it is missing, empty, an unknown or an inactive user.
   */
  async current(): Promise<BackgroundUser> {
    const entry = await this.entry();
    if (entry.problem !== undefined || entry.userId === undefined) {
      const problem = entry.problem ?? 'attribute-missing';
      throw new MesError(
        MesErrorCode.BackgroundUserInvalid,
        backgroundUserProblemMessage(problem, entry.configuredUserId),
        { extensions: { attr_id: BACKGROUND_USER_ATTR_ID, reason: problem } },
      );
    }
    return {
      userId: entry.userId,
      userDesc: entry.userDesc ?? null,
      loadedAt: new Date(entry.loadedAt),
    };
  }

  /**
   * The background user's id as `current()` would answer it from the in-memory cache, without
   * waiting: `undefined` when that takes a cache read or a load (the shared Redis cache is always
   * read), or when the cached check found a problem (then `current()` throws the reason).
   */
  currentUserIdNow(): string | undefined {
    const entry = this.memoEntry();
    // Counted only when it answers: otherwise `current()` follows and counts.
    if (entry?.problem !== undefined || entry?.userId === undefined) return undefined;
    this.hits += 1;
    return entry.userId;
  }

  /** Cache hits (in-memory memo or shared cache) and misses (database loads) since start. */
  stats(): { hits: number; misses: number } {
    return { hits: this.hits, misses: this.misses };
  }

  /** The memoised in-memory cache entry while it is current (same epoch, not expired). */
  private memoEntry(): BackgroundUserCacheEntry | undefined {
    const memo = this.memo;
    return memo !== undefined &&
      memo.epoch === this.epoch &&
      this.options.clock() < memo.entry.expiresAt
      ? memo.entry
      : undefined;
  }

  /**
   * Points attribute 199 at `newUserId` after checking it is an existing, active MES user
   * (`MesError.validation`, 400, and nothing written otherwise), stamps last_edit_by/at with
   * `actingUserId`, and, once the change is committed (at once, or when the MES transaction it
   * runs in commits), invalidates the cached background user on every instance.
   */
  async changeBackgroundUser(
    newUserId: string,
    actingUserId: string,
    context?: DbContext,
  ): Promise<SystemAttrRow> {
    const userId = typeof newUserId === 'string' ? newUserId.trim() : '';
    if (userId === '') {
      throw MesError.validation(
        `attr_value must be the user_id of an active MES user: ${BACKGROUND_USER_ATTR_LABEL} cannot be empty. Nothing was changed.`,
      );
    }
    const user = await this.users.findUser(userId, context);
    if (user === null) {
      throw MesError.validation(
        `The MES user "${userId}" does not exist: ${BACKGROUND_USER_ATTR_LABEL} must name an existing, active MES user. Nothing was changed.`,
      );
    }
    if (!user.active) {
      throw MesError.validation(
        `The MES user "${userId}" is not active: ${BACKGROUND_USER_ATTR_LABEL} must name an active MES user. Nothing was changed.`,
      );
    }
    return this.attributes.set(BACKGROUND_USER_ATTR_ID, user.userId, actingUserId, context, () =>
      this.invalidate(),
    );
  }

  /** Drops the cached background user here and on every instance sharing the cache. */
  async invalidate(): Promise<void> {
    this.epoch += 1;
    this.memo = undefined;
    await this.cache.invalidate();
  }

  /** For the health endpoint: what attribute 199 holds and whether it works. No secrets. */
  async status(): Promise<BackgroundUserStatus> {
    try {
      const entry = await this.entry();
      const valid = entry.problem === undefined && entry.userId !== undefined;
      return Object.assign(
        { configuredUserId: entry.configuredUserId, valid },
        valid
          ? {}
          : {
              reason: backgroundUserProblemMessage(
                entry.problem ?? 'attribute-missing',
                entry.configuredUserId,
              ),
            },
        {
          cachedSince: new Date(entry.loadedAt).toISOString(),
          cache: this.cache.kind,
          cacheHealthy: this.cache.isHealthy,
        },
      );
    } catch {
      return {
        configuredUserId: null,
        valid: false,
        reason: `${BACKGROUND_USER_ATTR_LABEL} could not be read: the MES database is not available.`,
        cache: this.cache.kind,
        cacheHealthy: this.cache.isHealthy,
      };
    }
  }

  /** The cached check of attribute 199, loading it (once per instance) on a miss. */
  private async entry(): Promise<BackgroundUserCacheEntry> {
    const memoised = this.memoEntry();
    if (memoised !== undefined) {
      this.hits += 1;
      return memoised;
    }
    const epoch = this.epoch;
    const cached = await this.cache.read();
    const now = this.options.clock();
    if (
      cached?.entry !== undefined &&
      cached.entry.gen === cached.gen &&
      now < cached.entry.expiresAt
    ) {
      if (this.cache.kind === 'memory' && epoch === this.epoch) {
        this.memo = { epoch, entry: cached.entry };
      }
      this.hits += 1;
      return cached.entry;
    }
    this.misses += 1;
    const gen = cached === undefined ? null : cached.gen;
    const key = `${this.epoch}:${cached === undefined ? 'offline' : (gen ?? '')}`;
    const pending = this.loads.get(key);
    if (pending !== undefined) return pending;
    const load = this.load(gen, cached !== undefined).finally(() => {
      if (this.loads.get(key) === load) this.loads.delete(key);
    });
    this.loads.set(key, load);
    return load;
  }

  private async load(
    gen: string | null,
    cacheAvailable: boolean,
  ): Promise<BackgroundUserCacheEntry> {
    const loadedAt = this.options.clock();
    const checked = await this.check();
    const ttlMs = checked.problem === undefined ? this.options.ttlMs : this.options.failureTtlMs;
    const entry: BackgroundUserCacheEntry = {
      gen,
      loadedAt,
      expiresAt: loadedAt + ttlMs,
      ...checked,
    };
    if (cacheAvailable && ttlMs > 0) await this.cache.write(entry, ttlMs);
    return entry;
  }

  /** Reads attribute 199 and the user it names (database errors propagate, never cached). */
  private async check(): Promise<
    Pick<BackgroundUserCacheEntry, 'configuredUserId' | 'userId' | 'userDesc' | 'problem'>
  > {
    const attribute = await this.attributes.get(BACKGROUND_USER_ATTR_ID);
    if (attribute === null) return { configuredUserId: null, problem: 'attribute-missing' };
    const configuredUserId = attribute.attrValue?.trim() ?? '';
    if (configuredUserId === '') return { configuredUserId: null, problem: 'attribute-empty' };
    const user = await this.users.findUser(configuredUserId);
    if (user === null) return { configuredUserId, problem: 'user-unknown' };
    if (!user.active) return { configuredUserId, problem: 'user-inactive' };
    return { configuredUserId, userId: user.userId, userDesc: user.userDesc };
  }
}
