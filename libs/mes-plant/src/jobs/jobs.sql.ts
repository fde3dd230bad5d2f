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

/** A `job` row as the API reads it. */
export interface JobRow {
  wo_id: string;
  oper_id: string;
  seq_no: number;
  job_desc: string | null;
  item_id: string | null;
  state_cd: number;
  job_priority: number;
  req_qty: number;
  qty_prod: number;
  qty_reject: number;
  target_ent_id: number | null;
  run_ent_id: number | null;
  target_sched_start_time_utc: string | Date | null;
  act_start_time_utc: string | Date | null;
  act_finish_time_utc: string | Date | null;
  spare1: string | null;
  last_edit_comment: string | null;
  last_edit_by: string | null;
  last_edit_at: string | Date | null;
  mod_id: string | null;
}

/** A `job_exec` row: one job position of an entity and the job it runs. */
export interface JobExecRow {
  ent_id: number;
  job_pos: number;
  cur_wo_id: string | null;
  cur_oper_id: string | null;
  cur_seq_no: number | null;
}

export const JOB_COLUMNS =
  'wo_id, oper_id, seq_no, job_desc, item_id, state_cd, job_priority, req_qty, qty_prod, ' +
  'qty_reject, target_ent_id, run_ent_id, target_sched_start_time_utc, act_start_time_utc, ' +
  'act_finish_time_utc, spare1, last_edit_comment, last_edit_by, last_edit_at, mod_id';

const KEY = { woId: T.nvarchar(40), operId: T.nvarchar(40), seqNo: T.int };
type Key = { woId: string; operId: string; seqNo: number };
const KEY_WHERE = 'wo_id = @woId AND oper_id = @operId AND seq_no = @seqNo';

export const jobByKey = sql<JobRow, Key>(
  'job.byKey',
  `SELECT ${JOB_COLUMNS} FROM job WHERE ${KEY_WHERE}`,
  KEY,
);

/** What a state change reads of a job before it moves it: its key, state, entities and count. */
export type JobStateRow = Pick<
  JobRow,
  'wo_id' | 'oper_id' | 'seq_no' | 'state_cd' | 'target_ent_id' | 'run_ent_id' | 'qty_prod'
>;

/** The job's state, entities and count only: a change answers the row its UPDATE returns. */
export const jobStateByKey = sql<JobStateRow, Key>(
  'job.stateByKey',
  `SELECT wo_id, oper_id, seq_no, state_cd, target_ent_id, run_ent_id, qty_prod FROM job WHERE ${KEY_WHERE}`,
  KEY,
);

/** Filters of Job.GetByFilter, by column. */
export const JOB_FILTER_COLUMNS = [
  'wo_id',
  'oper_id',
  'seq_no',
  'state_cd',
  'run_ent_id',
  'target_ent_id',
  'item_id',
] as const;
export type JobFilterColumn = (typeof JOB_FILTER_COLUMNS)[number];
const FILTER_TYPES: Record<JobFilterColumn, SqlType> = {
  wo_id: T.nvarchar(40),
  oper_id: T.nvarchar(40),
  seq_no: T.int,
  state_cd: T.int,
  run_ent_id: T.int,
  target_ent_id: T.int,
  item_id: T.nvarchar(40),
};

/**
 * GetByFilter: the given filters, only jobs whose entity (run_ent_id, else target_ent_id) one of
 * the caller's groups may use, or jobs with no entity; key order, at most @maxRows.
 */
export const jobList = perGroupSource(
  (source) =>
    new StatementFamily<JobFilterColumn, Record<string, unknown>, JobRow>((shape) =>
      sql<JobRow, Record<string, unknown>>(
        `job.list${groupSourceSuffix(source)}(${shape.join(',')})`,
        (d) =>
          `SELECT ${top(d)}${JOB_COLUMNS} FROM job j
            WHERE (COALESCE(j.run_ent_id, j.target_ent_id) IS NULL
                   OR ${callerMayUseEntity(d, source, 'COALESCE(j.run_ent_id, j.target_ent_id)')})` +
          shape.map((c) => ` AND j.${c} = @${c}`).join('') +
          ` ORDER BY j.wo_id, j.oper_id, j.seq_no${limit(d)}`,
        {
          ...callerGroupsTypes(source),
          ...Object.fromEntries(shape.map((c) => [c, FILTER_TYPES[c]])),
          maxRows: T.limit,
        },
      ),
    ),
);

