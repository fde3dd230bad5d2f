import { Injectable } from '@nestjs/common';
import { MesError } from '@mes-web-api/common';
import { withConstraintMessages } from '../shared/constraint-error';
import { assertModIdMatches, toFlag, writeParams, writeStamp } from '../shared/master-data';
import { PlantContext } from '../shared/plant-context';
import {
  countItemUse,
  deleteItem,
  insertItem,
  ITEM_FILTER_COLUMNS,
  ITEM_FLAGS,
  ITEM_VALUE_COLUMNS,
  itemByKey,
  ItemFilterColumn,
  ItemFlag,
  itemList,
  ItemRow,
  ItemValueColumn,
  updateItem,
} from './item.sql';

/** The values of an item by column; flags as booleans. Add and Update give all of them. */
export type ItemValues = {
  item_desc: string;
  item_class_id: string;
  uom_id: number;
  num_decimals: number;
  serial_no_lvl: number;
  spare1: string | null;
  spare2: string | null;
  last_edit_comment: string | null;
} & Record<ItemFlag, boolean>;

/** Column filters of GetAll; every given member must match. */
export type ItemFilter = Partial<{ item_class_id: string } & Record<ItemFlag, boolean>>;

/** Items (`item`): readable by every MES user, changed with the edit-master-data privilege. */
@Injectable()
export class ItemService {
  async list(
    call: PlantContext,
    filter: ItemFilter = {},
    maxRows?: number,
  ): Promise<readonly ItemRow[]> {
    const shape: ItemFilterColumn[] = ITEM_FILTER_COLUMNS.filter((c) => filter[c] !== undefined);
    const params: Record<string, unknown> = { maxRows };
    for (const column of shape) {
      const value = filter[column];
      params[column] = typeof value === 'boolean' ? toFlag(value) : value;
    }
    return call.db.all(itemList.get(shape), params);
  }

  async getByKey(call: PlantContext, itemId: string): Promise<ItemRow> {
    const row = await call.db.get(itemByKey, { itemId });
    if (!row) throw MesError.entityNotFound({ item_id: itemId });
    return row;
  }

  async add(call: PlantContext, itemId: string, values: ItemValues): Promise<ItemRow> {
    const duplicate = `An item with item_id "${itemId}" already exists.`;
    if (await call.db.get(itemByKey, { itemId })) throw MesError.businessRule(duplicate);
    return withConstraintMessages(
      () =>
        call.write(async (tx) => {
          await tx.run(
            insertItem,
            writeParams({ item_id: itemId }, this.columns(values), writeStamp(call.userId)),
          );
          return this.mustFind(tx, itemId);
        }),
      { unique: duplicate },
    );
  }

  /** Update: replaces every value. `modId`, when sent, must match the stored one. */
  update(call: PlantContext, itemId: string, values: ItemValues, modId?: string): Promise<ItemRow> {
    return this.updateSpecific(call, itemId, values, modId);
  }

  /** UpdateSpecific: changes only the values given. */
  async updateSpecific(
    call: PlantContext,
    itemId: string,
    values: Partial<ItemValues>,
    modId?: string,
  ): Promise<ItemRow> {
    const row = await this.getByKey(call, itemId);
    assertModIdMatches(modId, row.mod_id, `Item "${itemId}"`);
    const columns = this.columns(values);
    const shape: ItemValueColumn[] = ITEM_VALUE_COLUMNS.filter((c) => columns[c] !== undefined);
    return call.write(async (tx) => {
      await tx.run(
        updateItem.get(shape),
        writeParams(columns, writeStamp(call.userId), {
          item_id: itemId,
        }),
      );
      return this.mustFind(tx, itemId);
    });
  }

  /** Deletes an item no work order or job uses. */
  async delete(call: PlantContext, itemId: string): Promise<void> {
    await this.getByKey(call, itemId);
    const use = await call.db.get(countItemUse, { itemId });
    const orders = Number(use?.orders ?? 0);
    const jobs = Number(use?.jobs ?? 0);
    if (orders + jobs > 0) {
      throw MesError.businessRule(
        `Item "${itemId}" cannot be deleted: it is used by ${orders} work order${orders === 1 ? '' : 's'} and ${jobs} job${jobs === 1 ? '' : 's'}.`,
      );
    }
    await withConstraintMessages(() => call.write((tx) => tx.run(deleteItem, { itemId })), {
      reference: `Item "${itemId}" cannot be deleted: other MES records still refer to it.`,
    });
  }

  private async mustFind(session: PlantContext['db'], itemId: string): Promise<ItemRow> {
    const row = await session.get(itemByKey, { itemId });
    if (!row) throw MesError.entityNotFound({ item_id: itemId });
    return row;
  }

  /** The columns of the values given (undefined members are left out), flags as 1/0. */
  private columns(values: Partial<ItemValues>): Partial<Record<ItemValueColumn, unknown>> {
    const columns: Partial<Record<ItemValueColumn, unknown>> = {};
    for (const column of ITEM_VALUE_COLUMNS) {
      const value = values[column];
      if (value === undefined) continue;
      columns[column] = (ITEM_FLAGS as readonly string[]).includes(column)
        ? toFlag(value as boolean)
        : value;
    }
    return columns;
  }
}
