import { Injectable } from '@nestjs/common';
import { DbContext, groupsJson, MaybePromise, MesCaller, MesError } from '@mes-web-api/common';
import { MesUsersService } from '@mes-web-api/mes-users';

/** How long a caller's set of accessible entities is reused (this instance only). */
export const ENTITY_ACCESS_TTL_MS = 30_000;
/** Most callers kept at once (per kind of key); the oldest entry goes first. */
export const ENTITY_ACCESS_MAX_USERS = 10_000;

interface Entry {
  ids: Promise<ReadonlySet<number>>;
  /** The ids once loaded. */
  known?: ReadonlySet<number>;
  expiresAt: number;
}

/**
 * Entity access through the caller's groups (`grp_ent_link.accss`), cached per caller for a short
 * time so the read path costs one map lookup; concurrent loads for one caller share one query.
 * A caller is its user id (groups from `user_grp_link`) or, in OS Group mode, its set of groups
 * (`[3,7]`): two tokens with different groups never share an answer, and users with the same
 * groups do. Only grants are cached: a denial is always confirmed against the database. Inside
 * an MES transaction nothing is cached (the transaction may have changed the links itself).
 * Writes that add or remove entities call `invalidate()` once committed.
 */
@Injectable()
export class EntityAccessService {
  /** By user id (groups from `user_grp_link`). */
  private readonly byUser = new Map<string, Entry>();
  /** By the JSON text of the token's groups (OS Group mode); a separate map, so no key clashes. */
  private readonly byGroups = new Map<string, Entry>();

  constructor(private readonly users: MesUsersService) {}

  /** The ids of the entities one of the caller's groups may use. */
  accessibleEntityIds(caller: MesCaller, context?: DbContext): Promise<ReadonlySet<number>> {
    if (context?.inTransaction) return this.users.accessibleEntityIds(caller, context);
    const [entries, key] = this.slotOf(caller);
    const now = Date.now();
    const entry = entries.get(key);
    if (entry && entry.expiresAt > now) return entry.ids;
    if (entry) entries.delete(key);
    while (entries.size >= ENTITY_ACCESS_MAX_USERS) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
    const ids: Promise<ReadonlySet<number>> = this.users.accessibleEntityIds(caller);
    const loading: Entry = { ids, expiresAt: now + ENTITY_ACCESS_TTL_MS };
    entries.set(key, loading);
    ids.then(
      (known) => {
        loading.known = known;
      },
      () => {
        if (entries.get(key) === loading) entries.delete(key);
      },
    );
    return ids;
  }

  /**
   * A cached yes is trusted; a no is confirmed with one uncached query before it stands, so access
   * granted elsewhere (another API instance, the MES client) takes effect at once. A revoked
   * access is seen within ENTITY_ACCESS_TTL_MS.
   */
  canAccess(caller: MesCaller, entId: number, context?: DbContext): MaybePromise<boolean> {
    if (context?.inTransaction) return this.users.canAccessEntity(caller, entId, context);
    const [entries, key] = this.slotOf(caller);
    const entry = entries.get(key);
    // The common case, a cached grant, answers without a promise.
    if (entry?.known !== undefined && entry.expiresAt > Date.now() && entry.known.has(entId)) {
      return true;
    }
    return this.confirmAccess(caller, entId, entries, key);
  }

  private async confirmAccess(
    caller: MesCaller,
    entId: number,
    entries: Map<string, Entry>,
    key: string,
  ): Promise<boolean> {
    if ((await this.accessibleEntityIds(caller)).has(entId)) return true;
    if (!(await this.users.canAccessEntity(caller, entId))) return false;
    entries.delete(key);
    return true;
  }

  /** 404 "You do not have the appropriate privileges to access this entity" unless accessible. */
  async assertCanAccess(caller: MesCaller, entId: number, context?: DbContext): Promise<void> {
    if (!(await this.canAccess(caller, entId, context)))
      throw MesError.entityAccessDenied({ ent_id: entId });
  }

  /** Forget every cached answer (after entities or their access links change). */
  invalidate(): void {
    this.byUser.clear();
    this.byGroups.clear();
  }

  /** The map and key of the caller's entry. */
  private slotOf(caller: MesCaller): [Map<string, Entry>, string] {
    return caller.groups === undefined
      ? [this.byUser, caller.userId]
      : [this.byGroups, groupsJson(caller.groups)];
  }
}
