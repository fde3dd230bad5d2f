import { insertInto, limit, sql, SqlType, StatementFamily, T, top } from '@mes-web-api/common';

/** An `item` row as the API reads it. */
export interface ItemRow {
  item_id: string;
  item_desc: string | null;
  item_class_id: string | null;
  uom_id: number | null;
  template: number;
  obsolete: number;
  purchased: number;
  sold: number;
  produced: number;
  num_decimals: number;
  must_complete_steps: number;
  must_prod__reqd_qty: number;
  auto_re_order: number;
  serial_no_lvl: number;
  inv_unique_by_job: number;
  spare1: string | null;
  spare2: string | null;
  last_edit_comment: string | null;
  last_edit_by: string | null;
  last_edit_at: string | Date | null;
  mod_id: string | null;
}

/** The 1/0 flag columns of `item`. */
export const ITEM_FLAGS = [
  'template',
  'obsolete',
  'purchased',
  'sold',
  'produced',
  'must_complete_steps',
  'must_prod__reqd_qty',
  'auto_re_order',
  'inv_unique_by_job',
] as const;
export type ItemFlag = (typeof ITEM_FLAGS)[number];

/** Every column a write may set (besides the key and the stamp). */
export const ITEM_VALUE_COLUMNS = [
  'item_desc',
  'item_class_id',
  'uom_id',
  ...ITEM_FLAGS,
  'num_decimals',
  'serial_no_lvl',
  'spare1',
  'spare2',
  'last_edit_comment',
] as const;
export type ItemValueColumn = (typeof ITEM_VALUE_COLUMNS)[number];

const TYPES: Record<string, SqlType> = {
  item_id: T.nvarchar(40),
  item_desc: T.nvarchar(80),
  item_class_id: T.nvarchar(40),
  uom_id: T.int,
  ...Object.fromEntries(ITEM_FLAGS.map((f) => [f, T.int])),
  num_decimals: T.int,
  serial_no_lvl: T.int,
  spare1: T.nvarchar(80),
  spare2: T.nvarchar(80),
  last_edit_comment: T.nvarchar(1000),
  last_edit_by: T.nvarchar(40),
  last_edit_at: T.datetime,
  mod_id: T.nvarchar(36),
};
const typesOf = (columns: readonly string[]): Record<string, SqlType> =>
  Object.fromEntries(columns.map((c) => [c, TYPES[c]]));

export const ITEM_COLUMNS =
  'item_id, item_desc, item_class_id, uom_id, template, obsolete, purchased, sold, produced, ' +
  'num_decimals, must_complete_steps, must_prod__reqd_qty, auto_re_order, serial_no_lvl, ' +
  'inv_unique_by_job, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id';

export const itemByKey = sql<ItemRow, { itemId: string }>(
  'item.byKey',
  `SELECT ${ITEM_COLUMNS} FROM item WHERE item_id = @itemId`,
  { itemId: T.nvarchar(40) },
);

/** Columns GetAll may filter on. */
export const ITEM_FILTER_COLUMNS = ['item_class_id', ...ITEM_FLAGS] as const;
export type ItemFilterColumn = (typeof ITEM_FILTER_COLUMNS)[number];

export const itemList = new StatementFamily<ItemFilterColumn, Record<string, unknown>, ItemRow>(
  (shape) =>
    sql<ItemRow, Record<string, unknown>>(
      `item.list(${shape.join(',')})`,
      (d) =>
        `SELECT ${top(d)}${ITEM_COLUMNS} FROM item` +
        (shape.length > 0 ? ` WHERE ${shape.map((c) => `${c} = @${c}`).join(' AND ')}` : '') +
        ` ORDER BY item_id${limit(d)}`,
      { ...typesOf(shape), maxRows: T.limit },
    ),
);

const STAMP = ['last_edit_by', 'last_edit_at', 'mod_id'] as const;

export const insertItem = sql<never, Record<string, unknown>>(
  'item.insert',
  insertInto('item', ['item_id', ...ITEM_VALUE_COLUMNS, ...STAMP]),
  typesOf(['item_id', ...ITEM_VALUE_COLUMNS, ...STAMP]),
);

/** UpdateSpecific: one statement per set of columns sent. */
export const updateItem = new StatementFamily<ItemValueColumn, Record<string, unknown>, never>(
  (shape) => {
    const columns = [...shape, ...STAMP];
    return sql<never, Record<string, unknown>>(
      `item.update(${shape.join(',')})`,
      `UPDATE item SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE item_id = @item_id`,
      typesOf(['item_id', ...columns]),
    );
  },
);

export const deleteItem = sql<never, { itemId: string }>(
  'item.delete',
  'DELETE FROM item WHERE item_id = @itemId',
  { itemId: T.nvarchar(40) },
);

export const countItemUse = sql<{ orders: number; jobs: number }, { itemId: string }>(
  'item.countUse',
  `SELECT (SELECT COUNT(*) FROM wo WHERE item_id = @itemId) AS orders,
          (SELECT COUNT(*) FROM job WHERE item_id = @itemId) AS jobs`,
  { itemId: T.nvarchar(40) },
);
