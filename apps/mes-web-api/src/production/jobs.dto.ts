import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MesError, MesErrorCode } from '@mes/common';
import {
  Job,
  JobChange,
  JobFilter,
  JobKey,
  JobState,
  JOB_STATES,
  jobStateName,
} from '@mes/mes-plant';
import { MesRequestOptions, mesLocal, mesUtc } from '../http/mes-request-options';
import {
  FREE_TEXT_PATTERN,
  INT_MAX,
  MES_ID_PATTERN,
  MES_ID_RULE,
  QueryInt,
} from '../master-data/shared/master-data-params';

const ID_MESSAGE = (name: string) => `${name} must be 1 to 40 characters: ${MES_ID_RULE}`;
const COMMENT_MAX = 1000;

/** SPEC section 3: a missing required parameter is a 404, as for an unknown endpoint. */
export function missingParameter(name: string): MesError {
  return new MesError(MesErrorCode.RouteNotFound, `The required parameter ${name} is missing.`);
}

/** Decorators of a required MES id member (wo_id, oper_id, ent_name): nvarchar(40). */
function MesId(name: string): PropertyDecorator {
  return (target, key) => {
    IsString({ message: `${name} must be a string` })(target, key);
    MinLength(1, { message: ID_MESSAGE(name) })(target, key);
    MaxLength(40, { message: ID_MESSAGE(name) })(target, key);
    Matches(MES_ID_PATTERN, { message: ID_MESSAGE(name) })(target, key);
  };
}

function IntRange(min: number): PropertyDecorator {
  return (target, key) => {
    IsInt()(target, key);
    Min(min)(target, key);
    Max(INT_MAX)(target, key);
  };
}

/** The key members of a job in a body: wo_id, oper_id, seq_no. */
export class JobKeyBody {
  @ApiProperty({ maxLength: 40, example: 'WO-1001' })
  @MesId('wo_id')
  wo_id!: string;

  @ApiProperty({ maxLength: 40, example: 'OP30' })
  @MesId('oper_id')
  oper_id!: string;

  @ApiProperty({ minimum: 0, example: 0 })
  @IntRange(0)
  seq_no!: number;

  @ApiPropertyOptional({
    maxLength: COMMENT_MAX,
    description: 'Notes, kept in job_history.comment.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(COMMENT_MAX)
  @Matches(FREE_TEXT_PATTERN, { message: 'comment must not contain control characters' })
  comment?: string;

  toKey(): JobKey {
    return { woId: this.wo_id, operId: this.oper_id, seqNo: this.seq_no };
  }
}

/** Body of `PUT Jobs/Start`. */
export class StartJobBody extends JobKeyBody {
  @ApiProperty({
    minimum: 1,
    example: 6,
    description: 'The entity whose job position runs the job.',
  })
  @IntRange(1)
  ent_id!: number;

  @ApiProperty({
    minimum: 1,
    example: 6,
    description: 'Stored as job.run_ent_id; must equal ent_id.',
  })
  @IntRange(1)
  run_ent_id!: number;

  @ApiPropertyOptional({
    minimum: 0,
    description: 'Job position of ent_id; default: its first idle one.',
  })
  @IsOptional()
  @IntRange(0)
  job_pos?: number;
}

/** Body of `PUT Jobs/End`. */
export class EndJobBody extends JobKeyBody {
  @ApiPropertyOptional({
    minimum: 1,
    description: 'When given, must be the entity the job runs on.',
  })
  @IsOptional()
  @IntRange(1)
  ent_id?: number;
}

/** Body of `PUT Jobs/Pause`. */
export class PauseJobBody extends EndJobBody {
  @ApiPropertyOptional({
    enum: [JobState.Suspended, JobState.OnHold],
    default: JobState.Suspended,
    description: '5 Suspended (default) or 6 On Hold.',
  })
  @IsOptional()
  @IsIn([JobState.Suspended, JobState.OnHold], {
    message: 'state_cd must be 5 (Suspended) or 6 (On Hold)',
  })
  state_cd?: JobState.Suspended | JobState.OnHold;
}

/** Body of `PUT Jobs/ChangeJobStates`. */
export class ChangeJobStateBody extends JobKeyBody {
  @ApiProperty({ enum: JOB_STATES, description: 'Target state: 1 New … 7 Canceled.' })
  @IsIn(JOB_STATES, { message: 'state_cd must be a job state from 1 to 7' })
  state_cd!: JobState;

  @ApiPropertyOptional({
    minimum: 1,
    description:
      'Required for state_cd 3 (the entity to run on); otherwise, when given, must be the job’s entity.',
  })
  @IsOptional()
  @IntRange(1)
  ent_id?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'With state_cd 3: the job position to run on.' })
  @IsOptional()
  @IntRange(0)
  job_pos?: number;
}

