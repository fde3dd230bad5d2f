import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { UserName } from '../entities/user-name.entity';

/**
 * The `user_name` columns the Web API may show. Listed explicitly, so a credential column added
 * to the entity later (a password hash, a salt) is never read or returned by accident.
 */
const READABLE_COLUMNS = [
  'u.userId',
  'u.userDesc',
  'u.active',
  'u.emailAddress',
  'u.langId',
  'u.authMethod',
  'u.lastLogin',
  'u.spare1',
  'u.spare2',
  'u.spare3',
  'u.spare4',
  'u.lastEditComment',
  'u.lastEditBy',
  'u.lastEditAt',
  'u.modId',
] as const;

/** Longest possible `user_name.user_id`. */
const USER_ID_MAX_LENGTH = 40;

/** Reads MES user records (UserName.GetAll / GetByKey), never any credential. */
@Injectable()
export class UserNameService {
  constructor(@InjectEntityManager() private readonly em: EntityManager) {}

  list(maxRows?: number): Promise<UserName[]> {
    const qb = this.query().orderBy('u.userId', 'ASC');
    if (maxRows !== undefined) qb.limit(maxRows);
    return qb.getMany();
  }

  async get(userId: string): Promise<UserName | null> {
    if (userId.length === 0 || userId.length > USER_ID_MAX_LENGTH) return null;
    return this.query().where('u.userId = :userId', { userId }).getOne();
  }

  private query(): SelectQueryBuilder<UserName> {
    return this.em.createQueryBuilder(UserName, 'u').select([...READABLE_COLUMNS]);
  }
}
