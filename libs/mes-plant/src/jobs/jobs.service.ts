import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, QueryDeepPartialEntity } from 'typeorm';
import { MesError, runInTransaction } from '@mes/common';
import { Ent } from '../entities/ent.entity';
import { Job } from '../entities/job.entity';
import { JobExec } from '../entities/job-exec.entity';
import {
  addJobHistory,
  claimJobPositionQuery,
  describeRunning,
  findJob,
  jobFilterQuery,
  jobNotFound,
  moveJobStateQuery,
  releaseJobPositionsQuery,
  requireAccessibleEnt,
  requireJob,
  requireJobAccess,
} from './job-queries';
import { canChangeJobState, jobLabel, JobState, jobStateName } from './job-state';
import {
  ChangeJobStateInput,
  EndJobInput,
  JobActor,
  JobChange,
  JobFilter,
  JobKey,
  JobQueryOptions,
  PauseJobInput,
  StartJobInput,
} from './jobs.interfaces';

/** job_history.event of each operation. */
export type JobEvent = 'Start' | 'End' | 'Pause' | 'ChangeState';

interface TransitionRequest {
  event: JobEvent;
  target: JobState;
  /** Running target: the entity (already checked) and the job position asked for, if any. */
  runOn?: { ent: Ent; jobPos?: number };
  /** Non-running target: when given, must be the job's entity. */
  entId?: number;
  comment?: string;
  /** An operation's own precondition on top of the table (Pause: only from Running). */
  allowedFrom?: (from: number) => boolean;
}

const VERB: Record<JobEvent, string> = {
  Start: 'started',
  End: 'ended',
  Pause: 'paused',
  ChangeState: 'changed',
};

/** Why a job cannot go from `from` to `target` through `event` (an MES-style 409). */
export function refusedTransition(
  key: JobKey,
  from: number,
  target: number,
  event: JobEvent,
): MesError {
  const label = jobLabel(key);
  const extensions = { state_cd: from, target_state_cd: target };
  if (event !== 'ChangeState') {
    return MesError.businessRule(
      `Job ${label} is ${jobStateName(from)} and cannot be ${VERB[event]}.`,
      extensions,
    );
  }
  if (from === target)
    return MesError.businessRule(`Job ${label} is already ${jobStateName(from)}.`, extensions);
  return MesError.businessRule(
    `Job ${label} cannot change from ${jobStateName(from)} to ${jobStateName(target)}.`,
    extensions,
  );
}

/**
 * Jobs (`job`) and their execution (`job_exec`, `job_history`). Every state change is one
 * transaction that (1) moves `job.state_cd` with a check-and-set UPDATE … WHERE state_cd =
 * <the state read>, so of two concurrent calls exactly one wins, (2) frees or claims the
 * entity's job position, (3) appends a `job_history` row; all stamped with the acting user.
 */
