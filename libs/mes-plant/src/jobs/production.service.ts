import { Injectable } from '@nestjs/common';
import { DbWrite, MaybePromise, MesError } from '@mes-web-api/common';
import { EntityAccessService } from '../access/entity-access.service';
import { stampTime } from '../shared/master-data';
import { PlantContext } from '../shared/plant-context';
import { jobLabel, JobState, jobStateName } from './job-state';
import {
  JobKey,
  ProductionByEntInput,
  ProductionByJobInput,
  ProductionRecord,
} from './jobs.interfaces';
import { currentJobOf, JobsService, jobNotFound } from './jobs.service';
import {
  addQtyProd,
  entByName,
  entForJobs,
  insertJobHistory,
  jobByKey,
  JobRow,
  runningPositions,
} from './jobs.sql';

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
 * `job_history` row (event `Production`), in one write.
 */
@Injectable()
export class ProductionService {
  constructor(
    private readonly jobs: JobsService,
    private readonly access: EntityAccessService,
  ) {}

  /**
   * One write, the check-and-set increment first: it answers the job as it left it, so a post for
   * a Running job reads the job once. When it changed nothing, the job is read to say why (not
   * found, not accessible, not Running: the same answers, in the same order, as checking first).
   * When it did, access to the job's entity is checked, and a refusal undoes the increment with
   * the rest of the write.
   */
  recordForJob(call: PlantContext, input: ProductionByJobInput): Promise<ProductionRecord> {
    const now = stampTime();
    return call.write(async (tx) => {
      const job = await this.increment(tx, call, input, input.qty, now);
      if (!job) {
        const current = await this.jobs.requireJob(tx, input);
        await this.jobs.requireAccess(call, current);
        throw notRunning(input, Number(current.state_cd));
      }
      await this.jobs.requireAccess(call, job);
      const ent =
        job.run_ent_id === null ? undefined : await tx.get(entForJobs, { entId: job.run_ent_id });
      return this.record(tx, call, input, job, ent ?? null, input.qty, input.comment, now);
    });
  }

  /** Production for the job running on the entity (named by ent_name). */
  recordForEnt(call: PlantContext, input: ProductionByEntInput): Promise<ProductionRecord> {
    const now = stampTime();
    return call.write(async (tx) => {
      const ent = await tx.get(entByName, { entName: input.entName });
      if (!ent) throw MesError.entityNotFound({ ent_name: input.entName });
      if (!(await this.access.canAccess(call.principal, ent.ent_id, call)))
        throw MesError.entityAccessDenied({ ent_name: input.entName });
      const running = await tx.all(runningPositions, {
        entId: ent.ent_id,
        jobPos: input.jobPos ?? null,
      });
      const where = input.jobPos === undefined ? '' : ` at job position ${input.jobPos}`;
      if (running.length === 0) {
        throw MesError.businessRule(`No job is running on entity ${ent.ent_name}${where}.`, {
          ent_id: ent.ent_id,
        });
      }
      if (running.length > 1) {
        throw MesError.businessRule(
          `Entity ${ent.ent_name} is running ${running.length} jobs; give job_pos to choose one.`,
          { ent_id: ent.ent_id },
        );
      }
      const key = currentJobOf(running[0]);
      if (!key) throw MesError.businessRule(`No job is running on entity ${ent.ent_name}${where}.`);
      const job = await this.increment(tx, call, key, input.qty, now, ent.ent_id);
      if (!job) {
        const current = await tx.get(jobByKey, key);
        if (!current) throw jobNotFound(key);
        if (Number(current.state_cd) !== Number(JobState.Running))
          throw notRunning(key, Number(current.state_cd));
        throw MesError.businessRule(
          `Job ${jobLabel(key)} no longer runs on entity ${ent.ent_name}; read it again and retry.`,
        );
      }
      return this.record(tx, call, key, job, ent, input.qty, input.comment, now);
    });
  }

  /**
   * The check-and-set increment (only a Running job, on `onEntId` when given): the job as the
   * increment left it (RETURNING / a SELECT in the same batch), or undefined when it changed
   * nothing.
   */
  private increment(
    tx: DbWrite,
    call: PlantContext,
    key: JobKey,
    qty: number,
    now: Date,
    onEntId?: number,
  ): MaybePromise<JobRow | undefined> {
    return tx.get(addQtyProd, {
      woId: key.woId,
      operId: key.operId,
      seqNo: key.seqNo,
      qty,
      onEntId: onEntId ?? null,
      lastEditBy: call.userId,
      lastEditAt: now,
    });
  }

  /** Inside the write, after the increment: the job_history row, and the answer. */
  private async record(
    tx: DbWrite,
    call: PlantContext,
    key: JobKey,
    job: JobRow,
    ent: { ent_id: number; ent_name: string } | null,
    qty: number,
    comment: string | undefined,
    now: Date,
  ): Promise<ProductionRecord> {
    const history = await tx.get(insertJobHistory, {
      wo_id: key.woId,
      oper_id: key.operId,
      seq_no: key.seqNo,
      ent_id: job.run_ent_id,
      state_cd_before: JobState.Running,
      state_cd_after: JobState.Running,
      event: PRODUCTION_EVENT,
      qty,
      comment: comment ?? null,
      user_id: call.userId,
      event_at: now,
    });
    return {
      job_history_id: Number(history?.id),
      wo_id: job.wo_id,
      oper_id: job.oper_id,
      seq_no: Number(job.seq_no),
      ent_id: ent?.ent_id ?? job.run_ent_id,
      ent_name: ent?.ent_name ?? null,
      qty_prod: qty,
      job_qty_prod: Number(job.qty_prod),
      user_id: call.userId,
      event_at: now,
      job,
    };
  }
}