/** Query of `GET jobs/key`: all three members are required (a missing one is a 404). */
export class JobKeyQuery {
  @ApiProperty({ maxLength: 40 }) @IsOptional() @MesId('woId') woId?: string;
  @ApiProperty({ maxLength: 40 }) @IsOptional() @MesId('operId') operId?: string;
  @ApiProperty({ minimum: 0 }) @IsOptional() @QueryInt() @IntRange(0) seqNo?: number;

  @Allow() max_rows?: unknown;
  @Allow() tz_id?: unknown;

  toKey(): JobKey {
    for (const name of ['woId', 'operId', 'seqNo'] as const) {
      if (this[name] === undefined) {
        // SPEC section 3: a missing required parameter is a 404.
        throw new MesError(
          MesErrorCode.RouteNotFound,
          `The required parameter ${name} is missing.`,
        );
      }
    }
    return {
      woId: this.woId as string,
      operId: this.operId as string,
      seqNo: this.seqNo as number,
    };
  }
}

/** Query of the V1 `GET api/jobs`: woId required; operId and seqNo together name one job. */
export class JobsV1Query {
  @ApiProperty({ maxLength: 40 }) @IsOptional() @MesId('woId') woId?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @MesId('operId') operId?: string;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @QueryInt() @IntRange(0) seqNo?: number;

  @Allow() max_rows?: unknown;
  @Allow() tz_id?: unknown;

  /** The job key when operId and seqNo are both given, else null (all jobs of the work order). */
  toKey(): { woId: string; key: JobKey | null } {
    if (this.woId === undefined) throw missingParameter('woId');
    if (this.operId === undefined && this.seqNo === undefined)
      return { woId: this.woId, key: null };
    if (this.operId === undefined) throw missingParameter('operId');
    if (this.seqNo === undefined) throw missingParameter('seqNo');
    return { woId: this.woId, key: { woId: this.woId, operId: this.operId, seqNo: this.seqNo } };
  }
}

/** Query of `GET jobs/filter`: every given member must match. */
export class JobFilterQuery {
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @MesId('woId') woId?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @MesId('operId') operId?: string;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @QueryInt() @IntRange(0) seqNo?: number;

  @ApiPropertyOptional({ enum: JOB_STATES, description: '1 New … 7 Canceled' })
  @IsOptional()
  @QueryInt()
  @IsIn(JOB_STATES, { message: 'stateCd must be a job state from 1 to 7' })
  stateCd?: number;

  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @QueryInt() @IntRange(1) runEntId?: number;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @QueryInt() @IntRange(1) targetEntId?: number;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @MesId('itemId') itemId?: string;

  @Allow() max_rows?: unknown;
  @Allow() tz_id?: unknown;

  toFilter(): JobFilter {
    const filter: JobFilter = {};
    if (this.woId !== undefined) filter.woId = this.woId;
    if (this.operId !== undefined) filter.operId = this.operId;
    if (this.seqNo !== undefined) filter.seqNo = this.seqNo;
    if (this.stateCd !== undefined) filter.stateCd = this.stateCd;
    if (this.runEntId !== undefined) filter.runEntId = this.runEntId;
    if (this.targetEntId !== undefined) filter.targetEntId = this.targetEntId;
    if (this.itemId !== undefined) filter.itemId = this.itemId;
    return filter;
  }
}

const nullableString = { type: String, nullable: true } as const;
const nullableNumber = { type: Number, nullable: true } as const;
const dateTime = { type: String, nullable: true, format: 'date-time' } as const;
const localDateTime = {
  type: String,
  nullable: true,
  description: 'Wall-clock time in the tz_id zone; only when tz_id is given.',
} as const;

