import { Injectable } from '@nestjs/common';
import { callerGroupsValues, DbSession, DbWrite, MesError } from '@mes-web-api/common';
import { EntityAccessService } from '../access/entity-access.service';
import { stampTime } from '../shared/master-data';
import { PlantContext } from '../shared/plant-context';
import { canChangeJobState, jobLabel, JobState, jobStateName } from './job-state';
import {
  ChangeJobStateInput,
  EndJobInput,
  JobChange,
  JobFilter,
  JobKey,
  PauseJobInput,
  StartJobInput,
} from './jobs.interfaces';
import {
  claimPosition,
  entForJobs,
  insertJobHistory,
  JOB_FILTER_COLUMNS,
  jobByKey,
  JobExecRow,
  jobList,
  JobRow,
  jobStateByKey,
  JobStateRow,
  moveJobState,
  positionsOfEnt,
  releasePositions,
  runningPositions,
} from './jobs.sql';

/** job_history.event of each operation. */
export type JobEvent = 'Start' | 'End' | 'Pause' | 'ChangeState';

type RunnableEnt = { ent_id: number; ent_name: string; can_run_jobs: number };

interface TransitionRequest {
  event: JobEvent;
  target: JobState;
  /** Running target: the entity to run on and the job position asked for, if any. */
  runOn?: { entId: number; jobPos?: number };
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

export function keyOf(job: Pick<JobRow, 'wo_id' | 'oper_id' | 'seq_no'>): JobKey {
  return { woId: job.wo_id, operId: job.oper_id, seqNo: Number(job.seq_no) };
}

export function jobNotFound(key: JobKey): MesError {
  return MesError.entityNotFound({ wo_id: key.woId, oper_id: key.operId, seq_no: key.seqNo });
}

/** The entity a job belongs to for access checks: where it runs or ran, else where it is scheduled. */
export function jobEntId(job: Pick<JobRow, 'run_ent_id' | 'target_ent_id'>): number | null {
  return job.run_ent_id ?? job.target_ent_id ?? null;
}

export function currentJobOf(exec: JobExecRow): JobKey | null {
  return exec.cur_wo_id !== null && exec.cur_oper_id !== null && exec.cur_seq_no !== null
    ? { woId: exec.cur_wo_id, operId: exec.cur_oper_id, seqNo: Number(exec.cur_seq_no) }
    : null;
}

function describeRunning(exec: JobExecRow): string {
  const cur = currentJobOf(exec);
  return cur ? `job ${jobLabel(cur)} at job position ${exec.job_pos}` : 'no job';
}

/**
 * The answer of a state change: the job as it now is, and what the call did, as one literal
 * (copying the row's members by spread or Object.assign costs microseconds on Node 20; see
 * eslint.config.mjs). A member added to JobRow must be added here: the type says so.
 */
function jobChange(job: JobRow, change: Omit<JobChange, keyof JobRow>): JobChange {
  return {
    wo_id: job.wo_id,
    oper_id: job.oper_id,
    seq_no: job.seq_no,
    job_desc: job.job_desc,
    item_id: job.item_id,
    state_cd: job.state_cd,
    job_priority: job.job_priority,
    req_qty: job.req_qty,
    qty_prod: job.qty_prod,
    qty_reject: job.qty_reject,
    target_ent_id: job.target_ent_id,
    run_ent_id: job.run_ent_id,
    target_sched_start_time_utc: job.target_sched_start_time_utc,
    act_start_time_utc: job.act_start_time_utc,
    act_finish_time_utc: job.act_finish_time_utc,
    spare1: job.spare1,
    last_edit_comment: job.last_edit_comment,
    last_edit_by: job.last_edit_by,
    last_edit_at: job.last_edit_at,
    mod_id: job.mod_id,
    state_cd_before: change.state_cd_before,
    ent_id: change.ent_id,
    job_pos: change.job_pos,
    job_history_id: change.job_history_id,
  };
}

/**
 * A job key as statement parameters: its three members only (the key given may be a whole input,
 * whose other members must not reach the statement), spread last (see eslint.config.mjs).
 */
function keyParams(key: JobKey): JobKey {
  return { woId: key.woId, operId: key.operId, seqNo: key.seqNo };
}

function entityBusy(ent: RunnableEnt, exec: JobExecRow): MesError {
  return MesError.businessRule(
    `Entity ${ent.ent_name} is already running ${describeRunning(exec)}; end or pause it first.`,
    { ent_id: ent.ent_id, job_pos: exec.job_pos },
  );
}

/**
 * Jobs (`job`) and their execution (`job_exec`, `job_history`). Every state change is one write
 * that (1) moves `job.state_cd` with a check-and-set UPDATE … WHERE state_cd = <the state read>,
 * so of two concurrent calls exactly one wins, (2) frees or claims the entity's job position,
 * (3) appends one `job_history` row; all stamped with the acting user.
 */
@Injectable()
export class JobsService {
  constructor(private readonly access: EntityAccessService) {}

