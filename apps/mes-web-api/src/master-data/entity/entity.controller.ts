import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentMesUser } from '@mes/aim-auth';
import { MesError, MesPrincipal } from '@mes/common';
import { EntService } from '@mes/mes-plant';
import { MesMethod } from '@mes/mes-swagger';
import {
  ApiMesReadOptions,
  ApiMesTimeZone,
  MesOptions,
  MesRequestOptions,
} from '../../http/mes-request-options';
import { ApiMasterDataErrors } from '../shared/master-data-responses';
import { IdKeyPipe, IntKeyPipe } from '../shared/master-data-params';
import { listResult } from '../shared/list-result';
import {
  EntBody,
  EntFilterQuery,
  EntIdModel,
  EntListQuery,
  EntModel,
  EntUpdateBody,
} from './entity.dto';
import { dtoValidation } from '../../http/validation';

export const entIdKey = new IntKeyPipe('entId');
const entNameKey = new IdKeyPipe('entName');

const ApiEntId = () =>
  ApiQuery({ name: 'entId', type: Number, required: true, description: 'ent_id of the entity' });

/**
 * Entities (`FactMES.API.Core.Ent.*`). Every operation is limited to the entities one of the
 * caller's groups may access (`grp_ent_link.accss`); writes need the edit-master-data privilege.
 */
@ApiTags('Entity')
@Controller('api/v3/entity')
export class EntityController {
  constructor(private readonly entities: EntService) {}

  @Get()
  @MesMethod('FactMES.API.Core.Ent.GetAll', {
    summary: 'All accessible entities',
    description: 'Optionally filtered by parentEntId, canSchedJobs, canRunJobs. 204 when none.',
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: EntModel, isArray: true })
  @ApiNoContentResponse({ description: 'No entity matches.' })
  @ApiMasterDataErrors()
  async getAll(
    @Query(dtoValidation) query: EntListQuery,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntModel[] | undefined> {
    const rows = await this.entities.list(caller.userId, query.toFilter(), options.maxRows);
    return listResult(
      reply,
      rows.map((e) => EntModel.from(e, options)),
    );
  }

  @Get('key')
  @MesMethod('FactMES.API.Core.Ent.GetByKey', { summary: 'One entity by ent_id' })
  @ApiEntId()
  @ApiMesReadOptions()
  @ApiOkResponse({ type: EntModel })
  @ApiMasterDataErrors()
  async getByKey(
    @Query(entIdKey) entId: number,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<EntModel> {
    return EntModel.from(await this.entities.getByKey(caller.userId, entId), options);
  }

  @Get('filter')
  @MesMethod('FactMES.API.Core.Ent.GetByFilter', {
    summary: 'Accessible entities matching column filters',
    description: 'Every given filter must match. 204 when none.',
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: EntModel, isArray: true })
  @ApiNoContentResponse({ description: 'No entity matches.' })
  @ApiMasterDataErrors()
  async getByFilter(
    @Query(dtoValidation) query: EntFilterQuery,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntModel[] | undefined> {
    const rows = await this.entities.list(caller.userId, query.toFilter(), options.maxRows);
    return listResult(
      reply,
      rows.map((e) => EntModel.from(e, options)),
    );
  }

  @Get('name')
  @MesMethod('FactMES.API.Core.Ent.GetEntID', { summary: 'The ent_id of an entity name' })
  @ApiQuery({ name: 'entName', type: String, required: true })
  @ApiOkResponse({ type: EntIdModel })
  @ApiMasterDataErrors()
  async getEntId(
    @Query(entNameKey) entName: string,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<EntIdModel> {
    return { ent_id: await this.entities.getIdByName(caller.userId, entName) };
  }

  @Post()
  @HttpCode(200)
  @MesMethod('FactMES.API.Core.Ent.Add', {
    summary: 'Add an entity',
    description:
      'Needs the edit-master-data privilege and access to the parent. The new entity is made accessible ' +
      "to the caller's groups and to the groups that may use its parent. Returns the created entity.",
  })
  @ApiMesTimeZone()
  @ApiBody({ type: EntBody })
  @ApiOkResponse({ type: EntModel })
  @ApiMasterDataErrors(true)
  async add(
    @Body(dtoValidation) body: EntBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<EntModel> {
    return EntModel.from(await this.entities.add(caller.userId, body.toValues()), options);
  }

  @Put()
  @MesMethod('FactMES.API.Core.Ent.Update', {
    summary: 'Update an entity (the whole model)',
    description: 'Members left out of the body take their defaults. Returns the updated entity.',
  })
  @ApiEntId()
  @ApiMesTimeZone()
  @ApiBody({ type: EntUpdateBody })
  @ApiOkResponse({ type: EntModel })
  @ApiMasterDataErrors(true)
  async update(
    @Query(entIdKey) entId: number,
    @Body(dtoValidation) body: EntUpdateBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<EntModel> {
    if (body.ent_id !== undefined && body.ent_id !== entId) {
      throw MesError.validation('ent_id in the body must be the entId of the query.', [
        'ent_id must equal entId',
      ]);
    }
    const saved = await this.entities.update(caller.userId, entId, body.toValues(), body.mod_id);
    return EntModel.from(saved, options);
  }

  @Delete()
  @HttpCode(204)
  @MesMethod('FactMES.API.Core.Ent.Delete', {
    summary: 'Delete an entity',
    description: 'Refused (409) while the entity has child entities, jobs or shift schedules.',
  })
  @ApiEntId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiMasterDataErrors(true)
  async delete(
    @Query(entIdKey) entId: number,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<void> {
    await this.entities.delete(caller.userId, entId);
  }
}