/**
 * A state change as a check-and-set: only moves the job if it is still in state @fromState, and
 * answers the job as it is now; no row when nothing matched. Null values keep the column: a
 * comment only when given; run_ent_id when starting; act_start_time_utc only the first time;
 * act_finish_time_utc when completing. SQL Server: as `addQtyProd` (OUTPUT INTO a table
 * variable, which works on a table with triggers, and a SELECT in the same batch).
 */
export const moveJobState = sql<
  JobRow,
  Key & {
    fromState: number;
    toState: number;
    comment: string | null;
    runEntId: number | null;
    actStart: Date | null;
    actFinish: Date | null;
    lastEditBy: string;
    lastEditAt: Date;
  }
>(
  'job.moveState',
  (d) => {
    const update = `UPDATE job SET state_cd = @toState, last_edit_by = @lastEditBy, last_edit_at = @lastEditAt,
          last_edit_comment = COALESCE(@comment, last_edit_comment),
          run_ent_id = COALESCE(@runEntId, run_ent_id),
          act_start_time_utc = COALESCE(act_start_time_utc, @actStart),
          act_finish_time_utc = COALESCE(@actFinish, act_finish_time_utc)`;
    const where = `WHERE ${KEY_WHERE} AND state_cd = @fromState`;
    return d === 'mssql'
      ? `DECLARE @changed TABLE (n int);\n${update}\n    OUTPUT 1 INTO @changed\n    ${where};\n` +
          `IF EXISTS (SELECT 1 FROM @changed) SELECT ${JOB_COLUMNS} FROM job WHERE ${KEY_WHERE}`
      : `${update}\n    ${where}\n    RETURNING ${JOB_COLUMNS}`;
  },
  {
    ...KEY,
    fromState: T.int,
    toState: T.int,
    comment: T.nvarchar(1000),
    runEntId: T.int,
    actStart: T.datetime,
    actFinish: T.datetime,
    lastEditBy: T.nvarchar(40),
    lastEditAt: T.datetime,
  },
);

/** Adds to qty_prod of a running job, atomically (`qty_prod + @qty`); on one entity when given. */
/**
 * Adds to a Running job's qty_prod (check-and-set on its state, and on its entity when
 * @onEntId is given) and answers the job as it is now; no row when nothing matched. SQL Server:
 * the UPDATE notes the change in a table variable (a plain OUTPUT clause fails on a table with
 * triggers) and a SELECT in the same batch reads the job.
 */
export const addQtyProd = sql<
  JobRow,
  Key & { qty: number; onEntId: number | null; lastEditBy: string; lastEditAt: Date }
>(
  'job.addQtyProd',
  (d) => {
    const set = `UPDATE job SET qty_prod = qty_prod + @qty, last_edit_by = @lastEditBy, last_edit_at = @lastEditAt`;
    const where = `WHERE ${KEY_WHERE} AND state_cd = 3 AND (@onEntId IS NULL OR run_ent_id = @onEntId)`;
    return d === 'mssql'
      ? `DECLARE @changed TABLE (n int);\n${set}\n    OUTPUT 1 INTO @changed\n    ${where};\n` +
          `IF EXISTS (SELECT 1 FROM @changed) SELECT ${JOB_COLUMNS} FROM job WHERE ${KEY_WHERE}`
      : `${set}\n    ${where}\n    RETURNING ${JOB_COLUMNS}`;
  },
  { ...KEY, qty: T.float, onEntId: T.int, lastEditBy: T.nvarchar(40), lastEditAt: T.datetime },
);

