import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentMesUser } from '@mes/aim-auth';
import { MesError, MesPrincipal } from '@mes/common';
import { WoService } from '@mes/mes-plant';
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
import { WoAddBody, WoFilterQuery, WoListQuery, WoModel } from './wo.dto';
import { dtoValidation } from '../../http/validation';

const woIdKey = new IdKeyPipe('woId');

/**
 * Work orders (`FactMES.API.Prod.WO.*`): read by any MES user, added with the edit-master-data
 * privilege. GetByFilter is left out of the workflow Swagger file (SPEC section 6) but served.
 */
@ApiTags('WO')
@Controller('api/v3/wo')
export class WoController {
  constructor(private readonly orders: WoService) {}

  @Get()
  @MesMethod('FactMES.API.Prod.WO.GetAll', {
    summary: 'All work orders',
    description: '204 when none.',
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: WoModel, isArray: true })
  @ApiNoContentResponse({ description: 'No work order.' })
  @ApiMasterDataErrors()
  async getAll(
    @Query(dtoValidation) _query: WoListQuery,
    @MesOptions() options: MesRequestOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WoModel[] | undefined> {
    const rows = await this.orders.list({}, options.maxRows);
    return listResult(
      reply,
      rows.map((w) => WoModel.from(w, options)),
    );
  }

  @Get('key')
  @MesMethod('FactMES.API.Prod.WO.GetByKey', { summary: 'One work order by wo_id' })
  @ApiQuery({ name: 'woId', type: String, required: true })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: WoModel })
  @ApiMasterDataErrors()
  async getByKey(
    @Query(woIdKey) woId: string,
    @MesOptions() options: MesRequestOptions,
  ): Promise<WoModel> {
    return WoModel.from(await this.orders.getByKey(woId), options);
  }

  @Get('filter')
  @MesMethod('FactMES.API.Prod.WO.GetByFilter', {
    summary: 'Work orders matching column filters',
    description: 'Every given filter must match. 204 when none.',
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: WoModel, isArray: true })
  @ApiNoContentResponse({ description: 'No work order matches.' })
  @ApiMasterDataErrors()
  async getByFilter(
    @Query(dtoValidation) query: WoFilterQuery,
    @MesOptions() options: MesRequestOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WoModel[] | undefined> {
    const rows = await this.orders.list(query.toFilter(), options.maxRows);
    return listResult(
      reply,
      rows.map((w) => WoModel.from(w, options)),
    );
  }

  @Post()
  @HttpCode(200)
  @MesMethod('FactMES.API.Prod.WO.Add', {
    summary: 'Add a work order',
    description:
      'Required: wo_id, item_id (an existing item), req_qty. Returns the created work order.',
  })
  @ApiMesTimeZone()
  @ApiBody({ type: WoAddBody })
  @ApiOkResponse({ type: WoModel })
  @ApiMasterDataErrors(true)
  async add(
    @Body(dtoValidation) body: WoAddBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<WoModel> {
    const values = body.toValues();
    if (Array.isArray(values)) throw MesError.validation(values.join('; '), values);
    return WoModel.from(await this.orders.add(caller.userId, values), options);
  }
}
