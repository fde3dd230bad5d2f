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
  MinLength,
  ValidateIf,
} from 'class-validator';
import { fromFlag, Item, ItemFilter, ItemValues } from '@mes/mes-plant';
import { MesRequestOptions, mesLocal, mesUtc } from '../../http/mes-request-options';
import {
  FREE_TEXT_PATTERN,
  OptionalFreeText,
  TEXT_MESSAGE,
  INT_MAX,
  MES_ID_PATTERN,
  MES_ID_RULE,
  QueryBool,
} from '../shared/master-data-params';

const ID_MESSAGE = `$property must be 1 to 40 characters: ${MES_ID_RULE}`;
/** Most decimals a quantity of an item may show. */
const MAX_DECIMALS = 10;

/** An `item` row as the MES Web API returns it. */
export class ItemModel {
  @ApiProperty({ example: 'WIDGET-100' }) item_id!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) item_desc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) item_class_id!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) uom_id!: number | null;
  @ApiProperty() obsolete!: boolean;
  @ApiProperty() purchased!: boolean;
  @ApiProperty() sold!: boolean;
  @ApiProperty() produced!: boolean;
  @ApiProperty() num_decimals!: number;
  @ApiPropertyOptional({ type: String, nullable: true }) spare1!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) spare2!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_comment!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) last_edit_by!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  last_edit_at_utc!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Only when tz_id is given.' })
  last_edit_at_local?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) mod_id!: string | null;

  static from(i: Item, options: MesRequestOptions): ItemModel {
    return {
      item_id: i.itemId,
      item_desc: i.itemDesc,
      item_class_id: i.itemClassId,
      uom_id: i.uomId,
      obsolete: fromFlag(i.obsolete),
      purchased: fromFlag(i.purchased),
      sold: fromFlag(i.sold),
      produced: fromFlag(i.produced),
      num_decimals: Number(i.numDecimals),
      spare1: i.spare1,
      spare2: i.spare2,
      last_edit_comment: i.lastEditComment,
      last_edit_by: i.lastEditBy,
      last_edit_at_utc: mesUtc(i.lastEditAt),
      last_edit_at_local: mesLocal(i.lastEditAt, options),
      mod_id: i.modId,
    };
  }
}

/** Present and not null (a PATCH may leave a member out but not blank a required column). */
const given = (name: string) => ValidateIf((o: Record<string, unknown>) => o[name] !== undefined);

/** Members every item body may carry, all optional; `null` clears them. */
class ItemOptionalMembers {
  @ApiPropertyOptional({ default: false })
  @given('produced')
  @IsBoolean()
  produced?: boolean;

  @OptionalFreeText(80)
  spare1?: string | null;

  @OptionalFreeText(80)
  spare2?: string | null;

  @OptionalFreeText(1000)
  last_edit_comment?: string | null;
}

/** UpdateSpecific (PATCH): only the members sent change; required columns cannot be nulled. */
export class ItemPatchBody extends ItemOptionalMembers {
  @ApiPropertyOptional({ maxLength: 40, description: 'If sent, must be the itemId of the query.' })
  @given('item_id')
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  item_id?: string;

  @ApiPropertyOptional({ maxLength: 36, description: 'If sent, must still be the stored mod_id.' })
  @given('mod_id')
  @IsString()
  @MaxLength(36)
  mod_id?: string;

  @ApiPropertyOptional({ maxLength: 80, example: 'Widget 300' })
  @given('item_desc')
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  @Matches(FREE_TEXT_PATTERN, { message: TEXT_MESSAGE })
  item_desc?: string;

  @ApiPropertyOptional({ maxLength: 40, example: 'FINISHED' })
  @given('item_class_id')
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  item_class_id?: string;

  @ApiPropertyOptional({ minimum: 0, example: 1 })
  @given('uom_id')
  @IsInt()
  @Min(0)
  @Max(INT_MAX)
  uom_id?: number;

