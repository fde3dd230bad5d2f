import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ProductionRecord } from '@mes/mes-plant';
import { MesRequestOptions, mesLocal, mesUtc } from '../http/mes-request-options';
import {
  FREE_TEXT_PATTERN,
  INT_MAX,
  MES_ID_PATTERN,
  MES_ID_RULE,
} from '../master-data/shared/master-data-params';
import { JobKeyBody, JobModel } from './jobs.dto';

/** Largest quantity accepted in one production post. */
export const QTY_PROD_MAX = 1_000_000_000;

const QTY_MESSAGE = `qty_prod must be a number greater than 0 and at most ${QTY_PROD_MAX}`;

function QtyProd(): PropertyDecorator {
  return (target, key) => {
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: QTY_MESSAGE })(target, key);
    IsPositive({ message: QTY_MESSAGE })(target, key);
    Max(QTY_PROD_MAX, { message: QTY_MESSAGE })(target, key);
  };
}

/** Body of `POST Production/ByJob`. */
export class ProductionByJobBody extends JobKeyBody {
  @ApiProperty({ exclusiveMinimum: true, minimum: 0, maximum: QTY_PROD_MAX, example: 25 })
  @QtyProd()
  qty_prod!: number;
}

/** Body of `POST Production`: production for the job running on the entity. */
export class ProductionByEntBody {
  @ApiProperty({ maxLength: 40, example: 'Filler 1' })
  @IsString({ message: 'ent_name must be a string' })
  @MinLength(1, { message: `ent_name must be 1 to 40 characters: ${MES_ID_RULE}` })
  @MaxLength(40, { message: `ent_name must be 1 to 40 characters: ${MES_ID_RULE}` })
  @Matches(MES_ID_PATTERN, { message: `ent_name must be 1 to 40 characters: ${MES_ID_RULE}` })
  ent_name!: string;

  @ApiProperty({ exclusiveMinimum: true, minimum: 0, maximum: QTY_PROD_MAX, example: 25 })
  @QtyProd()
  qty_prod!: number;

  @ApiPropertyOptional({
    minimum: 0,
    description: 'Needed only when the entity runs several jobs at once.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(INT_MAX)
  job_pos?: number;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Notes, kept in job_history.comment.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Matches(FREE_TEXT_PATTERN, { message: 'comment must not contain control characters' })
  comment?: string;
}

/** A recorded production: the job_history row written, and the job after it. */
export class ProductionModel {
  @ApiProperty() job_history_id!: number;
  @ApiProperty() wo_id!: string;
  @ApiProperty() oper_id!: string;
  @ApiProperty() seq_no!: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) ent_id!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) ent_name!: string | null;
  @ApiProperty({ description: 'The quantity this call recorded.' }) qty_prod!: number;
  @ApiProperty({ description: 'The job’s total job.qty_prod after this call.' })
  job_qty_prod!: number;
  @ApiProperty({ description: 'The acting MES user (also job.last_edit_by).' }) user_id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) event_at_utc!: string;
  @ApiPropertyOptional({ type: String, description: 'Only when tz_id is given.' })
  event_at_local?: string;
  @ApiProperty({ type: JobModel }) job!: JobModel;

  static from(record: ProductionRecord, options: MesRequestOptions): ProductionModel {
    return {
      job_history_id: record.jobHistoryId,
      wo_id: record.job.woId,
      oper_id: record.job.operId,
      seq_no: record.job.seqNo,
      ent_id: record.ent?.entId ?? record.job.runEntId,
      ent_name: record.ent?.entName ?? null,
      qty_prod: record.qty,
      job_qty_prod: record.job.qtyProd,
      user_id: record.userId,
      event_at_utc: mesUtc(record.eventAt),
      event_at_local: mesLocal(record.eventAt, options),
      job: JobModel.from(record.job, options),
    } as ProductionModel;
  }
}
