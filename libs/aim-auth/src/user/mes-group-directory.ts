import { Injectable, Optional } from '@nestjs/common';
import { BoundedTtlCache } from '@mes-web-api/common';
import { MesUsersService } from '@mes-web-api/mes-users';
import {
  AimUserAuthModuleOptions,
  ResolvedAimUserAuthOptions,
} from '../interfaces/aim-user-auth-options.interface';
import { GroupSids, groupSidsOf } from '../strategies/group-claim';
import { AimTokenClaims } from '../token/aim-token-verifier';
import { resolveAimUserAuthOptions } from './aim-user-auth-options';
import { InjectAimUserAuthOptions } from './aim-user-auth.module-definition';

/** A cached lookup; `known` is set once it has answered. */
interface CachedGroups {
  lookup: Promise<readonly number[]>;
  known?: readonly number[];
}

/** No group matched: one frozen empty answer. */
const NO_GROUPS: readonly number[] = Object.freeze([]);

/**
 * OS Group mode: answers "which MES groups do these AD group SIDs name?" (`grp_name.sid`,
 * `auth_method` 2) for the user strategy. Like the user status, answers (also "none") are cached
 * briefly per set of SIDs (bounded) and concurrent lookups share one query; database errors are
 * not cached. The answer is a frozen, sorted array that every request of that set of SIDs shares.
 */
@Injectable()
export class MesGroupDirectory {
  readonly options: ResolvedAimUserAuthOptions;
  private readonly cache: BoundedTtlCache<string, CachedGroups>;
  /** The SIDs of a verified token's claims, parsed once per (memoised, frozen) claims object. */
  private readonly sidsByClaims = new WeakMap<AimTokenClaims, GroupSids | null>();

  constructor(
    @InjectAimUserAuthOptions() options: AimUserAuthModuleOptions,
    // Absent when the app brings its own user lookup (no MES tables): OS User mode only then.
    @Optional() private readonly users?: MesUsersService,
  ) {
    this.options = resolveAimUserAuthOptions(options);
    if (this.options.securityMode === 'os-group' && users === undefined) {
      throw new Error(
        "AimUserAuthModule: securityMode 'os-group' maps group SIDs to the MES groups (grp_name.sid), so it needs the MES tables: use the default user lookup, not a replacement (forRoot({ users }))",
      );
    }
    this.cache = new BoundedTtlCache(this.options.userCacheMaxEntries);
  }

  /** The group SIDs of the token (see `groupSidsOf`); `undefined` when it has no group claim. */
  sidsOf(claims: AimTokenClaims): GroupSids | undefined {
    let sids = this.sidsByClaims.get(claims);
    if (sids === undefined) {
      sids = groupSidsOf(claims, this.options.groupClaim) ?? null;
      this.sidsByClaims.set(claims, sids);
    }
    return sids ?? undefined;
  }

  /** The MES group ids of the SIDs, sorted; empty when none matches. */
  groupsOf(sids: GroupSids): Promise<readonly number[]> {
    if (sids.sids.length === 0) return Promise.resolve(NO_GROUPS);
    const cached = this.cache.get(sids.key);
    if (cached) return cached.lookup;
    const entry: CachedGroups = { lookup: this.lookup(sids.sids) };
    this.cache.set(sids.key, entry, Date.now() + this.options.userCacheTtlMs);
    entry.lookup.then(
      (groups) => (entry.known = groups),
      () => {
        if (this.cache.get(sids.key) === entry) this.cache.delete(sids.key);
      },
    );
    return entry.lookup;
  }

  /**
   * The groups `groupsOf()` would answer from its cache, without waiting: `undefined` when the
   * set is not cached, the answer expired, or its lookup has not finished.
   */
  knownGroups(sids: GroupSids): readonly number[] | undefined {
    if (sids.sids.length === 0) return NO_GROUPS;
    return this.cache.get(sids.key)?.known;
  }

  private async lookup(sids: readonly string[]): Promise<readonly number[]> {
    if (this.users === undefined) return NO_GROUPS; // OS User mode with the app's own lookup
    const groups = await this.users.groupsWithSids(sids);
    return groups.length === 0 ? NO_GROUPS : Object.freeze(groups);
  }
}
