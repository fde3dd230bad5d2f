import { Body, Controller, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentMesUser } from '@mes/aim-auth';
import { MesError, MesPrincipal } from '@mes/common';
import { ShiftPatternService } from '@mes/mes-plant';
import { MesMethod } from '@mes/mes-swagger';
import {
  ApiMesReadOptions,
  ApiMesTimeZone,
  MesOptions,
  MesRequestOptions,
} from '../http/mes-request-options';
import { listResult } from '../master-data/shared/list-result';
import { IntKeyPipe, COMMON_QUERY_PARAMS } from '../master-data/shared/master-data-params';
import { ApiMasterDataErrors } from '../master-data/shared/master-data-responses';
import { ShiftPatternBody, ShiftPatternModel } from './shifts.dto';
import { dtoValidation } from '../http/validation';

const patternIdKey = new IntKeyPipe('patternId');

const EXCLUDED =
  'On the published list of MES methods that cannot be used from workflows, so it is left out of the Swagger file (x-mes-excluded); the API still serves it.';

/** GetAll takes only the common parameters; anything else is a 400 naming it. */
function onlyCommonParams(query: Record<string, unknown>): void {
  for (const key of Object.keys(query)) {
    if (!(COMMON_QUERY_PARAMS as readonly string[]).includes(key)) {
      throw MesError.validation(`property ${key} should not exist`, [
        `property ${key} should not exist`,
      ]);
    }
  }
}

/**
 * Shift patterns (`FactMES.API.Core.ShiftPattern.*`, table `shift_pattern`): any MES user reads
 * them, writes need the edit-master-data privilege. Excluded from the Swagger file (SPEC section 6).
 */
@ApiTags('ShiftPattern')
@Controller('api/v3/shiftPattern')
export class ShiftPatternController {
  constructor(private readonly patterns: ShiftPatternService) {}

  @Get()
  @MesMethod('FactMES.API.Core.ShiftPattern.GetAll', {
    summary: 'All shift patterns',
    description: `204 when none. ${EXCLUDED}`,
  })
  @ApiMesReadOptions()
  @ApiOkResponse({ type: ShiftPatternModel, isArray: true })
  @ApiNoContentResponse({ description: 'No shift pattern.' })
  @ApiMasterDataErrors()
  async getAll(
    @Query() query: Record<string, unknown>,
    @MesOptions() options: MesRequestOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShiftPatternModel[] | undefined> {
    onlyCommonParams(query);
    const rows = await this.patterns.list(options.maxRows);
    return listResult(
      reply,
      rows.map((p) => ShiftPatternModel.from(p, options)),
    );
  }

  @Post()
  @HttpCode(200)
  @MesMethod('FactMES.API.Core.ShiftPattern.Add', {
    summary: 'Add a shift pattern',
    description: `Needs the edit-master-data privilege; pattern_id and pattern_name are unique. Returns the created pattern. ${EXCLUDED}`,
  })
  @ApiMesTimeZone()
  @ApiBody({ type: ShiftPatternBody })
  @ApiOkResponse({ type: ShiftPatternModel })
  @ApiMasterDataErrors(true)
  async add(
    @Body(dtoValidation) body: ShiftPatternBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ShiftPatternModel> {
    const saved = await this.patterns.add(caller.userId, body.toValues(), body.pattern_id);
    return ShiftPatternModel.from(saved, options);
  }

  @Put()
  @MesMethod('FactMES.API.Core.ShiftPattern.Update', {
    summary: 'Update a shift pattern (the whole model)',
    description: `Members left out of the body take their defaults. Returns the updated pattern. ${EXCLUDED}`,
  })
  @ApiQuery({ name: 'patternId', type: Number, required: true, description: 'pattern_id' })
  @ApiMesTimeZone()
  @ApiBody({ type: ShiftPatternBody })
  @ApiOkResponse({ type: ShiftPatternModel })
  @ApiMasterDataErrors(true)
  async update(
    @Query(patternIdKey) patternId: number,
    @Body(dtoValidation) body: ShiftPatternBody,
    @MesOptions() options: MesRequestOptions,
    @CurrentMesUser() caller: MesPrincipal,
  ): Promise<ShiftPatternModel> {
    if (body.pattern_id !== undefined && body.pattern_id !== patternId) {
      throw MesError.validation('pattern_id in the body must be the patternId of the query.', [
        'pattern_id must equal patternId',
      ]);
    }
    const saved = await this.patterns.update(caller.userId, patternId, body.toValues());
    return ShiftPatternModel.from(saved, options);
  }
}
