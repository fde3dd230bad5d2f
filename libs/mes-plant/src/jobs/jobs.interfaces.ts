import type { JobRow } from './jobs.sql';
import type { JobState } from './job-state';

/** The key of a `job` row. */
export interface JobKey {
  woId: string;
  operId: string;
  seqNo: number;
}

export interface StartJobInput extends JobKey {
  /** The entity whose job position runs the job. */
  entId: number;
  /** The entity stored as the job's run_ent_id; must be entId. */
  runEntId: number;
  /** A job position of entId; default: its first idle position. */
  jobPos?: number;
  comment?: string;
}

/**
 * End (and Pause): the job by its key, or, without one, the job running on `entId` at `jobPos`
 * (default position 0), as the MES Web API documents for End.
 */
export interface EndJobInput {
  key?: JobKey;
  /** The entity the job runs on (run_ent_id); when given with a key, it must be the job's entity. */
  entId?: number;
  jobPos?: number;
  comment?: string;
}

export interface PauseJobInput extends EndJobInput {
  stateCd: JobState.Suspended | JobState.OnHold;
}

export interface ChangeJobStateInput extends JobKey {
  stateCd: number;
  /** Required when the target is Running (the entity to run it on); else must match the job's entity. */
  entId?: number;
  jobPos?: number;
  comment?: string;
  /** Stored in job.job_priority when given. */
  jobPriority?: number;
}

/** The result of a state change: the job as it now is, and the job_exec/job_history it touched. */
export interface JobChange extends JobRow {
  state_cd_before: number;
  /** The entity and job position running the job now (null when it no longer runs). */
  ent_id: number | null;
  job_pos: number | null;
  job_history_id: number;
}

export type JobFilter = Partial<
  Pick<
    JobRow,
    'wo_id' | 'oper_id' | 'seq_no' | 'state_cd' | 'run_ent_id' | 'target_ent_id' | 'item_id'
  >
>;

export interface ProductionByJobInput extends JobKey {
  qty: number;
  comment?: string;
}

export interface ProductionByEntInput {
  entName: string;
  qty: number;
  /** Needed only when the entity runs several jobs at once. */
  jobPos?: number;
  comment?: string;
}

/** A recorded production (a `job_history` row with event `Production`) and the job after it. */
export interface ProductionRecord {
  job_history_id: number;
  wo_id: string;
  oper_id: string;
  seq_no: number;
  ent_id: number | null;
  ent_name: string | null;
  /** The quantity this call recorded. */
  qty_prod: number;
  /** The job's qty_prod after it. */
  job_qty_prod: number;
  user_id: string;
  event_at: Date;
  job: JobRow;
}