  @ApiPropertyOptional() @given('obsolete') @IsBoolean() obsolete?: boolean;
  @ApiPropertyOptional() @given('purchased') @IsBoolean() purchased?: boolean;
  @ApiPropertyOptional() @given('sold') @IsBoolean() sold?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_DECIMALS })
  @given('num_decimals')
  @IsInt()
  @Min(0)
  @Max(MAX_DECIMALS)
  num_decimals?: number;

  /** Only the members sent; `null` clears the nullable ones. */
  toPartialValues(): Partial<ItemValues> {
    const values: Partial<ItemValues> = {};
    const set = <K extends keyof ItemValues>(key: K, value: ItemValues[K] | undefined): void => {
      if (value !== undefined) values[key] = value;
    };
    set('itemDesc', this.item_desc);
    set('itemClassId', this.item_class_id);
    set('uomId', this.uom_id);
    set('obsolete', this.obsolete);
    set('purchased', this.purchased);
    set('sold', this.sold);
    set('produced', this.produced);
    set('numDecimals', this.num_decimals);
    set('spare1', this.spare1);
    set('spare2', this.spare2);
    set('lastEditComment', this.last_edit_comment);
    return values;
  }
}

/** The required values of an item (as the MES Web API requires them for Add). */
class ItemRequiredValues extends ItemOptionalMembers {
  @ApiProperty({ maxLength: 80, example: 'Widget 300' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  @Matches(FREE_TEXT_PATTERN, { message: TEXT_MESSAGE })
  item_desc!: string;

  @ApiProperty({ maxLength: 40, example: 'FINISHED' })
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  item_class_id!: string;

  @ApiProperty({ minimum: 0, example: 1 }) @IsInt() @Min(0) @Max(INT_MAX) uom_id!: number;
  @ApiProperty() @IsBoolean() obsolete!: boolean;
  @ApiProperty() @IsBoolean() purchased!: boolean;
  @ApiProperty() @IsBoolean() sold!: boolean;

  @ApiProperty({ minimum: 0, maximum: MAX_DECIMALS })
  @IsInt()
  @Min(0)
  @Max(MAX_DECIMALS)
  num_decimals!: number;

  toValues(): ItemValues {
    return {
      itemDesc: this.item_desc,
      itemClassId: this.item_class_id,
      uomId: this.uom_id,
      obsolete: this.obsolete,
      purchased: this.purchased,
      sold: this.sold,
      produced: this.produced ?? false,
      numDecimals: this.num_decimals,
      spare1: this.spare1 ?? null,
      spare2: this.spare2 ?? null,
      lastEditComment: this.last_edit_comment ?? null,
    };
  }
}

/**
 * Update (PUT): the whole item. Required as for Add: item_desc, item_class_id, uom_id, obsolete,
 * purchased, sold, num_decimals; members left out (produced, spares, comment) take their defaults.
 */
export class ItemUpdateBody extends ItemRequiredValues {
  @ApiPropertyOptional({ maxLength: 40, description: 'If sent, must be the itemId of the query.' })
  @given('item_id')
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  item_id?: string;

  @ApiPropertyOptional({ maxLength: 36, description: 'If sent, must still be the stored mod_id.' })
  @given('mod_id')
  @IsString()
  @MaxLength(36)
  mod_id?: string;
}

/** Add (POST): the item to create; required as in the MES Web API: item_id and the Update set. */
export class ItemAddBody extends ItemRequiredValues {
  @ApiProperty({ maxLength: 40, example: 'WIDGET-300' })
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  item_id!: string;
}

/** Query of GetAll (`GET item`): optional filters. */
export class ItemListQuery {
  @ApiPropertyOptional({ maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40, { message: ID_MESSAGE })
  @Matches(MES_ID_PATTERN, { message: ID_MESSAGE })
  itemClassId?: string;

  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() obsolete?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() purchased?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() sold?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBool() @IsBoolean() produced?: boolean;

  @Allow() max_rows?: unknown;
  @Allow() tz_id?: unknown;

  toFilter(): ItemFilter {
    const filter: ItemFilter = {};
    if (this.itemClassId !== undefined) filter.itemClassId = this.itemClassId;
    if (this.obsolete !== undefined) filter.obsolete = this.obsolete;
    if (this.purchased !== undefined) filter.purchased = this.purchased;
    if (this.sold !== undefined) filter.sold = this.sold;
    if (this.produced !== undefined) filter.produced = this.produced;
    return filter;
  }
}