@Injectable()
export class JobsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  getByKey(key: JobKey): Promise<Job | null> {
    return findJob(this.dataSource.manager, key);
  }

  /** Jobs matching every given filter, ordered by key, only those the caller may see. */
  filter(filter: JobFilter, options: JobQueryOptions): Promise<Job[]> {
    return jobFilterQuery(this.dataSource.manager, filter, options).getMany();
  }

  /** Start (or resume) a job on an entity's job position: New, Ready, Suspended or On Hold → Running. */
  async start(input: StartJobInput, actor: JobActor): Promise<JobChange> {
    if (input.runEntId !== input.entId) {
      throw MesError.validation(
        `run_ent_id (${input.runEntId}) must be the entity that starts the job (ent_id ${input.entId}).`,
        ['run_ent_id must equal ent_id'],
      );
    }
    const ent = await this.runnableEnt(input.entId, actor);
    return this.transition(input, actor, {
      event: 'Start',
      target: JobState.Running,
      runOn: { ent, jobPos: input.jobPos },
      comment: input.comment,
    });
  }

  /** End a job: Running, Suspended or On Hold → Completed; frees its job position. */
  end(input: EndJobInput, actor: JobActor): Promise<JobChange> {
    return this.transition(input, actor, {
      event: 'End',
      target: JobState.Completed,
      entId: input.entId,
      comment: input.comment,
    });
  }

  /** Pause a running job: Running → Suspended (5) or On Hold (6); frees its job position. */
  pause(input: PauseJobInput, actor: JobActor): Promise<JobChange> {
    return this.transition(input, actor, {
      event: 'Pause',
      target: input.stateCd,
      entId: input.entId,
      comment: input.comment,
      allowedFrom: (from) => from === Number(JobState.Running),
    });
  }

  /** Set a job to any state the transition table allows from its current one. */
  async changeState(input: ChangeJobStateInput, actor: JobActor): Promise<JobChange> {
    const target = input.stateCd as JobState;
    if (target === JobState.Running) {
      if (input.entId === undefined) {
        throw MesError.validation('ent_id is required to set a job Running.', [
          'ent_id is required',
        ]);
      }
      const ent = await this.runnableEnt(input.entId, actor);
      return this.transition(input, actor, {
        event: 'ChangeState',
        target,
        runOn: { ent, jobPos: input.jobPos },
        comment: input.comment,
      });
    }
    return this.transition(input, actor, {
      event: 'ChangeState',
      target,
      entId: input.entId,
      comment: input.comment,
    });
  }

  private async runnableEnt(entId: number, actor: JobActor): Promise<Ent> {
    const ent = await requireAccessibleEnt(this.dataSource.manager, entId, (id) =>
      actor.canAccessEntity(id),
    );
    if (Number(ent.canRunJobs) === 0) {
      throw MesError.businessRule(`Entity ${ent.entName} cannot run jobs.`, { ent_id: ent.entId });
    }
    return ent;
  }

  private async transition(
    key: JobKey,
    actor: JobActor,
    req: TransitionRequest,
  ): Promise<JobChange> {
    const job = await requireJob(this.dataSource.manager, key);
    if (!req.runOn) {
      await requireJobAccess(job, (id) => actor.canAccessEntity(id));
      const jobEnt = job.runEntId ?? job.targetEntId;
      if (req.entId !== undefined && req.entId !== jobEnt) {
        throw MesError.businessRule(
          `Job ${jobLabel(job)} ${jobEnt === null ? 'has no entity' : `belongs to entity ${jobEnt}`}, not to entity ${req.entId}.`,
          { ent_id: req.entId },
        );
      }
    }
    const from = job.stateCd;
    this.assertAllowed(key, from, req);
    // Fail fast, before any write, when the entity has no idle position (claimed below).
    const idlePos = req.runOn ? await this.idlePosition(req.runOn.ent, req.runOn.jobPos) : null;

    const now = new Date();
    return runInTransaction(this.dataSource, async (em) => {
      const changes: QueryDeepPartialEntity<Job> = {
        stateCd: req.target,
        lastEditBy: actor.userId,
        lastEditAt: now,
      };
      if (req.comment !== undefined) changes.lastEditComment = req.comment;
      if (req.runOn) {
        changes.runEntId = req.runOn.ent.entId;
        if (job.actStartTimeUtc === null) changes.actStartTimeUtc = now;
      }
      if (req.target === JobState.Completed) changes.actFinishTimeUtc = now;
      const moved = await moveJobStateQuery(em, key, from, changes).execute();
      if (!moved.affected) {
        // Someone else changed (or deleted) the job since it was read: judge the state it has now.
        const current = await findJob(em, key);
        if (!current) throw jobNotFound(key);
        this.assertAllowed(key, current.stateCd, req);
        throw MesError.businessRule(
          `Job ${jobLabel(key)} was changed by another request; read it again and retry.`,
        );
      }

      if (from === Number(JobState.Running))
        await this.releasePositions(em, key, actor.userId, now);
      let entId: number | null = null;
      let jobPos: number | null = null;
      if (req.runOn && idlePos !== null) {
        entId = req.runOn.ent.entId;
        jobPos = await this.claimPosition(em, key, req.runOn, idlePos, actor.userId, now);
      }

      const jobHistoryId = await addJobHistory(em, {
        woId: key.woId,
        operId: key.operId,
        seqNo: key.seqNo,
        entId: req.runOn ? req.runOn.ent.entId : job.runEntId,
        stateCdBefore: from,
        stateCdAfter: req.target,
        event: req.event,
        qty: req.target === JobState.Running ? null : job.qtyProd,
        comment: req.comment ?? null,
        userId: actor.userId,
        eventAt: now,
      });
      Object.assign(job, changes);
      return { job, stateCdBefore: from, entId, jobPos, jobHistoryId };
    });
  }

  private assertAllowed(key: JobKey, from: number, req: TransitionRequest): void {
    const allowed = canChangeJobState(from, req.target) && (req.allowedFrom?.(from) ?? true);
    if (!allowed) throw refusedTransition(key, from, req.target, req.event);
  }

  /** Clears every job position currently holding this job. */
  private async releasePositions(
    em: EntityManager,
    key: JobKey,
    userId: string,
    now: Date,
  ): Promise<void> {
    await releaseJobPositionsQuery(em, key, userId, now).execute();
  }

  /**
   * The position asked for, else the entity's first idle one; 409 (naming what runs there) when
   * it is busy or missing. Only a pre-check: the claim inside the transaction decides.
   */
  private async idlePosition(ent: Ent, askedPos: number | undefined): Promise<number> {
    const positions = await this.dataSource.manager.find(JobExec, {
      where: { entId: ent.entId },
      order: { jobPos: 'ASC' },
    });
    if (positions.length === 0) {
      throw MesError.businessRule(`Entity ${ent.entName} has no job positions.`, {
        ent_id: ent.entId,
      });
    }
    const target =
      askedPos === undefined
        ? (positions.find((p) => p.curWoId === null) ?? positions[0])
        : positions.find((p) => p.jobPos === askedPos);
    if (!target) {
      throw MesError.businessRule(`Entity ${ent.entName} has no job position ${askedPos}.`, {
        ent_id: ent.entId,
        job_pos: askedPos,
      });
    }
    if (target.curWoId !== null) throw entityBusy(ent, target);
    return target.jobPos;
  }

  /**
   * Puts the job on a job position: first the one found idle before the transaction; when the
   * caller named no position and another request took that one meanwhile, the next idle one. Each
   * UPDATE only takes an idle position (cur_wo_id IS NULL), so an entity never runs two jobs at
   * one position.
   */
  private async claimPosition(
    em: EntityManager,
    key: JobKey,
    runOn: { ent: Ent; jobPos?: number },
    firstTry: number,
    userId: string,
    now: Date,
  ): Promise<number> {
    const { ent, jobPos: askedPos } = runOn;
    const first = await claimJobPositionQuery(em, ent.entId, firstTry, key, userId, now).execute();
    if (first.affected) return firstTry;
    const candidates =
      askedPos !== undefined
        ? []
        : (
            await em.find(JobExec, {
              where: { entId: ent.entId, curWoId: IsNull() },
              order: { jobPos: 'ASC' },
            })
          ).map((p) => p.jobPos);
    for (const jobPos of candidates) {
      const claimed = await claimJobPositionQuery(
        em,
        ent.entId,
        jobPos,
        key,
        userId,
        now,
      ).execute();
      if (claimed.affected) return jobPos;
    }
    const positions = await em.find(JobExec, {
      where: { entId: ent.entId, ...(askedPos === undefined ? {} : { jobPos: askedPos }) },
      order: { jobPos: 'ASC' },
    });
    if (positions.length === 0) {
      throw MesError.businessRule(`Entity ${ent.entName} has no job positions.`, {
        ent_id: ent.entId,
      });
    }
    throw entityBusy(ent, positions[0]);
  }
}

function entityBusy(ent: Ent, exec: JobExec): MesError {
  return MesError.businessRule(
    `Entity ${ent.entName} is already running ${describeRunning(exec)}; end or pause it first.`,
    { ent_id: ent.entId, job_pos: exec.jobPos },
  );
}
