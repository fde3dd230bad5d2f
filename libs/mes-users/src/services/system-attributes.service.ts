import { Injectable } from '@nestjs/common';
import { DbContext, MesDb, MesError, toDate } from '@mes-web-api/common';
import { SYSTEM_ATTR_VALUE_MAX_LENGTH } from '../mes-users.constants';
import { SystemAttribute } from '../interfaces/system-attribute.interface';
import {
  setSystemAttr,
  systemAttrById,
  systemAttrsList,
  SystemAttrRow,
} from '../queries/system-attributes.sql';

export function toSystemAttribute(row: SystemAttrRow): SystemAttribute {
  return {
    attrId: Number(row.attr_id),
    attrDesc: row.attr_desc,
    attrValue: row.attr_value,
    grpId: row.grp_id,
    attrSeq: row.attr_seq,
    editType: row.edit_type,
    lastEditBy: row.last_edit_by,
    lastEditAt: toDate(row.last_edit_at),
  };
}

/** Reads and changes `system_attr` rows. Rows are never created or deleted here. */
@Injectable()
export class SystemAttributesService {
  constructor(private readonly db: MesDb) {}

  async get(attrId: number, context?: DbContext): Promise<SystemAttribute | null> {
    const row = await this.getRow(attrId, context);
    return row ? toSystemAttribute(row) : null;
  }

  /** The row as stored (the API answers it as it is). */
  async getRow(
    attrId: number,
    context: DbContext = this.db.auto,
  ): Promise<SystemAttrRow | undefined> {
    if (!Number.isInteger(attrId)) return undefined;
    return context.db.get(systemAttrById, { attrId });
  }

  async listRows(context: DbContext = this.db.auto): Promise<readonly SystemAttrRow[]> {
    return context.db.all(systemAttrsList, {});
  }

  async list(context?: DbContext): Promise<SystemAttribute[]> {
    return (await this.listRows(context)).map(toSystemAttribute);
  }

  /**
   * Sets the value, stamping `last_edit_by` = actingUserId and `last_edit_at` = now (UTC).
   * Throws MesError ENTITY_NOT_FOUND when the attribute row does not exist. `afterCommit` runs
   * once the change is committed (cache invalidations).
   */
  async set(
    attrId: number,
    value: string,
    actingUserId: string,
    context: DbContext = this.db.auto,
    afterCommit?: () => void | Promise<void>,
  ): Promise<SystemAttrRow> {
    if (!Number.isInteger(attrId)) throw MesError.entityNotFound({ attr_id: attrId });
    if (typeof value !== 'string' || value.length > SYSTEM_ATTR_VALUE_MAX_LENGTH) {
      throw MesError.validation(
        `attr_value must be a string of at most ${SYSTEM_ATTR_VALUE_MAX_LENGTH} characters.`,
      );
    }
    return context.write(async (tx) => {
      const at = new Date(Math.floor(Date.now() / 1000) * 1000);
      const result = await tx.run(setSystemAttr, {
        attrId,
        value,
        lastEditBy: actingUserId,
        lastEditAt: at,
      });
      if (result.changes === 0) throw MesError.entityNotFound({ attr_id: attrId });
      const row = await tx.get(systemAttrById, { attrId });
      if (!row) throw MesError.entityNotFound({ attr_id: attrId });
      if (afterCommit) tx.afterCommit(afterCommit);
      return row;
    });
  }
}
