import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Wo, WoFilter, WoValues } from '@mes/mes-plant';
import { MesRequestOptions, mesLocal, mesUtc } from '../../http/mes-request-options';
import {
  FREE_TEXT_PATTERN,
  OptionalFreeText,
  TEXT_MESSAGE,
  MES_ID_PATTERN,
  MES_ID_RULE,
  QueryInt,
} from '../shared/master-data-params';

const ID_MESSAGE = `$property must be 1 to 40 characters: ${MES_ID_RULE}`;
/** ISO 8601 date and time with `Z` or an offset: a UTC instant, never a zone-less wall time. */
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const instantMessage = (name: string) =>
  `${name} must be an ISO 8601 date and time with Z or an offset, e.g. 2025-01-31T06:00:00Z`;
/** Largest quantity accepted (a float column; far beyond any real order). */
const MAX_QTY = 1e12;
/** Priorities run 0 (none) to 32767. */
const MAX_PRIORITY = 32_767;

/** A `wo` row as the MES Web API returns it. */
export class WoModel {
  @ApiProperty({ example: 'WO-1001' }) wo_id!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) wo_desc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) item_id!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) process_id!: string | null;
  @ApiProperty() req_qty!: number;
  @ApiProperty() priority!: number;
  @ApiPropertyOptional({ type: String, nullable: true }) cust_info!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  release_time_utc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Only when tz_id is given.' })
  release_time_local?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  due_time_utc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Only when tz_id is given.' })
  due_time_local?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) notes!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_comment!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_by!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  last_edit_at_utc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Only when tz_id is given.' })
  last_edit_at_local?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) mod_id!: string | null;

  static from(w: Wo, options: MesRequestOptions): WoModel {
    return {
      wo_id: w.woId,
      wo_desc: w.woDesc,
      item_id: w.itemId,
      process_id: w.processId,
      req_qty: Number(w.reqQty),
      priority: Number(w.priority),
      cust_info: w.custInfo,
      release_time_utc: mesUtc(w.releaseTimeUtc),
      release_time_local: mesLocal(w.releaseTimeUtc, options),
      due_time_utc: mesUtc(w.dueTimeUtc),
      due_time_local: mesLocal(w.dueTimeUtc, options),
      notes: w.notes,
      last_edit_comment: w.lastEditComment,
      last_edit_by: w.lastEditBy,
      last_edit_at_utc: mesUtc(w.lastEditAt),
      last_edit_at_local: mesLocal(w.lastEditAt, options),
      mod_id: w.modId,
    };
  }
}

/** Add (POST): the work order to create. Required: wo_id, item_id (an existing item), req_qty. */
export class WoAddBody {
  @ApiProperty({ maxLength: 40, example: 'WO-1002' })
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  wo_id!: string;

  @OptionalFreeText(80)
  wo_desc?: string | null;

  @ApiProperty({ maxLength: 40, example: 'WIDGET-200' })
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  item_id!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  process_id?: string | null;

  @ApiProperty({ minimum: 0, maximum: MAX_QTY, example: 500 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_QTY)
  req_qty!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_PRIORITY, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRIORITY)
  priority?: number;

  @OptionalFreeText(80)
  cust_info?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  @IsOptional()
  @IsString()
  @Matches(UTC_INSTANT, { message: instantMessage('release_time_utc') })
  release_time_utc?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  @IsOptional()
  @IsString()
  @Matches(UTC_INSTANT, { message: instantMessage('due_time_utc') })
  due_time_utc?: string | null;

  @OptionalFreeText(1000)
  notes?: string | null;

  @OptionalFreeText(1000)
  last_edit_comment?: string | null;

  /** The values, or a list of the datetimes that are not real instants (e.g. 2025-02-30). */
  toValues(): WoValues | string[] {
    const errors: string[] = [];
    const instant = (name: string, value: string | null | undefined): Date | null => {
      if (value === undefined || value === null) return null;
      const date = new Date(value);
      const [y, m, d] = value.slice(0, 10).split('-').map(Number);
      if (
        Number.isNaN(date.getTime()) ||
        m < 1 ||
        m > 12 ||
        d < 1 ||
        d > new Date(Date.UTC(y, m, 0)).getUTCDate()
      ) {
        errors.push(instantMessage(name));
        return null;
      }
      return date;
    };
    const releaseTimeUtc = instant('release_time_utc', this.release_time_utc);
    const dueTimeUtc = instant('due_time_utc', this.due_time_utc);
    if (errors.length > 0) return errors;
    return {
      woId: this.wo_id,
      woDesc: this.wo_desc ?? null,
      itemId: this.item_id,
      processId: this.process_id ?? null,
      reqQty: this.req_qty,
      priority: this.priority ?? 0,
      custInfo: this.cust_info ?? null,
      releaseTimeUtc,
      dueTimeUtc,
      notes: this.notes ?? null,
      lastEditComment: this.last_edit_comment ?? null,
    };
  }
}

/** Query of GetAll (`GET wo`): row limit and time zone only. */
export class WoListQuery {
  @Allow() max_rows?: unknown;
  @Allow() tz_id?: unknown;
}

/** Query of GetByFilter (`GET wo/filter`): any listed column, all must match. */
export class WoFilterQuery extends WoListQuery {
  @ApiPropertyOptional({ maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  woId?: string;

  @ApiPropertyOptional({ maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  itemId?: string;

  @ApiPropertyOptional({ maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  processId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_PRIORITY })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(MAX_PRIORITY)
  priority?: number;

  @ApiPropertyOptional({ maxLength: 80 })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  @Matches(FREE_TEXT_PATTERN, { message: TEXT_MESSAGE })
  custInfo?: string;

  toFilter(): WoFilter {
    const filter: WoFilter = {};
    if (this.woId !== undefined) filter.woId = this.woId;
    if (this.itemId !== undefined) filter.itemId = this.itemId;
    if (this.processId !== undefined) filter.processId = this.processId;
    if (this.priority !== undefined) filter.priority = this.priority;
    if (this.custInfo !== undefined) filter.custInfo = this.custInfo;
    return filter;
  }
}
