import {
  callerMayUseEntity,
  callerGroupsTypes,
  groupSourceSuffix,
  insertReturningId,
  limit,
  perGroupSource,
  sql,
  SqlType,
  StatementFamily,
  T,
  top,
} from '@mes-web-api/common';

/** An `ent` row as the API reads it (the MES column names). */
export interface EntRow {
  ent_id: number;
  ent_name: string;
  description: string | null;
  parent_ent_id: number | null;
  can_sched_jobs: number;
  can_run_jobs: number;
  can_capture_util: number;
  can_capture_labor: number;
  can_track_oee: number;
  can_sched_shifts: number;
  can_store: number;
  can_log_data: number;
  can_ship: number;
  can_receive: number;
  spare1: string | null;
  spare2: string | null;
  last_edit_comment: string | null;
  last_edit_by: string | null;
  last_edit_at: string | Date | null;
  mod_id: string | null;
}

/** The capability flag columns of `ent` (1/0). */
export const ENT_FLAGS = [
  'can_sched_jobs',
  'can_run_jobs',
  'can_capture_util',
  'can_capture_labor',
  'can_track_oee',
  'can_sched_shifts',
  'can_store',
  'can_log_data',
  'can_ship',
  'can_receive',
] as const;
export type EntFlag = (typeof ENT_FLAGS)[number];

/** Columns an entity list may be filtered on; every given one must match. */
export type EntFilter = Partial<
  { ent_id: number; ent_name: string; description: string; parent_ent_id: number } & Record<
    EntFlag,
    boolean
  >
>;
export type EntFilterColumn = keyof EntFilter;

const FILTER_TYPES: Record<EntFilterColumn, SqlType> = {
  ent_id: T.int,
  ent_name: T.nvarchar(40),
  description: T.nvarchar(255),
  parent_ent_id: T.int,
  ...Object.fromEntries(ENT_FLAGS.map((flag) => [flag, T.int])),
} as Record<EntFilterColumn, SqlType>;

/** The order filter columns appear in a statement (its shape key). */
export const ENT_FILTER_COLUMNS = Object.keys(FILTER_TYPES) as EntFilterColumn[];

export const ENT_COLUMNS =
  'ent_id, ent_name, description, parent_ent_id, ' +
  ENT_FLAGS.join(', ') +
  ', spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id';

/** The values a write sets (Add and Update replace all of them). */
const WRITE_COLUMNS = [
  'ent_name',
  'description',
  'parent_ent_id',
  ...ENT_FLAGS,
  'spare1',
  'spare2',
  'last_edit_comment',
  'last_edit_by',
  'last_edit_at',
  'mod_id',
] as const;
type WriteColumn = (typeof WRITE_COLUMNS)[number];
type WriteParams = Record<WriteColumn, string | number | Date | null>;
const WRITE_TYPES: Record<WriteColumn, SqlType> = {
  ent_name: T.nvarchar(40),
  description: T.nvarchar(255),
  parent_ent_id: T.int,
  ...Object.fromEntries(ENT_FLAGS.map((flag) => [flag, T.int])),
  spare1: T.nvarchar(80),
  spare2: T.nvarchar(80),
  last_edit_comment: T.nvarchar(1000),
  last_edit_by: T.nvarchar(40),
  last_edit_at: T.datetime,
  mod_id: T.nvarchar(36),
} as Record<WriteColumn, SqlType>;

/** GetByKey: one primary-key seek. */
export const entByKey = sql<EntRow, { entId: number }>(
  'ent.byKey',
  `SELECT ${ENT_COLUMNS} FROM ent WHERE ent_id = @entId`,
  { entId: T.int },
);

export const entIdByName = sql<{ ent_id: number }, { entName: string }>(
  'ent.idByName',
  'SELECT ent_id FROM ent WHERE ent_name = @entName',
  { entName: T.nvarchar(40) },
);

/** Another entity already has the name (`exceptEntId` -1: any). */
export const entNameTaken = sql<{ ent_id: number }, { entName: string; exceptEntId: number }>(
  'ent.nameTaken',
  'SELECT ent_id FROM ent WHERE ent_name = @entName AND ent_id <> @exceptEntId',
  { entName: T.nvarchar(40), exceptEntId: T.int },
);

