import { EntityManager, SelectQueryBuilder, UpdateQueryBuilder } from 'typeorm';
import { SystemAttr } from '../entities/system-attr.entity';

const ATTR_COLUMNS = [
  'a.attrId',
  'a.attrDesc',
  'a.attrValue',
  'a.grpId',
  'a.attrSeq',
  'a.editType',
  'a.lastEditBy',
  'a.lastEditAt',
] as const;

export function systemAttrQuery(em: EntityManager, attrId: number): SelectQueryBuilder<SystemAttr> {
  return em
    .createQueryBuilder(SystemAttr, 'a')
    .select([...ATTR_COLUMNS])
    .where('a.attrId = :attrId', { attrId });
}

export function listSystemAttrsQuery(em: EntityManager): SelectQueryBuilder<SystemAttr> {
  return em
    .createQueryBuilder(SystemAttr, 'a')
    .select([...ATTR_COLUMNS])
    .orderBy('a.attrId', 'ASC');
}

/** Sets the value and stamps who changed it and when (UTC). */
export function setSystemAttrQuery(
  em: EntityManager,
  attrId: number,
  value: string,
  actingUserId: string,
  at: Date,
): UpdateQueryBuilder<SystemAttr> {
  return em
    .createQueryBuilder()
    .update(SystemAttr)
    .set({ attrValue: value, lastEditBy: actingUserId, lastEditAt: at })
    .where('attr_id = :attrId', { attrId });
}
