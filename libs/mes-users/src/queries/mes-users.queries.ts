import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { GrpEntLink } from '../entities/grp-ent-link.entity';
import { GrpPrivLink } from '../entities/grp-priv-link.entity';
import { UserGrpLink } from '../entities/user-grp-link.entity';
import { UserName } from '../entities/user-name.entity';

/*
 * The SQL of the users lib, one builder per query. Services run them; the golden specs render
 * them for the mssql driver without a server. Every value is a bound parameter.
 */

const USER_COLUMNS = [
  'u.userId',
  'u.userDesc',
  'u.active',
  'u.emailAddress',
  'u.langId',
  'u.authMethod',
] as const;

/** One user by primary key, any state. */
export function userQuery(em: EntityManager, userId: string): SelectQueryBuilder<UserName> {
  return em
    .createQueryBuilder(UserName, 'u')
    .select([...USER_COLUMNS])
    .where('u.userId = :userId', { userId });
}

/** One active user by primary key: a single primary-key seek, the hot path of token validation. */
export function activeUserQuery(em: EntityManager, userId: string): SelectQueryBuilder<UserName> {
  return userQuery(em, userId).andWhere('u.active = 1');
}

/** Users ordered by id, optionally limited. */
export function listUsersQuery(em: EntityManager, maxRows?: number): SelectQueryBuilder<UserName> {
  const qb = em
    .createQueryBuilder(UserName, 'u')
    .select([...USER_COLUMNS])
    .orderBy('u.userId', 'ASC');
  return maxRows === undefined ? qb : qb.limit(maxRows);
}

export function groupsOfQuery(em: EntityManager, userId: string): SelectQueryBuilder<UserGrpLink> {
  return em
    .createQueryBuilder(UserGrpLink, 'ugl')
    .select('ugl.grpId', 'grp_id')
    .where('ugl.userId = :userId', { userId })
    .orderBy('ugl.grpId', 'ASC');
}

/** priv_id → max(priv_value) over the user's groups. */
export function privilegesOfQuery(
  em: EntityManager,
  userId: string,
): SelectQueryBuilder<GrpPrivLink> {
  return em
    .createQueryBuilder(GrpPrivLink, 'gpl')
    .innerJoin(UserGrpLink, 'ugl', 'ugl.grpId = gpl.grpId')
    .select('gpl.privId', 'priv_id')
    .addSelect('MAX(gpl.privValue)', 'priv_value')
    .where('ugl.userId = :userId', { userId })
    .groupBy('gpl.privId');
}

/** max(priv_value) of one privilege over the user's groups (NULL when no group grants it). */
export function privilegeValueQuery(
  em: EntityManager,
  userId: string,
  privId: number,
): SelectQueryBuilder<GrpPrivLink> {
  return em
    .createQueryBuilder(GrpPrivLink, 'gpl')
    .innerJoin(UserGrpLink, 'ugl', 'ugl.grpId = gpl.grpId')
    .select('MAX(gpl.privValue)', 'priv_value')
    .where('ugl.userId = :userId', { userId })
    .andWhere('gpl.privId = :privId', { privId });
}

/** Entity links of the user's groups that grant access; filtered to one entity when given. */
export function entityAccessQuery(
  em: EntityManager,
  userId: string,
  entId?: number,
): SelectQueryBuilder<GrpEntLink> {
  const qb = em
    .createQueryBuilder(GrpEntLink, 'gel')
    .innerJoin(UserGrpLink, 'ugl', 'ugl.grpId = gel.grpId')
    .select('DISTINCT gel.entId', 'ent_id')
    .where('ugl.userId = :userId', { userId })
    .andWhere('gel.accss <> 0');
  return entId === undefined ? qb : qb.andWhere('gel.entId = :entId', { entId });
}
