import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import { MesError, runInTransaction } from '@mes/common';
import { Ent } from '../entities/ent.entity';
import { JobExec } from '../entities/job-exec.entity';
import {
  addJobHistory,
  addQtyProdQuery,
  currentJobOf,
  findJob,
  jobNotFound,
  requireJob,
  requireJobAccess,
} from './job-queries';
import { jobLabel, JobState, jobStateName } from './job-state';
import {
  JobActor,
  JobKey,
  ProductionByEntInput,
  ProductionByJobInput,
  ProductionRecord,
} from './jobs.interfaces';

/** job_history.event of a production record. */
export const PRODUCTION_EVENT = 'Production';

function notRunning(key: JobKey, state: number): MesError {
  return MesError.businessRule(
    `Job ${jobLabel(key)} is ${jobStateName(state)}; production can only be recorded for a running job.`,
    { state_cd: state },
  );
}

/**
 * Production against running jobs: adds to `job.qty_prod` with an atomic
 * `qty_prod = qty_prod + :qty` (no lost increments under concurrency) and records the amount as a
 * `job_history` row (event `Production`), in one transaction.
 */
@Injectable()
export class ProductionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async recordForJob(input: ProductionByJobInput, actor: JobActor): Promise<ProductionRecord> {
    const job = await requireJob(this.dataSource.manager, input);
    await requireJobAccess(job, (id) => actor.canAccessEntity(id));
    if (job.stateCd !== Number(JobState.Running)) throw notRunning(input, job.stateCd);
    const ent =
      job.runEntId === null
        ? null
        : await this.dataSource.manager.findOneBy(Ent, { entId: job.runEntId });
    return this.add(input, ent, input.qty, input.comment, actor);
  }

  /** Production for the job running on the entity (named by ent_name). */
  async recordForEnt(input: ProductionByEntInput, actor: JobActor): Promise<ProductionRecord> {
    const ent = await this.dataSource.manager.findOneBy(Ent, { entName: input.entName });
    if (!ent) throw MesError.entityNotFound({ ent_name: input.entName });
    if (!(await actor.canAccessEntity(ent.entId)))
      throw MesError.entityAccessDenied({ ent_name: input.entName });
    const running = await this.dataSource.manager.find(JobExec, {
      where: {
        entId: ent.entId,
        curWoId: Not(IsNull()),
        ...(input.jobPos === undefined ? {} : { jobPos: input.jobPos }),
      },
      order: { jobPos: 'ASC' },
    });
    const where = input.jobPos === undefined ? '' : ` at job position ${input.jobPos}`;
    if (running.length === 0) {
      throw MesError.businessRule(`No job is running on entity ${ent.entName}${where}.`, {
        ent_id: ent.entId,
      });
    }
    if (running.length > 1) {
      throw MesError.businessRule(
        `Entity ${ent.entName} is running ${running.length} jobs; give job_pos to choose one.`,
        { ent_id: ent.entId },
      );
    }
    const key = currentJobOf(running[0]);
    if (!key) throw MesError.businessRule(`No job is running on entity ${ent.entName}${where}.`);
    return this.add(key, ent, input.qty, input.comment, actor, ent.entId);
  }

  private add(
    key: JobKey,
    ent: Ent | null,
    qty: number,
    comment: string | undefined,
    actor: JobActor,
    onEntId?: number,
  ): Promise<ProductionRecord> {
    const now = new Date();
    return runInTransaction(this.dataSource, async (em) => {
      const updated = await addQtyProdQuery(em, key, qty, actor.userId, now, onEntId).execute();
      const job = await findJob(em, key);
      if (!job) throw jobNotFound(key);
      if (!updated.affected) {
        if (job.stateCd !== Number(JobState.Running)) throw notRunning(key, job.stateCd);
        throw MesError.businessRule(
          `Job ${jobLabel(key)} no longer runs on entity ${ent?.entName ?? onEntId}; read it again and retry.`,
        );
      }
      const jobHistoryId = await addJobHistory(em, {
        woId: key.woId,
        operId: key.operId,
        seqNo: key.seqNo,
        entId: job.runEntId,
        stateCdBefore: JobState.Running,
        stateCdAfter: JobState.Running,
        event: PRODUCTION_EVENT,
        qty,
        comment: comment ?? null,
        userId: actor.userId,
        eventAt: now,
      });
      return {
        jobHistoryId,
        job,
        ent: ent ? { entId: ent.entId, entName: ent.entName } : null,
        qty,
        userId: actor.userId,
        eventAt: now,
      };
    });
  }
}
