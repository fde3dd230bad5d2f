import { Injectable } from '@nestjs/common';
import { DbContext, MesError } from '@mes-web-api/common';
import { MesUsersService } from '@mes-web-api/mes-users';

/** How long a user's set of accessible entities is reused (this instance only). */
export const ENTITY_ACCESS_TTL_MS = 30_000;
/** Most users kept at once; the oldest entry goes first. */
export const ENTITY_ACCESS_MAX_USERS = 10_000;

interface Entry {
  ids: Promise<ReadonlySet<number>>;
  /** The ids once loaded. */
  known?: ReadonlySet<number>;
  expiresAt: number;
}

/**
 * Entity access through the caller's groups (`grp_ent_link.accss`), cached per user for a short
 * time so the read path costs one map lookup; concurrent loads for one user share one query.
 * Only grants are cached: a denial is always confirmed against the database. Inside an MES
 * transaction nothing is cached (the transaction may have changed the links itself). Writes that
 * add or remove entities call `invalidate()` once committed.
 */
@Injectable()
export class EntityAccessService {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly users: MesUsersService) {}

  /** The ids of the entities one of the user's groups may use. */
  accessibleEntityIds(userId: string, context?: DbContext): Promise<ReadonlySet<number>> {
    if (context?.inTransaction) return this.users.accessibleEntityIds(userId, context);
    const now = Date.now();
    const entry = this.entries.get(userId);
    if (entry && entry.expiresAt > now) return entry.ids;
    if (entry) this.entries.delete(userId);
    while (this.entries.size >= ENTITY_ACCESS_MAX_USERS) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    const ids: Promise<ReadonlySet<number>> = this.users.accessibleEntityIds(userId);
    const loading: Entry = { ids, expiresAt: now + ENTITY_ACCESS_TTL_MS };
    this.entries.set(userId, loading);
    ids.then(
      (known) => {
        loading.known = known;
      },
      () => {
        if (this.entries.get(userId) === loading) this.entries.delete(userId);
      },
    );
    return ids;
  }

  /**
   * A cached yes is trusted; a no is confirmed with one uncached query before it stands, so access
   * granted elsewhere (another API instance, the MES client) takes effect at once. A revoked
   * access is seen within ENTITY_ACCESS_TTL_MS.
   */
  async canAccess(userId: string, entId: number, context?: DbContext): Promise<boolean> {
    if (context?.inTransaction) return this.users.canAccessEntity(userId, entId, context);
    const entry = this.entries.get(userId);
    if (entry?.known !== undefined && entry.expiresAt > Date.now() && entry.known.has(entId)) {
      return true;
    }
    if ((await this.accessibleEntityIds(userId)).has(entId)) return true;
    if (!(await this.users.canAccessEntity(userId, entId))) return false;
    this.entries.delete(userId);
    return true;
  }

  /** 404 "You do not have the appropriate privileges to access this entity" unless accessible. */
  async assertCanAccess(userId: string, entId: number, context?: DbContext): Promise<void> {
    if (!(await this.canAccess(userId, entId, context)))
      throw MesError.entityAccessDenied({ ent_id: entId });
  }

  /** Forget every cached answer (after entities or their access links change). */
  invalidate(): void {
    this.entries.clear();
  }
}
