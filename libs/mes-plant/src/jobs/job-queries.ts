import {
  Brackets,
  EntityManager,
  QueryDeepPartialEntity,
  SelectQueryBuilder,
  UpdateQueryBuilder,
} from 'typeorm';
import { MesError } from '@mes/common';
import { Ent } from '../entities/ent.entity';
import { Job } from '../entities/job.entity';
import { JobExec } from '../entities/job-exec.entity';
import { JobHistory } from '../entities/job-history.entity';
import { jobLabel, JobState } from './job-state';
import { JobFilter, JobKey, JobQueryOptions } from './jobs.interfaces';

/** The WHERE clause of a job by key (column names are the same on SQLite and SQL Server). */
export const JOB_KEY_WHERE = 'wo_id = :woId AND oper_id = :operId AND seq_no = :seqNo';

export function keyParams(key: JobKey): { woId: string; operId: string; seqNo: number } {
  return { woId: key.woId, operId: key.operId, seqNo: key.seqNo };
}

export function findJob(em: EntityManager, key: JobKey): Promise<Job | null> {
  return em.findOneBy(Job, keyParams(key));
}

/** The job, or 404 "The specified entity does not exist". */
export async function requireJob(em: EntityManager, key: JobKey): Promise<Job> {
  const job = await findJob(em, key);
  if (!job) throw jobNotFound(key);
  return job;
}

export function jobNotFound(key: JobKey): MesError {
  return MesError.entityNotFound({ wo_id: key.woId, oper_id: key.operId, seq_no: key.seqNo });
}

/** The entity, or 404; then 404 "no privileges" when the actor's groups have no access to it. */
export async function requireAccessibleEnt(
  em: EntityManager,
  entId: number,
  canAccess: (entId: number) => Promise<boolean>,
): Promise<Ent> {
  const ent = await em.findOneBy(Ent, { entId });
  if (!ent) throw MesError.entityNotFound({ ent_id: entId });
  if (!(await canAccess(entId))) throw MesError.entityAccessDenied({ ent_id: entId });
  return ent;
}

/** The entity a job belongs to for access checks: where it runs or ran, else where it is scheduled. */
export function jobEntId(job: Job): number | null {
  return job.runEntId ?? job.targetEntId ?? null;
}

/** Access to a job = access to its entity; a job with no entity at all is open to every MES user. */
export async function requireJobAccess(
  job: Job,
  canAccess: (entId: number) => Promise<boolean>,
): Promise<void> {
  const entId = jobEntId(job);
  if (entId !== null && !(await canAccess(entId))) {
    throw MesError.entityAccessDenied({ wo_id: job.woId, oper_id: job.operId, seq_no: job.seqNo });
  }
}

export function currentJobOf(exec: JobExec): JobKey | null {
  return exec.curWoId !== null && exec.curOperId !== null && exec.curSeqNo !== null
    ? { woId: exec.curWoId, operId: exec.curOperId, seqNo: exec.curSeqNo }
    : null;
}

export function describeRunning(exec: JobExec): string {
  const cur = currentJobOf(exec);
  return cur ? `job ${jobLabel(cur)} at job position ${exec.jobPos}` : 'no job';
}

/** Appends one job_history row; returns its id. */
export async function addJobHistory(
  em: EntityManager,
  row: Omit<JobHistory, 'jobHistoryId'>,
): Promise<number> {
  const result = await em.insert(JobHistory, row);
  const id = (result.identifiers[0] as { jobHistoryId?: number } | undefined)?.jobHistoryId;
  return Number(id);
}

