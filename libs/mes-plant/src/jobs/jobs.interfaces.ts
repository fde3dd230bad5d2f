import { Ent } from '../entities/ent.entity';
import { Job } from '../entities/job.entity';
import { JobState } from './job-state';

/** The key of a `job` row. */
export interface JobKey {
  woId: string;
  operId: string;
  seqNo: number;
}

/** Who acts: the MES user to stamp, and how to ask whether that user may use an entity. */
export interface JobActor {
  userId: string;
  canAccessEntity(entId: number): Promise<boolean>;
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

export interface EndJobInput extends JobKey {
  /** When given, must be the entity the job runs on. */
  entId?: number;
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
}

/** The result of a state change: the job as it now is, and the job_exec/job_history it touched. */
export interface JobChange {
  job: Job;
  stateCdBefore: number;
  /** The entity and job position running the job now (null when it no longer runs). */
  entId: number | null;
  jobPos: number | null;
  jobHistoryId: number;
}

export interface JobFilter {
  woId?: string;
  operId?: string;
  seqNo?: number;
  stateCd?: number;
  runEntId?: number;
  targetEntId?: number;
  itemId?: string;
}

export interface JobQueryOptions {
  maxRows?: number;
  /** Only jobs whose entity (run_ent_id, else target_ent_id) is in this set, plus jobs with none. */
  accessibleEntIds: ReadonlySet<number>;
}

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
  jobHistoryId: number;
  job: Job;
  ent: Pick<Ent, 'entId' | 'entName'> | null;
  qty: number;
  userId: string;
  eventAt: Date;
}