const EXEC_COLUMNS = 'ent_id, job_pos, cur_wo_id, cur_oper_id, cur_seq_no';

/** The job positions of an entity. */
export const positionsOfEnt = sql<JobExecRow, { entId: number }>(
  'job_exec.ofEnt',
  `SELECT ${EXEC_COLUMNS} FROM job_exec WHERE ent_id = @entId ORDER BY job_pos`,
  { entId: T.int },
);

/** The positions of an entity that run a job (one position when @jobPos is given). */
export const runningPositions = sql<JobExecRow, { entId: number; jobPos: number | null }>(
  'job_exec.running',
  `SELECT ${EXEC_COLUMNS} FROM job_exec
    WHERE ent_id = @entId AND cur_wo_id IS NOT NULL AND (@jobPos IS NULL OR job_pos = @jobPos)
    ORDER BY job_pos`,
  { entId: T.int, jobPos: T.int },
);

/** Takes a job position only while it is idle (cur_wo_id IS NULL). */
export const claimPosition = sql<
  never,
  Key & { entId: number; jobPos: number; userId: string; lastEditAt: Date }
>(
  'job_exec.claim',
  `UPDATE job_exec SET cur_wo_id = @woId, cur_oper_id = @operId, cur_seq_no = @seqNo,
          cur_user_id = @userId, last_edit_by = @userId, last_edit_at = @lastEditAt
    WHERE ent_id = @entId AND job_pos = @jobPos AND cur_wo_id IS NULL`,
  { ...KEY, entId: T.int, jobPos: T.int, userId: T.nvarchar(40), lastEditAt: T.datetime },
);

/** Frees every job position that holds the job. */
export const releasePositions = sql<never, Key & { userId: string; lastEditAt: Date }>(
  'job_exec.release',
  `UPDATE job_exec SET cur_wo_id = NULL, cur_oper_id = NULL, cur_seq_no = NULL, cur_user_id = NULL,
          last_edit_by = @userId, last_edit_at = @lastEditAt
    WHERE cur_wo_id = @woId AND cur_oper_id = @operId AND cur_seq_no = @seqNo`,
  { ...KEY, userId: T.nvarchar(40), lastEditAt: T.datetime },
);

const HISTORY_COLUMNS = [
  'wo_id',
  'oper_id',
  'seq_no',
  'ent_id',
  'state_cd_before',
  'state_cd_after',
  'event',
  'qty',
  'comment',
  'user_id',
  'event_at',
] as const;

/** Appends one job_history row; answers its id. */
export const insertJobHistory = sql<
  { id: number },
  {
    wo_id: string;
    oper_id: string;
    seq_no: number;
    ent_id: number | null;
    state_cd_before: number;
    state_cd_after: number;
    event: string;
    qty: number | null;
    comment: string | null;
    user_id: string;
    event_at: Date;
  }
>(
  'job_history.insert',
  (d) => insertReturningId(d, 'job_history', HISTORY_COLUMNS, 'job_history_id'),
  {
    wo_id: T.nvarchar(40),
    oper_id: T.nvarchar(40),
    seq_no: T.int,
    ent_id: T.int,
    state_cd_before: T.int,
    state_cd_after: T.int,
    event: T.nvarchar(40),
    qty: T.float,
    comment: T.nvarchar(1000),
    user_id: T.nvarchar(40),
    event_at: T.datetime,
  },
);

/** An entity by name (production on an entity). */
export const entByName = sql<
  { ent_id: number; ent_name: string; can_run_jobs: number },
  { entName: string }
>('ent.byName', 'SELECT ent_id, ent_name, can_run_jobs FROM ent WHERE ent_name = @entName', {
  entName: T.nvarchar(40),
});

/** What a job needs of an entity (start, access). */
export const entForJobs = sql<
  { ent_id: number; ent_name: string; can_run_jobs: number },
  { entId: number }
>('ent.forJobs', 'SELECT ent_id, ent_name, can_run_jobs FROM ent WHERE ent_id = @entId', {
  entId: T.int,
});
