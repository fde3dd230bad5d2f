import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { UserName } from '../entities/user-name.entity';
import { MesUser } from '../interfaces/mes-user.interface';
import {
  activeUserQuery,
  entityAccessQuery,
  groupsOfQuery,
  listUsersQuery,
  privilegeValueQuery,
  privilegesOfQuery,
  userQuery,
} from '../queries/mes-users.queries';

/** Longest possible `user_name.user_id`; longer ids cannot exist, so they are not queried. */
const USER_ID_MAX_LENGTH = 40;

function isPossibleUserId(userId: string): boolean {
  return typeof userId === 'string' && userId.length > 0 && userId.length <= USER_ID_MAX_LENGTH;
}

function toMesUser(row: UserName): MesUser {
  return {
    userId: row.userId,
    userDesc: row.userDesc,
    active: Number(row.active) !== 0,
    emailAddress: row.emailAddress,
    langId: row.langId,
    authMethod: row.authMethod,
  };
}

/** MES users, their groups, privileges and entity access (read-only). */
@Injectable()
export class MesUsersService {
  constructor(@InjectEntityManager() private readonly em: EntityManager) {}

  async findUser(userId: string): Promise<MesUser | null> {
    if (!isPossibleUserId(userId)) return null;
    const row = await userQuery(this.em, userId).getOne();
    return row ? toMesUser(row) : null;
  }

  /** The user if it exists and is active, else null. One primary-key query. */
  async findActiveUser(userId: string): Promise<MesUser | null> {
    if (!isPossibleUserId(userId)) return null;
    const row = await activeUserQuery(this.em, userId).getOne();
    return row ? toMesUser(row) : null;
  }

  async listUsers(maxRows?: number): Promise<MesUser[]> {
    if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 1)) {
      throw new RangeError(`maxRows must be a positive integer, got ${String(maxRows)}`);
    }
    const rows = await listUsersQuery(this.em, maxRows).getMany();
    return rows.map(toMesUser);
  }

  async groupsOf(userId: string): Promise<number[]> {
    if (!isPossibleUserId(userId)) return [];
    const rows = await groupsOfQuery(this.em, userId).getRawMany<{ grp_id: number }>();
    return rows.map((r) => Number(r.grp_id));
  }

  /** priv_id → the highest priv_value any of the user's groups grants. */
  async privilegesOf(userId: string): Promise<Map<number, number>> {
    const result = new Map<number, number>();
    if (!isPossibleUserId(userId)) return result;
    const rows = await privilegesOfQuery(this.em, userId).getRawMany<{
      priv_id: number;
      priv_value: number;
    }>();
    for (const r of rows) result.set(Number(r.priv_id), Number(r.priv_value));
    return result;
  }

  async hasPrivilege(userId: string, privId: number, minValue = 1): Promise<boolean> {
    if (!isPossibleUserId(userId)) return false;
    const row = await privilegeValueQuery(this.em, userId, privId).getRawOne<{
      priv_value: number | null;
    }>();
    return row?.priv_value != null && Number(row.priv_value) >= minValue;
  }

  /** True when any of the user's groups has access (`accss` non-zero) to the entity. */
  async canAccessEntity(userId: string, entId: number): Promise<boolean> {
    if (!isPossibleUserId(userId)) return false;
    const row = await entityAccessQuery(this.em, userId, entId)
      .limit(1)
      .getRawOne<{ ent_id: number }>();
    return row !== undefined && row !== null;
  }

  async accessibleEntityIds(userId: string): Promise<Set<number>> {
    if (!isPossibleUserId(userId)) return new Set();
    const rows = await entityAccessQuery(this.em, userId).getRawMany<{ ent_id: number }>();
    return new Set(rows.map((r) => Number(r.ent_id)));
  }
}