  /** One job; 404 when it does not exist or its entity is not accessible to the caller. */
  async getByKey(call: PlantContext, key: JobKey): Promise<JobRow> {
    const job = await this.requireJob(call.db, key);
    await this.requireAccess(call, job);
    return job;
  }

  /** Jobs matching every given filter, ordered by key, only those the caller may see. */
  async list(call: PlantContext, filter: JobFilter, maxRows?: number): Promise<readonly JobRow[]> {
    const shape = JOB_FILTER_COLUMNS.filter((c) => filter[c] !== undefined && filter[c] !== null);
    const params: Record<string, unknown> = { maxRows, ...callerGroupsValues(call.principal) };
    for (const column of shape) params[column] = filter[column];
    return call.db.all(jobList.for(call.principal).get(shape), params);
  }

  /** Start (or resume) a job on an entity's job position: New, Ready, Suspended or On Hold → Running. */
  async start(call: PlantContext, input: StartJobInput): Promise<JobChange> {
    if (input.runEntId !== input.entId) {
      throw MesError.validation(
        `run_ent_id (${input.runEntId}) must be the entity that starts the job (ent_id ${input.entId}).`,
        ['run_ent_id must equal ent_id'],
      );
    }
    return this.transition(call, input, {
      event: 'Start',
      target: JobState.Running,
      runOn: { entId: input.entId, jobPos: input.jobPos },
      comment: input.comment,
    });
  }

  /** End a job: Running, Suspended or On Hold → Completed; frees its job position. */
  end(call: PlantContext, input: EndJobInput): Promise<JobChange> {
    return this.transition(call, (tx) => this.jobOf(call, tx, input), {
      event: 'End',
      target: JobState.Completed,
      entId: input.entId,
      comment: input.comment,
    });
  }

  /** Pause a running job: Running → Suspended (5) or On Hold (6); frees its job position. */
  pause(call: PlantContext, input: PauseJobInput): Promise<JobChange> {
    return this.transition(call, (tx) => this.jobOf(call, tx, input), {
      event: 'Pause',
      target: input.stateCd,
      entId: input.entId,
      comment: input.comment,
      allowedFrom: (from) => from === Number(JobState.Running),
    });
  }

  /** Set a job to any state the transition table allows from its current one. */
  async changeState(call: PlantContext, input: ChangeJobStateInput): Promise<JobChange> {
    const target = input.stateCd as JobState;
    if (target === JobState.Running) {
      if (input.entId === undefined) {
        throw MesError.validation('ent_id is required to set a job Running.', [
          'ent_id is required',
        ]);
      }
      return this.transition(call, input, {
        event: 'ChangeState',
        target,
        runOn: { entId: input.entId, jobPos: input.jobPos },
        comment: input.comment,
      });
    }
    return this.transition(call, input, {
      event: 'ChangeState',
      target,
      entId: input.entId,
      comment: input.comment,
    });
  }

  /**
   * The job an End/Pause names: by its key, or else the one running on the entity at the job
   * position given (default 0). 409 when nothing runs there.
   */
  private async jobOf(call: PlantContext, tx: DbSession, input: EndJobInput): Promise<JobKey> {
    if (input.key !== undefined) return input.key;
    if (input.entId === undefined) {
      throw MesError.validation(
        'Name the job with wo_id, oper_id and seq_no, or the entity running it with run_ent_id (and job_pos).',
        ['wo_id, oper_id and seq_no, or run_ent_id, are required'],
      );
    }
    const ent = await tx.get(entForJobs, { entId: input.entId });
    if (!ent) throw MesError.entityNotFound({ ent_id: input.entId });
    await this.assertEntAccess(call, input.entId);
    const jobPos = input.jobPos ?? 0;
    const running = await tx.all(runningPositions, { entId: input.entId, jobPos });
    const key = running.length > 0 ? currentJobOf(running[0]) : null;
    if (key === null) {
      throw MesError.businessRule(
        `No job is running on entity ${ent.ent_name} at job position ${jobPos}.`,
        { ent_id: ent.ent_id, job_pos: jobPos },
      );
    }
    return key;
  }