/** GetByFilter: bound filters, only jobs on accessible entities (or none), key order, max_rows. */
export function jobFilterQuery(
  em: EntityManager,
  filter: JobFilter,
  options: JobQueryOptions,
): SelectQueryBuilder<Job> {
  const qb = em
    .createQueryBuilder(Job, 'job')
    .orderBy('job.wo_id')
    .addOrderBy('job.oper_id')
    .addOrderBy('job.seq_no');
  if (filter.woId !== undefined) qb.andWhere('job.wo_id = :woId', { woId: filter.woId });
  if (filter.operId !== undefined) qb.andWhere('job.oper_id = :operId', { operId: filter.operId });
  if (filter.seqNo !== undefined) qb.andWhere('job.seq_no = :seqNo', { seqNo: filter.seqNo });
  if (filter.stateCd !== undefined) {
    qb.andWhere('job.state_cd = :stateCd', { stateCd: filter.stateCd });
  }
  if (filter.runEntId !== undefined) {
    qb.andWhere('job.run_ent_id = :runEntId', { runEntId: filter.runEntId });
  }
  if (filter.targetEntId !== undefined) {
    qb.andWhere('job.target_ent_id = :targetEntId', { targetEntId: filter.targetEntId });
  }
  if (filter.itemId !== undefined) qb.andWhere('job.item_id = :itemId', { itemId: filter.itemId });
  const ids = [...options.accessibleEntIds];
  qb.andWhere(
    new Brackets((w) => {
      w.where('job.run_ent_id IS NULL AND job.target_ent_id IS NULL');
      if (ids.length > 0) {
        w.orWhere('COALESCE(job.run_ent_id, job.target_ent_id) IN (:...accessibleEntIds)', {
          accessibleEntIds: ids,
        });
      }
    }),
  );
  if (options.maxRows !== undefined) qb.limit(options.maxRows);
  return qb;
}

/** Check-and-set of a state change: only moves the job if it is still in state `from`. */
export function moveJobStateQuery(
  em: EntityManager,
  key: JobKey,
  from: number,
  changes: QueryDeepPartialEntity<Job>,
): UpdateQueryBuilder<Job> {
  return em
    .createQueryBuilder()
    .update(Job)
    .set(changes)
    .where(JOB_KEY_WHERE, keyParams(key))
    .andWhere('state_cd = :from', { from });
}

/** Atomic production increment on a running job (optionally: running on that entity). */
export function addQtyProdQuery(
  em: EntityManager,
  key: JobKey,
  qty: number,
  userId: string,
  now: Date,
  onEntId?: number,
): UpdateQueryBuilder<Job> {
  const qb = em
    .createQueryBuilder()
    .update(Job)
    .set({ qtyProd: () => 'qty_prod + :qty', lastEditBy: userId, lastEditAt: now })
    .where(JOB_KEY_WHERE, keyParams(key))
    .andWhere('state_cd = :running', { running: JobState.Running })
    .setParameter('qty', qty);
  if (onEntId !== undefined) qb.andWhere('run_ent_id = :onEntId', { onEntId });
  return qb;
}

/** Takes a job position only while it is idle (cur_wo_id IS NULL). */
export function claimJobPositionQuery(
  em: EntityManager,
  entId: number,
  jobPos: number,
  key: JobKey,
  userId: string,
  now: Date,
): UpdateQueryBuilder<JobExec> {
  return em
    .createQueryBuilder()
    .update(JobExec)
    .set({
      curWoId: key.woId,
      curOperId: key.operId,
      curSeqNo: key.seqNo,
      curUserId: userId,
      lastEditBy: userId,
      lastEditAt: now,
    })
    .where('ent_id = :entId AND job_pos = :jobPos AND cur_wo_id IS NULL', { entId, jobPos });
}

/** Frees every job position that holds the job. */
export function releaseJobPositionsQuery(
  em: EntityManager,
  key: JobKey,
  userId: string,
  now: Date,
): UpdateQueryBuilder<JobExec> {
  return em
    .createQueryBuilder()
    .update(JobExec)
    .set({
      curWoId: null,
      curOperId: null,
      curSeqNo: null,
      curUserId: null,
      lastEditBy: userId,
      lastEditAt: now,
    })
    .where('cur_wo_id = :woId AND cur_oper_id = :operId AND cur_seq_no = :seqNo', keyParams(key));
}
