import { Injectable } from '@nestjs/common';
import {
  AimUserAuthModuleOptions,
  ResolvedAimUserAuthOptions,
} from '../interfaces/aim-user-auth-options.interface';
import { BoundedTtlCache } from '@mes-web-api/common';
import { resolveAimUserAuthOptions } from './aim-user-auth-options';
import { InjectAimUserAuthOptions } from './aim-user-auth.module-definition';
import { AimUserLookup, AimUserStatus } from './aim-user-lookup';

export type MesUserStatus = AimUserStatus;

/** Cache use since start, for metrics. */
export interface MesUserDirectoryStats {
  /** Answers given from the cache (including a lookup already under way). */
  readonly hits: number;
  /** Lookups started in the database. */
  readonly misses: number;
  /** Users currently cached. */
  readonly size: number;
}

/** A cached lookup; `known` is set once it has answered. */
interface CachedStatus {
  lookup: Promise<MesUserStatus>;
  known?: MesUserStatus;
}

/**
 * Answers "is this an active user?" for the user strategy through the `AimUserLookup` (default:
 * the MES `user_name` table), caching positive and negative answers briefly (bounded) and
 * coalescing concurrent lookups. Lookup errors are not cached. In OS Group mode it also creates
 * the user at first login (`provision`, through the lookup's `provision`).
 */
@Injectable()
export class MesUserDirectory {
  readonly options: ResolvedAimUserAuthOptions;
  private readonly cache: BoundedTtlCache<string, CachedStatus>;
  private hits = 0;
  private misses = 0;
  /** Users being created (OS Group mode, first login). */
  private readonly provisioning = new Map<string, Promise<MesUserStatus>>();

  constructor(
    private readonly lookup: AimUserLookup,
    @InjectAimUserAuthOptions() options: AimUserAuthModuleOptions,
  ) {
    this.options = resolveAimUserAuthOptions(options);
    this.cache = new BoundedTtlCache(this.options.userCacheMaxEntries);
  }

  /** Maps the token's user name to an MES user id (optionally `domain\user` → `user`). */
  toUserId(userName: string): string {
    if (!this.options.stripDomain) return userName;
    const slash = userName.lastIndexOf('\\');
    return slash === -1 ? userName : userName.slice(slash + 1);
  }

  status(userId: string): Promise<MesUserStatus> {
    if (!this.possibleUserId(userId)) return Promise.resolve('unknown');
    const cached = this.cache.get(userId);
    if (cached) {
      this.hits += 1;
      return cached.lookup;
    }
    this.misses += 1;
    const entry: CachedStatus = { lookup: this.lookUp(userId) };
    this.cache.set(userId, entry, Date.now() + this.options.userCacheTtlMs);
    entry.lookup.then(
      (status) => (entry.known = status),
      () => this.cache.delete(userId),
    );
    return entry.lookup;
  }

  /**
   * The status `status()` would answer from its cache, without waiting: `undefined` when the
   * user is not cached, the cached answer expired, or its lookup has not finished.
   */
  knownStatus(userId: string): MesUserStatus | undefined {
    if (!this.possibleUserId(userId)) return 'unknown';
    const known = this.cache.get(userId)?.known;
    if (known !== undefined) this.hits += 1;
    return known;
  }

  /**
   * OS Group mode, first login of a user the token's groups let in: creates the MES user (active,
   * `auth_method` 2) and answers its status, which is cached like a lookup's. Concurrent calls for
   * one user share one creation; a user created meanwhile by another instance is simply read.
   */
  provision(userId: string): Promise<MesUserStatus> {
    let creating = this.provisioning.get(userId);
    if (creating === undefined) {
      creating = this.create(userId).finally(() => this.provisioning.delete(userId));
      this.provisioning.set(userId, creating);
    }
    return creating;
  }

  /** Cache hits and misses since start (read by the app's metrics). */
  stats(): MesUserDirectoryStats {
    return { hits: this.hits, misses: this.misses, size: this.cache.size };
  }

  private possibleUserId(userId: string): boolean {
    return userId !== '' && userId.length <= this.lookup.maxUserIdLength;
  }

  /** The lookup's answer; anything but the three statuses is an error, never a pass. */
  private async lookUp(userId: string): Promise<MesUserStatus> {
    const status = await this.lookup.status(userId);
    if (status === 'active' || status === 'inactive' || status === 'unknown') return status;
    throw new TypeError(
      `AimUserLookup.status() answered ${JSON.stringify(status)}: expected active, inactive or unknown.`,
    );
  }

  private async create(userId: string): Promise<MesUserStatus> {
    if (this.lookup.provision === undefined) {
      throw new TypeError(
        'OS Group mode creates MES users at first login: the AimUserLookup in use has no provision().',
      );
    }
    await this.lookup.provision(userId);
    const status = await this.lookUp(userId);
    const entry: CachedStatus = { lookup: Promise.resolve(status), known: status };
    this.cache.set(userId, entry, Date.now() + this.options.userCacheTtlMs);
    return status;
  }
}
