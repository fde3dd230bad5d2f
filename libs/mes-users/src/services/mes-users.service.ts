import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  callerGroupsValues,
  constraintViolation,
  DbContext,
  MesCaller,
  MesDb,
  MesError,
  MesErrorCode,
} from '@mes-web-api/common';
import { MesUser } from '../interfaces/mes-user.interface';
import {
  accessibleEntityIds,
  canAccessEntity,
  groupsOfUser,
  groupsWithSids,
  insertGroupUser,
  privilegesOfCaller,
  userById,
  UserNameRow,
} from '../queries/mes-users.sql';

/** Longest possible `user_name.user_id`; longer ids cannot exist, so they are not queried. */
const USER_ID_MAX_LENGTH = 40;

function isPossibleUserId(userId: string): boolean {
  return typeof userId === 'string' && userId.length > 0 && userId.length <= USER_ID_MAX_LENGTH;
}

/** Whether the caller can have groups at all: token groups, or a possible user id. */
function hasGroups(caller: MesCaller): boolean {
  return caller.groups === undefined ? isPossibleUserId(caller.userId) : caller.groups.length > 0;
}

function toMesUser(row: UserNameRow): MesUser {
  return {
    userId: row.user_id,
    userDesc: row.user_desc,
    active: Number(row.active) !== 0,
    emailAddress: row.email_address,
    langId: row.lang_id,
    authMethod: Number(row.auth_method),
  };
}

const NO_PRIVILEGES: ReadonlyMap<number, number> = new Map();

/**
 * MES users, their groups, privileges and entity access. Every read goes through `context`
 * (default: committed data), so a call inside an MES transaction sees its own writes. Groups are
 * the caller's (`MesCaller`): the token's in OS Group mode, else `user_grp_link`. The one write
 * is OS Group mode's user creation at first login.
 */
@Injectable()
export class MesUsersService {
  /** The privilege maps of kept (frozen) reads, while those rows live. */
  private readonly privilegeMaps = new WeakMap<readonly object[], ReadonlyMap<number, number>>();

  constructor(private readonly db: MesDb) {}

  async findUser(userId: string, context: DbContext = this.db.auto): Promise<MesUser | null> {
    if (!isPossibleUserId(userId)) return null;
    const row = await context.db.get(userById, { userId });
    return row ? toMesUser(row) : null;
  }

  /** The user if it exists and is active, else null. One primary-key query. */
  async findActiveUser(userId: string, context?: DbContext): Promise<MesUser | null> {
    const user = await this.findUser(userId, context);
    return user?.active ? user : null;
  }

  /**
   * The caller's MES group ids: those the token's SIDs matched (OS Group mode), else the user's
   * `user_grp_link` rows.
   */
  async groupsOf(caller: MesCaller, context: DbContext = this.db.auto): Promise<number[]> {
    if (caller.groups !== undefined) return [...caller.groups];
    if (!isPossibleUserId(caller.userId)) return [];
    const rows = await context.db.all(groupsOfUser, { userId: caller.userId });
    return rows.map((r) => Number(r.grp_id));
  }

  /**
   * priv_id → the highest priv_value any of the caller's groups grants. The map built from a
   * kept read (frozen rows, shared until the database changes) is built once and shared too.
   */
  async privilegesOf(
    caller: MesCaller,
    context: DbContext = this.db.auto,
  ): Promise<ReadonlyMap<number, number>> {
    if (!hasGroups(caller)) return NO_PRIVILEGES;
    const rows = await context.db.all(privilegesOfCaller.for(caller), callerGroupsValues(caller));
    let result = this.privilegeMaps.get(rows);
    if (result !== undefined) return result;
    const built = new Map<number, number>();
    for (const r of rows) built.set(Number(r.priv_id), Number(r.priv_value));
    result = built;
    if (Object.isFrozen(rows)) this.privilegeMaps.set(rows, result);
    return result;
  }

  async hasPrivilege(
    caller: MesCaller,
    privId: number,
    minValue = 1,
    context?: DbContext,
  ): Promise<boolean> {
    const value = (await this.privilegesOf(caller, context)).get(privId);
    return value !== undefined && value >= minValue;
  }

  /**
   * 403 PRIVILEGE_MISSING unless one of the caller's groups grants the privilege; `name` says
   * what it allows ("edit master data").
   */
  async requirePrivilege(
    caller: MesCaller,
    privId: number,
    name: string,
    context?: DbContext,
  ): Promise<void> {
    if (await this.hasPrivilege(caller, privId, 1, context)) return;
    throw new MesError(
      MesErrorCode.PrivilegeMissing,
      `"${caller.userId}" does not have the privilege to ${name} (privilege ${privId}).`,
    );
  }

  /** True when any of the caller's groups has access (`accss` non-zero) to the entity. */
  async canAccessEntity(
    caller: MesCaller,
    entId: number,
    context: DbContext = this.db.auto,
  ): Promise<boolean> {
    if (!hasGroups(caller)) return false;
    const params = { entId, ...callerGroupsValues(caller) };
    return (await context.db.get(canAccessEntity.for(caller), params)) !== undefined;
  }

  async accessibleEntityIds(
    caller: MesCaller,
    context: DbContext = this.db.auto,
  ): Promise<Set<number>> {
    if (!hasGroups(caller)) return new Set();
    const rows = await context.db.all(accessibleEntityIds.for(caller), callerGroupsValues(caller));
    return new Set(rows.map((r) => Number(r.ent_id)));
  }

  /**
   * OS Group mode: the ids of the MES groups (`auth_method` 2) whose `sid` is one of `sids`,
   * sorted; empty when none matches.
   */
  async groupsWithSids(
    sids: readonly string[],
    context: DbContext = this.db.auto,
  ): Promise<number[]> {
    if (sids.length === 0) return [];
    const rows = await context.db.all(groupsWithSids, { sids: JSON.stringify(sids) });
    return rows.map((r) => Number(r.grp_id));
  }

  /**
   * OS Group mode, first login: creates the active MES user (`auth_method` 2, stamped by itself)
   * unless it exists. True when this call created it; false when it existed already, also when
   * another instance created it at the same moment (its duplicate key is not an error here).
   */
  async createGroupUser(userId: string): Promise<boolean> {
    if (!isPossibleUserId(userId)) {
      throw new MesError(
        MesErrorCode.UserNotFound,
        'The user name of the access token cannot be an MES user id (1-40 characters).',
      );
    }
    const params = {
      userId,
      lastEditComment: GROUP_USER_COMMENT,
      lastEditAt: new Date(Math.floor(Date.now() / 1000) * 1000),
      modId: randomUUID(),
    };
    try {
      const result = await this.db.auto.write((tx) => tx.run(insertGroupUser, params));
      return result.changes > 0;
    } catch (error) {
      if (constraintViolation(error) === 'unique') return false;
      throw error;
    }
  }
}

/** `last_edit_comment` of a user created at first login. */
export const GROUP_USER_COMMENT = 'Created at first login (OS Group security: AD group member)';
