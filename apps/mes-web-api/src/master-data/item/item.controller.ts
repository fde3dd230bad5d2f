import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentMesUser } from '@mes/aim-auth';
import { MesError, MesPrincipal } from '@mes/common';
import { ItemService } from '@mes/mes-plant';
import { MesMethod } from '@mes/mes-swagger';
import {
  ApiMesReadOptions,
  ApiMesTimeZone,
  MesOptions,
  MesRequestOptions,
} from '../../http/mes-request-options';
import { listResult } from '../shared/list-result';
import { IdKeyPipe } from '../shared/master-data-params';
import { ApiMasterDataErrors } from '../shared/master-data-responses';
import { ItemAddBody, ItemListQuery, ItemModel, ItemPatchBody, ItemUpdateBody } from './item.dto';
import { dtoValidation } from '../../http/validation';

const itemIdKey = new IdKeyPipe('itemId');
const ApiItemId = () => ApiQuery({ name: 'itemId', type: String, required: true });

function assertSameItem(itemId: string, body: { item_id?: string }): void {
  if (body.item_id !== undefined && body.item_id !== itemId) {
    throw MesError.validation('item_id in the body must be the itemId of the query.', [
      'item_id must equal itemId',
    ]);
  }
}

/**
 * Items (`FactMES.API.Prod.Item.*`): read by any MES user, changed with the edit-master-data
 * privilege. Update and UpdateSpecific are left out of the workflow Swagger file (SPEC section 6)
 * but served.
 */
@ApiTags('Item')
@Controller('api/v3/item')
export class ItemController {
  constructor(private readonly items: ItemService) {}

  @Get()
  @MesMethod('FactMES.API.Prod.Item.GetAll', {
    summary: 'All items',
    description: 'Optionally filtered by itemClassId and the flags. 204 when none.',
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: ItemModel, isArray: true })
  @ApiNoContentResponse({ description: 'No item matches.' })
  @ApiMasterDataErrors()
  async getAll(
    @Query(dtoValidation) query: ItemListQuery,
    @MesOptions() options: MesRequestOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ItemModel[] | undefined> {
    const rows = await this.items.list(query.toFilter(), options.maxRows);
    return listResult(
      reply,
      rows.map((i) => ItemModel.from(i, options)),
    );
  }

  @Get('key')
  @MesMethod('FactMES.API.Prod.Item.GetByKey', { summary: 'One item by item_id' })
  @ApiItemId()
  @ApiMesReadOptions()
  @ApiOkResponse({ type: ItemModel })
  @ApiMasterDataErrors()
  async getByKey(
    @Query(itemIdKey) itemId: string,
    @MesOptions() options: MesRequestOptions,
  ): Promise<ItemModel> {
    return ItemModel.from(await this.items.getByKey(itemId), options);
  }

  @Post()
  @HttpCode(200)
  @MesMethod('FactMES.API.Prod.Item.Add', {
    summary: 'Add an item',
    description:
      'Required: item_id, item_desc, item_class_id, uom_id, obsolete, purchased, sold, num_decimals. Returns the created item.',
  })
  @ApiMesTimeZone()
  @ApiBody({ type: ItemAddBody })
  @ApiOkResponse({ type: ItemModel })
  @ApiMasterDataErrors(true)
  async add(
    @Body(dtoValidation) body: ItemAddBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ItemModel> {
    return ItemModel.from(
      await this.items.add(caller.userId, body.item_id, body.toValues()),
      options,
    );
  }

  @Put()
  @MesMethod('FactMES.API.Prod.Item.Update', {
    summary: 'Update an item (the whole model)',
    description: 'Members left out take their defaults. Returns the updated item.',
  })
  @ApiItemId()
  @ApiMesTimeZone()
  @ApiBody({ type: ItemUpdateBody })
  @ApiOkResponse({ type: ItemModel })
  @ApiMasterDataErrors(true)
  async update(
    @Query(itemIdKey) itemId: string,
    @Body(dtoValidation) body: ItemUpdateBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ItemModel> {
    assertSameItem(itemId, body);
    const saved = await this.items.update(caller.userId, itemId, body.toValues(), body.mod_id);
    return ItemModel.from(saved, options);
  }

  @Patch()
  @MesMethod('FactMES.API.Prod.Item.UpdateSpecific', {
    summary: 'Update some members of an item',
    description: 'Only the members sent change. Returns the updated item.',
  })
  @ApiItemId()
  @ApiMesTimeZone()
  @ApiBody({ type: ItemPatchBody })
  @ApiOkResponse({ type: ItemModel })
  @ApiMasterDataErrors(true)
  async updateSpecific(
    @Query(itemIdKey) itemId: string,
    @Body(dtoValidation) body: ItemPatchBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ItemModel> {
    assertSameItem(itemId, body);
    const values = body.toPartialValues();
    if (Object.keys(values).length === 0) {
      throw MesError.validation('The body names no item member to change.', [
        'at least one item member must be given',
      ]);
    }
    const saved = await this.items.updateSpecific(caller.userId, itemId, values, body.mod_id);
    return ItemModel.from(saved, options);
  }

  @Delete()
  @HttpCode(204)
  @MesMethod('FactMES.API.Prod.Item.Delete', {
    summary: 'Delete an item',
    description: 'Refused (409) while a work order or job uses the item.',
  })
  @ApiItemId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiMasterDataErrors(true)
  async delete(
    @Query(itemIdKey) itemId: string,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<void> {
    await this.items.delete(caller.userId, itemId);
  }
}
