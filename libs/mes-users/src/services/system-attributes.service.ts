import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { MesError, runInTransaction } from '@mes/common';
import { SYSTEM_ATTR_VALUE_MAX_LENGTH } from '../mes-users.constants';
import { SystemAttr } from '../entities/system-attr.entity';
import { SystemAttribute } from '../interfaces/system-attribute.interface';
import {
  listSystemAttrsQuery,
  setSystemAttrQuery,
  systemAttrQuery,
} from '../queries/system-attributes.queries';

function toSystemAttribute(row: SystemAttr): SystemAttribute {
  return {
    attrId: row.attrId,
    attrDesc: row.attrDesc,
    attrValue: row.attrValue,
    grpId: row.grpId,
    attrSeq: row.attrSeq,
    editType: row.editType,
    lastEditBy: row.lastEditBy,
    lastEditAt: row.lastEditAt,
  };
}

/** Reads and changes `system_attr` rows. Rows are never created or deleted here. */
@Injectable()
export class SystemAttributesService {
  constructor(@InjectEntityManager() private readonly em: EntityManager) {}

  async get(attrId: number): Promise<SystemAttribute | null> {
    if (!Number.isInteger(attrId)) return null;
    const row = await systemAttrQuery(this.em, attrId).getOne();
    return row ? toSystemAttribute(row) : null;
  }

  async list(): Promise<SystemAttribute[]> {
    const rows = await listSystemAttrsQuery(this.em).getMany();
    return rows.map(toSystemAttribute);
  }

  /**
   * Sets the value, stamping `last_edit_by` = actingUserId and `last_edit_at` = now (UTC).
   * Throws MesError ENTITY_NOT_FOUND when the attribute row does not exist.
   */
  async set(attrId: number, value: string, actingUserId: string): Promise<SystemAttribute> {
    if (!Number.isInteger(attrId)) throw MesError.entityNotFound({ attr_id: attrId });
    if (typeof value !== 'string' || value.length > SYSTEM_ATTR_VALUE_MAX_LENGTH) {
      throw MesError.validation(
        `attr_value must be a string of at most ${SYSTEM_ATTR_VALUE_MAX_LENGTH} characters.`,
      );
    }
    return runInTransaction(this.em.dataSource, async (em) => {
      const result = await setSystemAttrQuery(
        em,
        attrId,
        value,
        actingUserId,
        new Date(),
      ).execute();
      if (!result.affected) throw MesError.entityNotFound({ attr_id: attrId });
      const row = await systemAttrQuery(em, attrId).getOne();
      if (!row) throw MesError.entityNotFound({ attr_id: attrId });
      return toSystemAttribute(row);
    });
  }
}
