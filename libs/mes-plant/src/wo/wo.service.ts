import { Injectable } from '@nestjs/common';
import { MesError } from '@mes-web-api/common';
import { withConstraintMessages } from '../shared/constraint-error';
import { writeParams, writeStamp } from '../shared/master-data';
import { PlantContext } from '../shared/plant-context';
import {
  insertWo,
  itemExists,
  WO_FILTER_COLUMNS,
  woByKey,
  WoFilterColumn,
  woList,
  WoRow,
} from './wo.sql';

/** The values of a new work order (by column). */
export interface WoValues {
  wo_id: string;
  wo_desc: string | null;
  item_id: string;
  process_id: string | null;
  req_qty: number;
  priority: number;
  cust_info: string | null;
  release_time_utc: Date | null;
  due_time_utc: Date | null;
  notes: string | null;
  last_edit_comment: string | null;
}

/** Column filters of GetAll / GetByFilter; every given member must match. */
export type WoFilter = Partial<Pick<WoRow, WoFilterColumn>>;

/** Work orders (`wo`): readable by every MES user, added with the edit-master-data privilege. */
@Injectable()
export class WoService {
  async list(
    call: PlantContext,
    filter: WoFilter = {},
    maxRows?: number,
  ): Promise<readonly WoRow[]> {
    const shape = WO_FILTER_COLUMNS.filter((c) => filter[c] !== undefined && filter[c] !== null);
    const params: Record<string, unknown> = { maxRows };
    for (const column of shape) params[column] = filter[column];
    return call.db.all(woList.get(shape), params);
  }

  async getByKey(call: PlantContext, woId: string): Promise<WoRow> {
    const row = await call.db.get(woByKey, { woId });
    if (!row) throw MesError.entityNotFound({ wo_id: woId });
    return row;
  }

  async add(call: PlantContext, values: WoValues): Promise<WoRow> {
    const duplicate = `A work order with wo_id "${values.wo_id}" already exists.`;
    if (await call.db.get(woByKey, { woId: values.wo_id })) throw MesError.businessRule(duplicate);
    if (!(await call.db.get(itemExists, { itemId: values.item_id }))) {
      throw MesError.businessRule(`Item "${values.item_id}" does not exist.`);
    }
    if (
      values.release_time_utc !== null &&
      values.due_time_utc !== null &&
      values.due_time_utc.getTime() < values.release_time_utc.getTime()
    ) {
      throw MesError.validation('due_time_utc must not be before release_time_utc.', [
        'due_time_utc must not be before release_time_utc',
      ]);
    }
    return withConstraintMessages(
      () =>
        call.write(async (tx) => {
          await tx.run(insertWo, writeParams(values, writeStamp(call.userId)));
          const row = await tx.get(woByKey, { woId: values.wo_id });
          if (!row) throw MesError.entityNotFound({ wo_id: values.wo_id });
          return row;
        }),
      { unique: duplicate, reference: `Item "${values.item_id}" does not exist.` },
    );
  }
}
