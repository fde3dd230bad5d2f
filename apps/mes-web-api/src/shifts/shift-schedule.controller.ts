import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentMesUser } from '@mes/aim-auth';
import { MesError, MesPrincipal } from '@mes/common';
import { ShiftScheduleService } from '@mes/mes-plant';
import { MesMethod } from '@mes/mes-swagger';
import {
  ApiMesReadOptions,
  ApiMesTimeZone,
  MesOptions,
  MesRequestOptions,
} from '../http/mes-request-options';
import { listResult } from '../master-data/shared/list-result';
import { IntKeyPipe } from '../master-data/shared/master-data-params';
import { ApiMasterDataErrors } from '../master-data/shared/master-data-responses';
import {
  ShiftScheduleBody,
  ShiftScheduleListQuery,
  ShiftScheduleModel,
  ShiftScheduleUpdateBody,
} from './shifts.dto';
import { dtoValidation } from '../http/validation';

const shiftSchedIdKey = new IntKeyPipe('shiftSchedId');

const ApiShiftSchedId = () =>
  ApiQuery({ name: 'shiftSchedId', type: Number, required: true, description: 'shift_sched_id' });

const EXCLUDED =
  'On the published list of MES methods that cannot be used from workflows, so it is left out of the Swagger file (x-mes-excluded); the API still serves it.';

/**
 * Shift schedules (`FactMES.API.Core.ShiftSchedule.*`, table `shift_sched`). Reads are limited
 * to the entities one of the caller's groups may access; writes need the edit-master-data
 * privilege. Every method here is excluded from the Swagger file (SPEC section 6).
 */
@ApiTags('ShiftSchedule')
@Controller('api/v3/shiftSchedule')
export class ShiftScheduleController {
  constructor(private readonly schedules: ShiftScheduleService) {}

  @Get()
  @MesMethod('FactMES.API.Core.ShiftSchedule.GetAll', {
    summary: 'Shift schedules of the accessible entities',
    description: `Optionally filtered by entId and patternId. 204 when none. ${EXCLUDED}`,
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: ShiftScheduleModel, isArray: true })
  @ApiNoContentResponse({ description: 'No shift schedule matches.' })
  @ApiMasterDataErrors()
  async getAll(
    @Query(dtoValidation) query: ShiftScheduleListQuery,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShiftScheduleModel[] | undefined> {
    const rows = await this.schedules.list(caller.userId, query.toFilter(), options.maxRows);
    return listResult(
      reply,
      rows.map((s) => ShiftScheduleModel.from(s, options)),
    );
  }

  @Get('key')
  @MesMethod('FactMES.API.Core.ShiftSchedule.GetByKey', {
    summary: 'One shift schedule by shift_sched_id',
    description: EXCLUDED,
  })
  @ApiShiftSchedId()
  @ApiMesReadOptions()
  @ApiOkResponse({ type: ShiftScheduleModel })
  @ApiMasterDataErrors()
  async getByKey(
    @Query(shiftSchedIdKey) shiftSchedId: number,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ShiftScheduleModel> {
    return ShiftScheduleModel.from(
      await this.schedules.getByKey(caller.userId, shiftSchedId),
      options,
    );
  }

  @Post()
  @HttpCode(200)
  @MesMethod('FactMES.API.Core.ShiftSchedule.Add', {
    summary: 'Add a shift schedule',
    description:
      'Needs the edit-master-data privilege and access to the entity, which must be able to schedule ' +
      `shifts; shift_id is unique per entity. Returns the created schedule. ${EXCLUDED}`,
  })
  @ApiMesTimeZone()
  @ApiBody({ type: ShiftScheduleBody })
  @ApiOkResponse({ type: ShiftScheduleModel })
  @ApiMasterDataErrors(true)
  async add(
    @Body(dtoValidation) body: ShiftScheduleBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ShiftScheduleModel> {
    return ShiftScheduleModel.from(
      await this.schedules.add(caller.userId, body.toValues()),
      options,
    );
  }

  @Put()
  @MesMethod('FactMES.API.Core.ShiftSchedule.Update', {
    summary: 'Update a shift schedule (the whole model)',
    description: `Members left out of the body take their defaults. Returns the updated schedule. ${EXCLUDED}`,
  })
  @ApiShiftSchedId()
  @ApiMesTimeZone()
  @ApiBody({ type: ShiftScheduleUpdateBody })
  @ApiOkResponse({ type: ShiftScheduleModel })
  @ApiMasterDataErrors(true)
  async update(
    @Query(shiftSchedIdKey) shiftSchedId: number,
    @Body(dtoValidation) body: ShiftScheduleUpdateBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ShiftScheduleModel> {
    if (body.shift_sched_id !== undefined && body.shift_sched_id !== shiftSchedId) {
      throw MesError.validation(
        'shift_sched_id in the body must be the shiftSchedId of the query.',
        ['shift_sched_id must equal shiftSchedId'],
      );
    }
    const saved = await this.schedules.update(caller.userId, shiftSchedId, body.toValues());
    return ShiftScheduleModel.from(saved, options);
  }

  @Delete()
  @HttpCode(204)
  @MesMethod('FactMES.API.Core.ShiftSchedule.Delete', {
    summary: 'Delete a shift schedule',
    description: EXCLUDED,
  })
  @ApiShiftSchedId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiMasterDataErrors(true)
  async delete(
    @Query(shiftSchedIdKey) shiftSchedId: number,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<void> {
    await this.schedules.delete(caller.userId, shiftSchedId);
  }
}
