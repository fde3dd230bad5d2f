import { insertInto, limit, sql, SqlType, StatementFamily, T, top } from '@mes-web-api/common';

/** A `wo` row as the API reads it. */
export interface WoRow {
  wo_id: string;
  wo_desc: string | null;
  item_id: string | null;
  process_id: string | null;
  req_qty: number;
  priority: number;
  cust_info: string | null;
  release_time_utc: string | Date | null;
  due_time_utc: string | Date | null;
  notes: string | null;
  last_edit_comment: string | null;
  last_edit_by: string | null;
  last_edit_at: string | Date | null;
  mod_id: string | null;
}

export const WO_COLUMNS =
  'wo_id, wo_desc, item_id, process_id, req_qty, priority, cust_info, release_time_utc, ' +
  'due_time_utc, notes, last_edit_comment, last_edit_by, last_edit_at, mod_id';

const TYPES: Record<string, SqlType> = {
  wo_id: T.nvarchar(40),
  wo_desc: T.nvarchar(80),
  item_id: T.nvarchar(40),
  process_id: T.nvarchar(40),
  req_qty: T.float,
  priority: T.int,
  cust_info: T.nvarchar(80),
  release_time_utc: T.datetime,
  due_time_utc: T.datetime,
  notes: T.nvarchar(1000),
  last_edit_comment: T.nvarchar(1000),
  last_edit_by: T.nvarchar(40),
  last_edit_at: T.datetime,
  mod_id: T.nvarchar(36),
};

export const WO_FILTER_COLUMNS = [
  'wo_id',
  'item_id',
  'process_id',
  'priority',
  'cust_info',
] as const;
export type WoFilterColumn = (typeof WO_FILTER_COLUMNS)[number];

export const woByKey = sql<WoRow, { woId: string }>(
  'wo.byKey',
  `SELECT ${WO_COLUMNS} FROM wo WHERE wo_id = @woId`,
  { woId: T.nvarchar(40) },
);

export const woList = new StatementFamily<WoFilterColumn, Record<string, unknown>, WoRow>((shape) =>
  sql<WoRow, Record<string, unknown>>(
    `wo.list(${shape.join(',')})`,
    (d) =>
      `SELECT ${top(d)}${WO_COLUMNS} FROM wo` +
      (shape.length > 0 ? ` WHERE ${shape.map((c) => `${c} = @${c}`).join(' AND ')}` : '') +
      ` ORDER BY wo_id${limit(d)}`,
    { ...Object.fromEntries(shape.map((c) => [c, TYPES[c]])), maxRows: T.limit },
  ),
);

const INSERT_COLUMNS = Object.keys(TYPES);

export const insertWo = sql<never, Record<string, unknown>>(
  'wo.insert',
  insertInto('wo', INSERT_COLUMNS),
  TYPES,
);

export const itemExists = sql<{ item_id: string }, { itemId: string }>(
  'item.exists',
  'SELECT item_id FROM item WHERE item_id = @itemId',
  { itemId: T.nvarchar(40) },
);
