import {
  callerMayUseEntity,
  callerGroupsTypes,
  groupSourceSuffix,
  insertInto,
  insertReturningId,
  limit,
  perGroupSource,
  sql,
  SqlType,
  StatementFamily,
  T,
  top,
} from '@mes-web-api/common';

/** A `shift_sched` row. */
export interface ShiftSchedRow {
  shift_sched_id: number;
  ent_id: number;
  pattern_id: number | null;
  shift_id: number;
  shift_name: string;
  start_offset_min: number;
  duration_min: number;
  days_mask: number;
  last_edit_comment: string | null;
  last_edit_by: string | null;
  last_edit_at: string | Date | null;
}

/** A `shift_pattern` row. */
export interface ShiftPatternRow {
  pattern_id: number;
  pattern_name: string;
  pattern_desc: string | null;
  last_edit_comment: string | null;
  last_edit_by: string | null;
  last_edit_at: string | Date | null;
}

const SCHED_COLUMNS =
  'shift_sched_id, ent_id, pattern_id, shift_id, shift_name, start_offset_min, duration_min, ' +
  'days_mask, last_edit_comment, last_edit_by, last_edit_at';
const SCHED_VALUES = [
  'ent_id',
  'pattern_id',
  'shift_id',
  'shift_name',
  'start_offset_min',
  'duration_min',
  'days_mask',
  'last_edit_comment',
  'last_edit_by',
  'last_edit_at',
] as const;
const SCHED_TYPES: Record<(typeof SCHED_VALUES)[number], SqlType> = {
  ent_id: T.int,
  pattern_id: T.int,
  shift_id: T.int,
  shift_name: T.nvarchar(40),
  start_offset_min: T.int,
  duration_min: T.int,
  days_mask: T.int,
  last_edit_comment: T.nvarchar(1000),
  last_edit_by: T.nvarchar(40),
  last_edit_at: T.datetime,
};
type SchedValues = Record<(typeof SCHED_VALUES)[number], unknown>;

export const shiftSchedByKey = sql<ShiftSchedRow, { shiftSchedId: number }>(
  'shift_sched.byKey',
  `SELECT ${SCHED_COLUMNS} FROM shift_sched WHERE shift_sched_id = @shiftSchedId`,
  { shiftSchedId: T.int },
);

export type ShiftSchedFilterColumn = 'ent_id' | 'pattern_id';

/** GetAll: the schedules on entities one of the caller's groups may access, filtered, by id. */
export const shiftSchedList = perGroupSource(
  (source) =>
    new StatementFamily<ShiftSchedFilterColumn, Record<string, unknown>, ShiftSchedRow>((shape) =>
      sql<ShiftSchedRow, Record<string, unknown>>(
        `shift_sched.list${groupSourceSuffix(source)}(${shape.join(',')})`,
        (d) =>
          `SELECT ${top(d)}${SCHED_COLUMNS} FROM shift_sched s
            WHERE ${callerMayUseEntity(d, source, 's.ent_id')}` +
          shape.map((c) => ` AND s.${c} = @${c}`).join('') +
          ` ORDER BY s.shift_sched_id${limit(d)}`,
        {
          ...callerGroupsTypes(source),
          ...Object.fromEntries(shape.map((c) => [c, T.int])),
          maxRows: T.limit,
        },
      ),
    ),
);

/** Another schedule of the entity has the shift id (`exceptId` -1: any). */
export const shiftIdTaken = sql<
  { shift_sched_id: number },
  { entId: number; shiftId: number; exceptId: number }
>(
  'shift_sched.shiftIdTaken',
  `SELECT shift_sched_id FROM shift_sched
    WHERE ent_id = @entId AND shift_id = @shiftId AND shift_sched_id <> @exceptId`,
  { entId: T.int, shiftId: T.int, exceptId: T.int },
);

export const insertShiftSched = sql<{ id: number }, SchedValues>(
  'shift_sched.insert',
  (d) => insertReturningId(d, 'shift_sched', SCHED_VALUES, 'shift_sched_id'),
  SCHED_TYPES,
);

export const updateShiftSched = sql<never, SchedValues & { shiftSchedId: number }>(
  'shift_sched.update',
  `UPDATE shift_sched SET ${SCHED_VALUES.map((c) => `${c} = @${c}`).join(', ')}
    WHERE shift_sched_id = @shiftSchedId`,
  { ...SCHED_TYPES, shiftSchedId: T.int },
);

export const deleteShiftSched = sql<never, { shiftSchedId: number }>(
  'shift_sched.delete',
  'DELETE FROM shift_sched WHERE shift_sched_id = @shiftSchedId',
  { shiftSchedId: T.int },
);

export const entForShifts = sql<
  { ent_id: number; ent_name: string; can_sched_shifts: number },
  { entId: number }
>('ent.forShifts', 'SELECT ent_id, ent_name, can_sched_shifts FROM ent WHERE ent_id = @entId', {
  entId: T.int,
});

const PATTERN_COLUMNS =
  'pattern_id, pattern_name, pattern_desc, last_edit_comment, last_edit_by, last_edit_at';
const PATTERN_TYPES: Record<string, SqlType> = {
  pattern_id: T.int,
  pattern_name: T.nvarchar(40),
  pattern_desc: T.nvarchar(255),
  last_edit_comment: T.nvarchar(1000),
  last_edit_by: T.nvarchar(40),
  last_edit_at: T.datetime,
};

export const shiftPatternByKey = sql<ShiftPatternRow, { patternId: number }>(
  'shift_pattern.byKey',
  `SELECT ${PATTERN_COLUMNS} FROM shift_pattern WHERE pattern_id = @patternId`,
  { patternId: T.int },
);

export const shiftPatternList = sql<ShiftPatternRow, { maxRows: number | undefined }>(
  'shift_pattern.list',
  (d) => `SELECT ${top(d)}${PATTERN_COLUMNS} FROM shift_pattern ORDER BY pattern_id${limit(d)}`,
  { maxRows: T.limit },
);

/** Another pattern has the name (`exceptId` -1: any). */
export const patternNameTaken = sql<
  { pattern_id: number },
  { patternName: string; exceptId: number }
>(
  'shift_pattern.nameTaken',
  'SELECT pattern_id FROM shift_pattern WHERE pattern_name = @patternName AND pattern_id <> @exceptId',
  { patternName: T.nvarchar(40), exceptId: T.int },
);

export const nextPatternId = sql<{ next_id: number }>(
  'shift_pattern.nextId',
  'SELECT COALESCE(MAX(pattern_id), 0) + 1 AS next_id FROM shift_pattern',
);

export const insertShiftPattern = sql<never, Record<string, unknown>>(
  'shift_pattern.insert',
  insertInto('shift_pattern', Object.keys(PATTERN_TYPES)),
  PATTERN_TYPES,
);

export const updateShiftPattern = sql<never, Record<string, unknown>>(
  'shift_pattern.update',
  `UPDATE shift_pattern SET pattern_name = @pattern_name, pattern_desc = @pattern_desc,
          last_edit_comment = @last_edit_comment, last_edit_by = @last_edit_by, last_edit_at = @last_edit_at
    WHERE pattern_id = @pattern_id`,
  PATTERN_TYPES,
);
