import { Injectable } from '@nestjs/common';
import { DbContext, MesDb, MesError, MesErrorCode } from '@mes-web-api/common';
import { MesUser } from '../interfaces/mes-user.interface';
import {
  accessibleEntityIds,
  canAccessEntity,
  groupsOfUser,
  privilegesOfUser,
  userById,
  UserNameRow,
} from '../queries/mes-users.sql';

/** Longest possible `user_name.user_id`; longer ids cannot exist, so they are not queried. */
const USER_ID_MAX_LENGTH = 40;

function isPossibleUserId(userId: string): boolean {
  return typeof userId === 'string' && userId.length > 0 && userId.length <= USER_ID_MAX_LENGTH;
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

/**
 * MES users, their groups, privileges and entity access (read-only). Every method reads through
 * `context` (default: committed data), so a call inside an MES transaction sees its own writes.
 */
@Injectable()
export class MesUsersService {
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

  async groupsOf(userId: string, context: DbContext = this.db.auto): Promise<number[]> {
    if (!isPossibleUserId(userId)) return [];
    const rows = await context.db.all(groupsOfUser, { userId });
    return rows.map((r) => Number(r.grp_id));
  }

  /** priv_id → the highest priv_value any of the user's groups grants. */
  async privilegesOf(
    userId: string,
    context: DbContext = this.db.auto,
  ): Promise<Map<number, number>> {
    const result = new Map<number, number>();
    if (!isPossibleUserId(userId)) return result;
    for (const r of await context.db.all(privilegesOfUser, { userId })) {
      result.set(Number(r.priv_id), Number(r.priv_value));
    }
    return result;
  }

  async hasPrivilege(
    userId: string,
    privId: number,
    minValue = 1,
    context?: DbContext,
  ): Promise<boolean> {
    const value = (await this.privilegesOf(userId, context)).get(privId);
    return value !== undefined && value >= minValue;
  }

  /**
   * 403 PRIVILEGE_MISSING unless one of the user's groups grants the privilege; `name` says what
   * it allows ("edit master data").
   */
  async requirePrivilege(
    userId: string,
    privId: number,
    name: string,
    context?: DbContext,
  ): Promise<void> {
    if (await this.hasPrivilege(userId, privId, 1, context)) return;
    throw new MesError(
      MesErrorCode.PrivilegeMissing,
      `"${userId}" does not have the privilege to ${name} (privilege ${privId}).`,
    );
  }

  /** True when any of the user's groups has access (`accss` non-zero) to the entity. */
  async canAccessEntity(
    userId: string,
    entId: number,
    context: DbContext = this.db.auto,
  ): Promise<boolean> {
    if (!isPossibleUserId(userId)) return false;
    return (await context.db.get(canAccessEntity, { userId, entId })) !== undefined;
  }

  async accessibleEntityIds(
    userId: string,
    context: DbContext = this.db.auto,
  ): Promise<Set<number>> {
    if (!isPossibleUserId(userId)) return new Set();
    const rows = await context.db.all(accessibleEntityIds, { userId });
    return new Set(rows.map((r) => Number(r.ent_id)));
  }
}