  private async runnableEnt(
    call: PlantContext,
    tx: DbSession,
    entId: number,
  ): Promise<RunnableEnt> {
    const ent = await tx.get(entForJobs, { entId });
    if (!ent) throw MesError.entityNotFound({ ent_id: entId });
    await this.assertEntAccess(call, entId);
    if (Number(ent.can_run_jobs) === 0) {
      throw MesError.businessRule(`Entity ${ent.ent_name} cannot run jobs.`, {
        ent_id: ent.ent_id,
      });
    }
    return ent;
  }

  private async assertEntAccess(call: PlantContext, entId: number): Promise<void> {
    if (!(await this.access.canAccess(call.principal, entId, call))) {
      throw MesError.entityAccessDenied({ ent_id: entId });
    }
  }

  async requireJob(session: DbSession, key: JobKey): Promise<JobRow> {
    const job = await session.get(jobByKey, key);
    if (!job) throw jobNotFound(key);
    return job;
  }

  /** The job's state, entities and count (what a change checks); 404 when it does not exist. */
  private async requireJobState(session: DbSession, key: JobKey): Promise<JobStateRow> {
    const job = await session.get(jobStateByKey, key);
    if (!job) throw jobNotFound(key);
    return job;
  }

  /** Access to a job = access to its entity; a job with no entity at all is open to every MES user. */
  async requireAccess(
    call: PlantContext,
    job: Pick<JobRow, 'wo_id' | 'oper_id' | 'seq_no' | 'run_ent_id' | 'target_ent_id'>,
  ): Promise<void> {
    const entId = jobEntId(job);
    if (entId !== null && !(await this.access.canAccess(call.principal, entId, call))) {
      throw MesError.entityAccessDenied({
        wo_id: job.wo_id,
        oper_id: job.oper_id,
        seq_no: job.seq_no,
      });
    }
  }

  /**
   * The whole change runs in one write: the job (and the entity it runs on) is read on the
   * write's own connection, checked, then moved with a check-and-set UPDATE. On SQLite the write
   * holds the database's write lock from the first read, so nothing changes in between; on SQL
   * Server the check-and-set refuses a job another transaction changed meanwhile.
   */
  private transition(
    call: PlantContext,
    jobKey: JobKey | ((tx: DbSession) => Promise<JobKey>),
    req: TransitionRequest,
  ): Promise<JobChange> {
    const now = stampTime();
    return call.write(async (tx) => {
      const key = typeof jobKey === 'function' ? await jobKey(tx) : jobKey;
      const runOn =
        req.runOn === undefined
          ? undefined
          : { ent: await this.runnableEnt(call, tx, req.runOn.entId), jobPos: req.runOn.jobPos };
      const job = await this.requireJobState(tx, key);
      if (!runOn) {
        await this.requireAccess(call, job);
        const jobEnt = jobEntId(job);
        if (req.entId !== undefined && req.entId !== jobEnt) {
          throw MesError.businessRule(
            `Job ${jobLabel(key)} ${jobEnt === null ? 'has no entity' : `belongs to entity ${jobEnt}`}, not to entity ${req.entId}.`,
            { ent_id: req.entId },
          );
        }
      }
      const from = Number(job.state_cd);
      this.assertAllowed(key, from, req);
      const idlePos = runOn ? await this.idlePosition(tx, runOn.ent, runOn.jobPos) : null;

      // The job as the check-and-set left it; none when another request changed it first.
      const after = await tx.get(moveJobState, {
        fromState: from,
        toState: req.target,
        comment: req.comment ?? null,
        runEntId: runOn ? runOn.ent.ent_id : null,
        actStart: runOn ? now : null,
        actFinish: req.target === JobState.Completed ? now : null,
        lastEditBy: call.userId,
        lastEditAt: now,
        ...keyParams(key),
      });
      if (after === undefined) {
        // Someone else changed (or deleted) the job since it was read: judge the state it has now.
        const current = await tx.get(jobStateByKey, key);
        if (!current) throw jobNotFound(key);
        this.assertAllowed(key, Number(current.state_cd), req);
        throw MesError.businessRule(
          `Job ${jobLabel(key)} was changed by another request; read it again and retry.`,
        );
      }

      if (from === Number(JobState.Running)) {
        await tx.run(releasePositions, { userId: call.userId, lastEditAt: now, ...keyParams(key) });
      }
      let entId: number | null = null;
      let jobPos: number | null = null;
      if (runOn && idlePos !== null) {
        entId = runOn.ent.ent_id;
        jobPos = await this.claim(tx, key, runOn, idlePos, call.userId, now);
      }
      const history = await tx.get(insertJobHistory, {
        wo_id: key.woId,
        oper_id: key.operId,
        seq_no: key.seqNo,
        ent_id: runOn ? runOn.ent.ent_id : job.run_ent_id,
        state_cd_before: from,
        state_cd_after: req.target,
        event: req.event,
        qty: req.target === JobState.Running ? null : Number(job.qty_prod),
        comment: req.comment ?? null,
        user_id: call.userId,
        event_at: now,
      });
      return jobChange(after, {
        state_cd_before: from,
        ent_id: entId,
        job_pos: jobPos,
        job_history_id: Number(history?.id),
      });
    });
  }

