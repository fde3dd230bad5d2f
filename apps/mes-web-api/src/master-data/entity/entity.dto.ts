import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Ent, EntFilter, EntValues, fromFlag } from '@mes/mes-plant';
import { MesRequestOptions, mesLocal, mesUtc } from '../../http/mes-request-options';
import {
  FREE_TEXT_PATTERN,
  OptionalFreeText,
  TEXT_MESSAGE,
  INT_MAX,
  MES_ID_PATTERN,
  MES_ID_RULE,
  QueryBool,
  QueryInt,
} from '../shared/master-data-params';

const ID_MESSAGE = `$property must be 1 to 40 characters: ${MES_ID_RULE}`;

/** An `ent` row as the MES Web API returns it. */
export class EntModel {
  @ApiProperty({ example: 5 }) ent_id!: number;
  @ApiProperty({ example: 'Filler 1' }) ent_name!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 3 }) parent_ent_id!: number | null;
  @ApiProperty() can_sched_jobs!: boolean;
  @ApiProperty() can_run_jobs!: boolean;
  @ApiProperty() can_capture_util!: boolean;
  @ApiProperty() can_capture_labor!: boolean;
  @ApiProperty() can_track_oee!: boolean;
  @ApiProperty() can_sched_shifts!: boolean;
  @ApiProperty() can_store!: boolean;
  @ApiProperty() can_log_data!: boolean;
  @ApiProperty() can_ship!: boolean;
  @ApiProperty() can_receive!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) spare1!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) spare2!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_comment!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_by!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  last_edit_at_utc!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Wall-clock time in the tz_id zone; only when tz_id is given.',
  })
  last_edit_at_local?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Changes on every write.' })
  mod_id!: string | null;

  static from(e: Readonly<Ent>, options: MesRequestOptions): EntModel {
    return {
      ent_id: e.entId,
      ent_name: e.entName,
      description: e.description,
      parent_ent_id: e.parentEntId,
      can_sched_jobs: fromFlag(e.canSchedJobs),
      can_run_jobs: fromFlag(e.canRunJobs),
      can_capture_util: fromFlag(e.canCaptureUtil),
      can_capture_labor: fromFlag(e.canCaptureLabor),
      can_track_oee: fromFlag(e.canTrackOee),
      can_sched_shifts: fromFlag(e.canSchedShifts),
      can_store: fromFlag(e.canStore),
      can_log_data: fromFlag(e.canLogData),
      can_ship: fromFlag(e.canShip),
      can_receive: fromFlag(e.canReceive),
      spare1: e.spare1,
      spare2: e.spare2,
      last_edit_comment: e.lastEditComment,
      last_edit_by: e.lastEditBy,
      last_edit_at_utc: mesUtc(e.lastEditAt),
      last_edit_at_local: mesLocal(e.lastEditAt, options),
      mod_id: e.modId,
    };
  }
}

/** GetEntID's answer. */
export class EntIdModel {
  @ApiProperty({ example: 5 }) ent_id!: number;
}

/** Body of Add (POST): the entity to create; `ent_id` is generated. */
export class EntBody {
  @ApiProperty({ maxLength: 40, example: 'Filler 3', description: `Unique; ${MES_ID_RULE}.` })
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  ent_name!: string;

  @OptionalFreeText(255)
  description?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, example: 4 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  parent_ent_id?: number | null;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_sched_jobs?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_run_jobs?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_capture_util?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_capture_labor?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_track_oee?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_sched_shifts?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_store?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_log_data?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_ship?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() can_receive?: boolean;

  @OptionalFreeText(80)
  spare1?: string | null;

  @OptionalFreeText(80)
  spare2?: string | null;

  @OptionalFreeText(1000)
  last_edit_comment?: string | null;

  toValues(): EntValues {
    return {
      entName: this.ent_name,
      description: this.description ?? null,
      parentEntId: this.parent_ent_id ?? null,
      flags: {
        canSchedJobs: this.can_sched_jobs ?? false,
        canRunJobs: this.can_run_jobs ?? false,
        canCaptureUtil: this.can_capture_util ?? false,
        canCaptureLabor: this.can_capture_labor ?? false,
        canTrackOee: this.can_track_oee ?? false,
        canSchedShifts: this.can_sched_shifts ?? false,
        canStore: this.can_store ?? false,
        canLogData: this.can_log_data ?? false,
        canShip: this.can_ship ?? false,
        canReceive: this.can_receive ?? false,
      },
      spare1: this.spare1 ?? null,
      spare2: this.spare2 ?? null,
      lastEditComment: this.last_edit_comment ?? null,
    };
  }
}

/**
 * Body of Update (PUT): the whole entity. Members left out take their defaults (null, false),
 * as the record is replaced. `ent_id`, if sent, must be the `entId` of the query; `mod_id`, if
 * sent, must still be the stored one (optimistic concurrency).
 */
export class EntUpdateBody extends EntBody {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  ent_id?: number;

  @ApiPropertyOptional({ type: String, maxLength: 36 })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  mod_id?: string;
}

/** Query of GetAll (`GET entity`): optional filters. */
export class EntListQuery {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  parentEntId?: number;

  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canSchedJobs?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canRunJobs?: boolean;

  @Allow() max_rows?: unknown;
  @Allow() tz_id?: unknown;

  toFilter(): EntFilter {
    const filter: EntFilter = {};
    if (this.parentEntId !== undefined) filter.parentEntId = this.parentEntId;
    if (this.canSchedJobs !== undefined) filter.canSchedJobs = this.canSchedJobs;
    if (this.canRunJobs !== undefined) filter.canRunJobs = this.canRunJobs;
    return filter;
  }
}

/** Query of GetByFilter (`GET entity/filter`): any listed column, all must match. */
export class EntFilterQuery extends EntListQuery {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  entId?: number;

  @ApiPropertyOptional({ maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  entName?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(FREE_TEXT_PATTERN, { message: TEXT_MESSAGE })
  description?: string;

  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canCaptureUtil?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canCaptureLabor?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canTrackOee?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canSchedShifts?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canStore?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canLogData?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canShip?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() canReceive?: boolean;

  override toFilter(): EntFilter {
    const filter = super.toFilter();
    const more: EntFilter = {
      entId: this.entId,
      entName: this.entName,
      description: this.description,
      canCaptureUtil: this.canCaptureUtil,
      canCaptureLabor: this.canCaptureLabor,
      canTrackOee: this.canTrackOee,
      canSchedShifts: this.canSchedShifts,
      canStore: this.canStore,
      canLogData: this.canLogData,
      canShip: this.canShip,
      canReceive: this.canReceive,
    };
    for (const [key, value] of Object.entries(more)) {
      if (value !== undefined) (filter as Record<string, unknown>)[key] = value;
    }
    return filter;
  }
}