/** The parent of an entity (cycle check). */
export const entParent = sql<{ parent_ent_id: number | null }, { entId: number }>(
  'ent.parent',
  'SELECT parent_ent_id FROM ent WHERE ent_id = @entId',
  { entId: T.int },
);

/**
 * GetAll / GetByFilter: the entities one of the caller's groups may access (`accss` non-zero),
 * the given filters, by id, at most @maxRows. One statement per group source and set of filters.
 */
export const entList = perGroupSource(
  (source) =>
    new StatementFamily<EntFilterColumn, Record<string, unknown>, EntRow>((shape) =>
      sql<EntRow, Record<string, unknown>>(
        `ent.list${groupSourceSuffix(source)}(${shape.join(',')})`,
        (d) =>
          `SELECT ${top(d)}${ENT_COLUMNS} FROM ent e
            WHERE ${callerMayUseEntity(d, source, 'e.ent_id')}` +
          shape.map((column) => ` AND e.${column} = @${column}`).join('') +
          ` ORDER BY e.ent_id${limit(d)}`,
        {
          ...callerGroupsTypes(source),
          ...Object.fromEntries(shape.map((column) => [column, FILTER_TYPES[column]])),
          maxRows: T.limit,
        },
      ),
    ),
);

export const insertEnt = sql<{ id: number }, WriteParams>(
  'ent.insert',
  (d) => insertReturningId(d, 'ent', WRITE_COLUMNS, 'ent_id'),
  WRITE_TYPES,
);

export const updateEnt = sql<never, WriteParams & { entId: number }>(
  'ent.update',
  `UPDATE ent SET ${WRITE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE ent_id = @entId`,
  { ...WRITE_TYPES, entId: T.int },
);

export const deleteEnt = sql<never, { entId: number }>(
  'ent.delete',
  'DELETE FROM ent WHERE ent_id = @entId',
  { entId: T.int },
);

export const countChildren = sql<{ n: number }, { entId: number }>(
  'ent.countChildren',
  'SELECT COUNT(*) AS n FROM ent WHERE parent_ent_id = @entId',
  { entId: T.int },
);

export const countJobsOnEnt = sql<{ n: number }, { entId: number }>(
  'job.countOnEnt',
  'SELECT COUNT(*) AS n FROM job WHERE target_ent_id = @entId OR run_ent_id = @entId',
  { entId: T.int },
);

export const countShiftsOnEnt = sql<{ n: number }, { entId: number }>(
  'shift_sched.countOnEnt',
  'SELECT COUNT(*) AS n FROM shift_sched WHERE ent_id = @entId',
  { entId: T.int },
);

/** The groups that may use an entity (new children inherit them). */
export const groupsWithAccess = sql<{ grp_id: number }, { entId: number }>(
  'grp_ent_link.groupsWithAccess',
  'SELECT grp_id FROM grp_ent_link WHERE ent_id = @entId AND accss <> 0 ORDER BY grp_id',
  { entId: T.int },
);

export const grantAccess = sql<
  never,
  { grpId: number; entId: number; lastEditBy: string; lastEditAt: Date }
>(
  'grp_ent_link.grant',
  `INSERT INTO grp_ent_link (grp_id, ent_id, accss, last_edit_by, last_edit_at)
   VALUES (@grpId, @entId, 1, @lastEditBy, @lastEditAt)`,
  { grpId: T.int, entId: T.int, lastEditBy: T.nvarchar(40), lastEditAt: T.datetime },
);

export const deleteEntLinks = sql<never, { entId: number }>(
  'grp_ent_link.deleteForEnt',
  'DELETE FROM grp_ent_link WHERE ent_id = @entId',
  { entId: T.int },
);

export const deleteJobPositions = sql<never, { entId: number }>(
  'job_exec.deleteForEnt',
  'DELETE FROM job_exec WHERE ent_id = @entId',
  { entId: T.int },
);