  private assertAllowed(key: JobKey, from: number, req: TransitionRequest): void {
    const allowed = canChangeJobState(from, req.target) && (req.allowedFrom?.(from) ?? true);
    if (!allowed) throw refusedTransition(key, from, req.target, req.event);
  }

  /**
   * The position asked for, else the entity's first idle one; 409 (naming what runs there) when
   * it is busy or missing. The claim's check-and-set (cur_wo_id IS NULL) decides.
   */
  private async idlePosition(
    session: DbSession,
    ent: RunnableEnt,
    askedPos: number | undefined,
  ): Promise<number> {
    const positions = await session.all(positionsOfEnt, { entId: ent.ent_id });
    if (positions.length === 0) {
      throw MesError.businessRule(`Entity ${ent.ent_name} has no job positions.`, {
        ent_id: ent.ent_id,
      });
    }
    const target =
      askedPos === undefined
        ? (positions.find((p) => p.cur_wo_id === null) ?? positions[0])
        : positions.find((p) => Number(p.job_pos) === askedPos);
    if (!target) {
      throw MesError.businessRule(`Entity ${ent.ent_name} has no job position ${askedPos}.`, {
        ent_id: ent.ent_id,
        job_pos: askedPos,
      });
    }
    if (target.cur_wo_id !== null) throw entityBusy(ent, target);
    return Number(target.job_pos);
  }

  /**
   * Puts the job on a job position: first the one found idle before the write; when the caller
   * named no position and another request took that one meanwhile, the next idle one. Each UPDATE
   * only takes an idle position (cur_wo_id IS NULL), so an entity never runs two jobs at one
   * position.
   */
  private async claim(
    tx: DbWrite,
    key: JobKey,
    runOn: { ent: RunnableEnt; jobPos?: number },
    firstTry: number,
    userId: string,
    now: Date,
  ): Promise<number> {
    const { ent, jobPos: askedPos } = runOn;
    const take = (jobPos: number) =>
      tx.run(claimPosition, {
        entId: ent.ent_id,
        jobPos,
        userId,
        lastEditAt: now,
        ...keyParams(key),
      });
    if ((await take(firstTry)).changes > 0) return firstTry;
    const positions = await tx.all(positionsOfEnt, { entId: ent.ent_id });
    if (askedPos === undefined) {
      for (const position of positions) {
        if (position.cur_wo_id !== null) continue;
        if ((await take(Number(position.job_pos))).changes > 0) return Number(position.job_pos);
      }
    }
    const busy =
      askedPos === undefined ? positions[0] : positions.find((p) => Number(p.job_pos) === askedPos);
    if (!busy) {
      throw MesError.businessRule(`Entity ${ent.ent_name} has no job positions.`, {
        ent_id: ent.ent_id,
      });
    }
    throw entityBusy(ent, busy);
  }
}
