import { sql, T } from '@mes-web-api/common';

/** A `system_attr` row as read here. */
export interface SystemAttrRow {
  attr_id: number;
  attr_desc: string;
  attr_value: string | null;
  grp_id: number | null;
  attr_seq: number | null;
  edit_type: number | null;
  last_edit_by: string | null;
  last_edit_at: string | Date | null;
}

const ATTR_COLUMNS =
  'attr_id, attr_desc, attr_value, grp_id, attr_seq, edit_type, last_edit_by, last_edit_at';

export const systemAttrById = sql<SystemAttrRow, { attrId: number }>(
  'system_attr.byId',
  `SELECT ${ATTR_COLUMNS} FROM system_attr WHERE attr_id = @attrId`,
  { attrId: T.int },
);

export const systemAttrsList = sql<SystemAttrRow>(
  'system_attr.list',
  `SELECT ${ATTR_COLUMNS} FROM system_attr ORDER BY attr_id`,
);

/** Sets the value and stamps who changed it and when (UTC). */
export const setSystemAttr = sql<
  never,
  { attrId: number; value: string; lastEditBy: string; lastEditAt: Date }
>(
  'system_attr.set',
  `UPDATE system_attr SET attr_value = @value, last_edit_by = @lastEditBy, last_edit_at = @lastEditAt
    WHERE attr_id = @attrId`,
  { attrId: T.int, value: T.nvarchar(80), lastEditBy: T.nvarchar(40), lastEditAt: T.datetime },
);
