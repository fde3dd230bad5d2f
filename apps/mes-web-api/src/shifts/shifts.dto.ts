import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  ShiftPattern,
  ShiftPatternValues,
  ShiftSched,
  ShiftScheduleFilter,
  ShiftScheduleValues,
} from '@mes/mes-plant';
import { MesRequestOptions, mesLocal, mesUtc } from '../http/mes-request-options';
import { FREE_TEXT_PATTERN, INT_MAX, QueryInt } from '../master-data/shared/master-data-params';

/** Names: printable text without control characters, not blank, no leading/trailing blanks. */
const NAME_PATTERN =
  // eslint-disable-next-line no-control-regex -- the point is to refuse control characters
  /^[^\s\u0000-\u001F\u007F](?:[^\u0000-\u001F\u007F]*[^\s\u0000-\u001F\u007F])?$/;
const nameMessage = (name: string): string =>
  `${name} must be 1 to 40 characters, without control characters or leading/trailing blanks`;
const textMessage = (name: string): string => `${name} must not contain control characters`;

/** `last_edit_at_utc` / `_local` of a row. */
class LastEditModel {
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
}

/** A `shift_sched` row as the MES Web API returns it. */
export class ShiftScheduleModel extends LastEditModel {
  @ApiProperty({ example: 1 }) shift_sched_id!: number;
  @ApiProperty({ example: 3 }) ent_id!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 1 }) pattern_id!: number | null;
  @ApiProperty({ example: 1 }) shift_id!: number;
  @ApiProperty({ example: 'Day' }) shift_name!: string;
  @ApiProperty({ example: 360, description: 'Start, in minutes after local midnight.' })
  start_offset_min!: number;
  @ApiProperty({ example: 480 }) duration_min!: number;
  @ApiProperty({ example: 31, description: 'Weekdays: bit 0 = Monday … bit 6 = Sunday.' })
  days_mask!: number;

  static from(s: ShiftSched, options: MesRequestOptions): ShiftScheduleModel {
    return {
      shift_sched_id: s.shiftSchedId,
      ent_id: s.entId,
      pattern_id: s.patternId,
      shift_id: s.shiftId,
      shift_name: s.shiftName,
      start_offset_min: s.startOffsetMin,
      duration_min: s.durationMin,
      days_mask: s.daysMask,
      last_edit_comment: s.lastEditComment,
      last_edit_by: s.lastEditBy,
      last_edit_at_utc: mesUtc(s.lastEditAt),
      last_edit_at_local: mesLocal(s.lastEditAt, options),
    };
  }
}

/** A `shift_pattern` row as the MES Web API returns it. */
export class ShiftPatternModel extends LastEditModel {
  @ApiProperty({ example: 1 }) pattern_id!: number;
  @ApiProperty({ example: 'Two shifts' }) pattern_name!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) pattern_desc!: string | null;

  static from(p: ShiftPattern, options: MesRequestOptions): ShiftPatternModel {
    return {
      pattern_id: p.patternId,
      pattern_name: p.patternName,
      pattern_desc: p.patternDesc,
      last_edit_comment: p.lastEditComment,
      last_edit_by: p.lastEditBy,
      last_edit_at_utc: mesUtc(p.lastEditAt),
      last_edit_at_local: mesLocal(p.lastEditAt, options),
    };
  }
}

class LastEditCommentBody {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Matches(FREE_TEXT_PATTERN, { message: textMessage('last_edit_comment') })
  last_edit_comment?: string | null;
}

/** Body of ShiftSchedule Add (POST); `shift_sched_id` is generated. */
export class ShiftScheduleBody extends LastEditCommentBody {
  @ApiProperty({ minimum: 1, example: 3, description: 'An entity that can schedule shifts.' })
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  ent_id!: number;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, example: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  pattern_id?: number | null;

  @ApiProperty({ minimum: 1, example: 3, description: 'Unique per entity.' })
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  shift_id!: number;

  @ApiProperty({ maxLength: 40, example: 'Night' })
  @IsString()
  @MaxLength(40, { message: nameMessage('shift_name') })
  @Matches(NAME_PATTERN, { message: nameMessage('shift_name') })
  shift_name!: string;

  @ApiProperty({
    minimum: 0,
    maximum: 1439,
    example: 1320,
    description: 'Minutes after local midnight.',
  })
  @IsInt()
  @Min(0)
  @Max(1439)
  start_offset_min!: number;

  @ApiProperty({ minimum: 1, maximum: 1440, example: 480 })
  @IsInt()
  @Min(1)
  @Max(1440)
  duration_min!: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 127,
    default: 127,
    description: 'Weekdays: bit 0 = Monday … bit 6 = Sunday (31 = Monday-Friday, 127 = every day).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(127)
  days_mask?: number;

  toValues(): ShiftScheduleValues {
    return {
      entId: this.ent_id,
      patternId: this.pattern_id ?? null,
      shiftId: this.shift_id,
      shiftName: this.shift_name,
      startOffsetMin: this.start_offset_min,
      durationMin: this.duration_min,
      daysMask: this.days_mask ?? 127,
      lastEditComment: this.last_edit_comment ?? null,
    };
  }
}

/** Body of ShiftSchedule Update (PUT): the whole schedule; `shift_sched_id`, if sent, must be the query's. */
export class ShiftScheduleUpdateBody extends ShiftScheduleBody {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  shift_sched_id?: number;
}

/** Query of ShiftSchedule GetAll: optional filters. */
export class ShiftScheduleListQuery {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  entId?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  patternId?: number;

  @Allow() max_rows?: unknown;
  @Allow() tz_id?: unknown;

  toFilter(): ShiftScheduleFilter {
    return { entId: this.entId, patternId: this.patternId };
  }
}

/** Body of ShiftPattern Add (POST); without `pattern_id` the next free id is used. */
export class ShiftPatternBody extends LastEditCommentBody {
  @ApiProperty({ maxLength: 40, example: 'Weekend', description: 'Unique.' })
  @IsString()
  @MaxLength(40, { message: nameMessage('pattern_name') })
  @Matches(NAME_PATTERN, { message: nameMessage('pattern_name') })
  pattern_name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(FREE_TEXT_PATTERN, { message: textMessage('pattern_desc') })
  pattern_desc?: string | null;

  @ApiPropertyOptional({ minimum: 1, description: 'Default: the highest pattern_id + 1.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  pattern_id?: number;

  toValues(): ShiftPatternValues {
    return {
      patternName: this.pattern_name,
      patternDesc: this.pattern_desc ?? null,
      lastEditComment: this.last_edit_comment ?? null,
    };
  }
}