/** A `job` row as the API returns it (snake_case, datetimes as `<col>_utc` / `<col>_local`). */
export class JobModel {
  @ApiProperty() wo_id!: string;
  @ApiProperty() oper_id!: string;
  @ApiProperty() seq_no!: number;
  @ApiPropertyOptional(nullableString) job_desc!: string | null;
  @ApiPropertyOptional(nullableString) item_id!: string | null;
  @ApiProperty({ enum: JOB_STATES }) state_cd!: number;
  @ApiProperty({ example: 'Running' }) state_desc!: string;
  @ApiProperty() job_priority!: number;
  @ApiProperty() req_qty!: number;
  @ApiProperty() qty_prod!: number;
  @ApiProperty() qty_reject!: number;
  @ApiPropertyOptional(nullableNumber) target_ent_id!: number | null;
  @ApiPropertyOptional(nullableNumber) run_ent_id!: number | null;
  @ApiPropertyOptional(dateTime) target_sched_start_time_utc!: string | null;
  @ApiPropertyOptional(localDateTime) target_sched_start_time_local?: string | null;
  @ApiPropertyOptional(dateTime) act_start_time_utc!: string | null;
  @ApiPropertyOptional(localDateTime) act_start_time_local?: string | null;
  @ApiPropertyOptional(dateTime) act_finish_time_utc!: string | null;
  @ApiPropertyOptional(localDateTime) act_finish_time_local?: string | null;
  @ApiPropertyOptional(nullableString) spare1!: string | null;
  @ApiPropertyOptional(nullableString) last_edit_comment!: string | null;
  @ApiPropertyOptional(nullableString) last_edit_by!: string | null;
  @ApiPropertyOptional(dateTime) last_edit_at_utc!: string | null;
  @ApiPropertyOptional(localDateTime) last_edit_at_local?: string | null;

  static from(job: Job, options: MesRequestOptions): JobModel {
    return {
      wo_id: job.woId,
      oper_id: job.operId,
      seq_no: job.seqNo,
      job_desc: job.jobDesc,
      item_id: job.itemId,
      state_cd: job.stateCd,
      state_desc: jobStateName(job.stateCd),
      job_priority: job.jobPriority,
      req_qty: job.reqQty,
      qty_prod: job.qtyProd,
      qty_reject: job.qtyReject,
      target_ent_id: job.targetEntId,
      run_ent_id: job.runEntId,
      target_sched_start_time_utc: mesUtc(job.targetSchedStartTimeUtc),
      target_sched_start_time_local: mesLocal(job.targetSchedStartTimeUtc, options),
      act_start_time_utc: mesUtc(job.actStartTimeUtc),
      act_start_time_local: mesLocal(job.actStartTimeUtc, options),
      act_finish_time_utc: mesUtc(job.actFinishTimeUtc),
      act_finish_time_local: mesLocal(job.actFinishTimeUtc, options),
      spare1: job.spare1,
      last_edit_comment: job.lastEditComment,
      last_edit_by: job.lastEditBy,
      last_edit_at_utc: mesUtc(job.lastEditAt),
      last_edit_at_local: mesLocal(job.lastEditAt, options),
    };
  }
}

/** The answer of Start/End/Pause/ChangeJobStates: the job as it now is, and what the call did. */
export class JobChangeModel extends JobModel {
  @ApiProperty({ description: 'state_cd before the call.' }) state_cd_before!: number;
  @ApiPropertyOptional({
    ...nullableNumber,
    description: 'The entity running the job now (null when it does not run).',
  })
  ent_id!: number | null;
  @ApiPropertyOptional({ ...nullableNumber, description: 'The job position running the job now.' })
  job_pos!: number | null;
  @ApiProperty({ description: 'The job_history row written by the call.' }) job_history_id!: number;

  static fromChange(change: JobChange, options: MesRequestOptions): JobChangeModel {
    return {
      ...JobModel.from(change.job, options),
      state_cd_before: change.stateCdBefore,
      ent_id: change.entId,
      job_pos: change.jobPos,
      job_history_id: change.jobHistoryId,
    };
  }
}
