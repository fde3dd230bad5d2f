import { Body, Controller, Delete, Get, Module, Post, Put, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { MesMethod } from '../decorators/mes-method.decorator';

/** Shared by a kept and an excluded operation: must stay. */
export class ItemDto {
  @ApiProperty({ example: 'WIDGET-1' }) item_id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) item_desc!: string | null;
}

/** Used only by FactMES.API.Prod.Item.Update (excluded): must go. */
export class ItemUpdateDto {
  @ApiProperty() item_id!: string;
  @ApiProperty() item_desc!: string;
  @ApiProperty({ required: false }) last_edit_comment?: string;
}

/** Referenced only through ShiftScheduleDto: must go transitively. */
export class ShiftDto {
  @ApiProperty() shift_id!: number;
  @ApiProperty() shift_desc!: string;
}

/** Used only by the excluded ShiftSchedule operations: must go. */
export class ShiftScheduleDto {
  @ApiProperty() ent_id!: number;
  @ApiProperty({ type: () => ShiftDto, isArray: true }) shifts!: ShiftDto[];
}

export class EntDto {
  @ApiProperty() ent_id!: number;
  @ApiProperty() ent_name!: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) parent_ent_id!: number | null;
}

@ApiTags('Item')
@Controller('mesmw/api/v3/item')
export class ItemController {
  @Get()
  @MesMethod('FactMES.API.Prod.Item.GetAll', { summary: 'All items' })
  @ApiOkResponse({ type: ItemDto, isArray: true })
  getAll(): ItemDto[] {
    return [];
  }

  @Post()
  @MesMethod('FactMES.API.Prod.Item.Add')
  @ApiOkResponse({ type: ItemDto })
  add(@Body() body: ItemDto): ItemDto {
    return body;
  }

  @Put()
  @MesMethod('FactMES.API.Prod.Item.Update')
  @ApiOkResponse({ type: ItemDto })
  update(@Body() body: ItemUpdateDto): ItemDto {
    return { item_id: body.item_id, item_desc: body.item_desc };
  }
}

/** Every operation here is excluded, so the tag "ShiftSchedule" must disappear. */
@ApiTags('ShiftSchedule')
@Controller('mesmw/api/shiftSchedule')
export class ShiftScheduleController {
  @Get()
  @MesMethod('FactMES.API.Core.ShiftSchedule.GetAll')
  @ApiOkResponse({ type: ShiftScheduleDto, isArray: true })
  getAll(): ShiftScheduleDto[] {
    return [];
  }

  @Delete()
  @MesMethod('FactMES.API.Core.ShiftSchedule.Delete')
  @ApiQuery({ name: 'entId', type: Number })
  remove(@Query('entId') _entId: string): void {}
}

@ApiTags('Ent')
@Controller('mesmw/api/v3/entity')
export class EntController {
  @Get()
  @MesMethod('FactMES.API.Core.Ent.GetAll')
  @ApiOkResponse({ type: EntDto, isArray: true })
  getAll(): EntDto[] {
    return [];
  }

  @Get('key')
  @MesMethod('FactMES.API.Core.Ent.GetByKey')
  @ApiQuery({ name: 'entId', type: Number })
  @ApiOkResponse({ type: EntDto })
  getByKey(@Query('entId') entId: string): EntDto {
    return { ent_id: Number(entId), ent_name: '', parent_ent_id: null };
  }

  @Put('copyShifts')
  @MesMethod('FactMES.API.Core.Ent.CopyShifts')
  copyShifts(): void {}
}

@ApiTags('Health')
@Controller('mesmw/health')
export class HealthController {
  @Get()
  @MesMethod('FactMES.API.Core.Health.Get', {
    public: true,
    description: 'Status of the database and the authority.',
  })
  get(): { status: string } {
    return { status: 'up' };
  }
}

/** A small API: some methods excluded by the published lists, some kept. */
@Module({ controllers: [ItemController, ShiftScheduleController, EntController, HealthController] })
export class FixtureApiModule {}

export const FIXTURE_KEPT_METHODS = [
  'FactMES.API.Prod.Item.GetAll',
  'FactMES.API.Prod.Item.Add',
  'FactMES.API.Core.Ent.GetAll',
  'FactMES.API.Core.Ent.GetByKey',
  'FactMES.API.Core.Health.Get',
];
export const FIXTURE_EXCLUDED_METHODS = [
  'FactMES.API.Core.Ent.CopyShifts',
  'FactMES.API.Core.ShiftSchedule.Delete',
  'FactMES.API.Core.ShiftSchedule.GetAll',
  'FactMES.API.Prod.Item.Update',
];
